// Package sbtest gives tests outside package sandbox (the checker's, and the engine's external
// tests that drive it through the checker) a sandbox on the test daemon, as package sandbox's
// own tests get one. Package sandbox's internal tests cannot import it (it imports sandbox), so
// they keep their own copy of these few lines.
package sbtest

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/sandbox/catalog"
)

// Sandbox returns a sandbox on the test daemon that `make test` starts
// (scripts/with-buildkitd.sh). Without one the test skips locally and fails in CI.
func Sandbox(t testing.TB) *sandbox.Sandbox {
	t.Helper()
	addr := os.Getenv("STAGECRAFT_TEST_BUILDKIT")
	if addr == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but STAGECRAFT_TEST_BUILDKIT is unset: run the tests through `make test`")
		}
		t.Skip("no BuildKit daemon: run `make test` (it starts a private buildkitd) to run this test")
	}
	pol := sandbox.DefaultPolicy()
	sb := &sandbox.Sandbox{Endpoint: &sandbox.AddrEndpoint{Addr: addr}, Policy: pol, StoreDir: filepath.Join(t.TempDir(), "store")}
	t.Cleanup(func() { sb.Close() })
	return sb
}

// CatalogSandbox is Sandbox with the offline catalog, built once per checkout in
// STAGECRAFT_TEST_CACHE (make test sets it).
func CatalogSandbox(t testing.TB) *sandbox.Sandbox {
	t.Helper()
	sb := Sandbox(t)
	dir := os.Getenv("STAGECRAFT_TEST_CACHE")
	if dir == "" {
		dir = t.TempDir()
	}
	sb.Contexts = &sandbox.CatalogResolver{Catalog: catalog.Open(filepath.Join(dir, "catalog"))}
	return sb
}

// LimitsSandbox is a catalog sandbox whose builds run under a fresh tenant of this test, so a
// failed step is never answered from another test's cache.
func LimitsSandbox(t *testing.T) (*sandbox.Sandbox, string) {
	t.Helper()
	sb := CatalogSandbox(t)
	if !sb.Endpoint.Local() {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but the test daemon is not local: resource limits need a local daemon and root")
		}
		t.Skip("resource limits need a local daemon and root")
	}
	return sb, fmt.Sprintf("test:%s:%d", t.Name(), time.Now().UnixNano())
}
