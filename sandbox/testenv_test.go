package sandbox

import (
	"github.com/stagecraft/stagecraft/sandbox/catalog"
	"os"
	"path/filepath"
	"testing"
)

// testSandbox returns a sandbox on the test daemon that `make test` starts
// (scripts/with-buildkitd.sh). Without one the test skips locally and fails in CI.
func testSandbox(t testing.TB) *Sandbox {
	t.Helper()
	addr := os.Getenv("STAGECRAFT_TEST_BUILDKIT")
	if addr == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but STAGECRAFT_TEST_BUILDKIT is unset: run the tests through `make test`")
		}
		t.Skip("no BuildKit daemon: run `make test` (it starts a private buildkitd) to run this test")
	}
	pol := DefaultPolicy()
	sb := &Sandbox{Endpoint: &AddrEndpoint{Addr: addr}, Policy: pol, StoreDir: filepath.Join(t.TempDir(), "store")}
	t.Cleanup(func() { sb.Close() })
	return sb
}

// testCatalogSandbox is testSandbox with the offline catalog, built once per checkout in
// STAGECRAFT_TEST_CACHE (make test sets it).
func testCatalogSandbox(t testing.TB) *Sandbox {
	t.Helper()
	sb := testSandbox(t)
	dir := os.Getenv("STAGECRAFT_TEST_CACHE")
	if dir == "" {
		dir = t.TempDir()
	}
	sb.Contexts = &CatalogResolver{Catalog: catalog.Open(filepath.Join(dir, "catalog"))}
	return sb
}
