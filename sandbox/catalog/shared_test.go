package catalog

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// shared is the full catalog the slow tests use, built at most once per test binary.
var shared struct {
	sync.Mutex
	root string // removed when the tests end
	dir  string // a built full catalog, once there is one
}

func TestMain(m *testing.M) {
	root, err := os.MkdirTemp("", "stagecraft-catalog-test-")
	if err != nil {
		panic(err)
	}
	shared.root = root
	code := m.Run()
	os.RemoveAll(root)
	os.Exit(code)
}

// fullCatalog returns a built catalog with every image: the one `make test` keeps under
// STAGECRAFT_TEST_CACHE (built once per checkout), else one built for this test binary (or
// the one TestBuildFromNothing built).
func fullCatalog(t testing.TB) *Catalog {
	t.Helper()
	shared.Lock()
	defer shared.Unlock()
	dir := shared.dir
	if dir == "" {
		dir = filepath.Join(shared.root, "full")
		if cache := os.Getenv("STAGECRAFT_TEST_CACHE"); cache != "" {
			dir = filepath.Join(cache, "catalog")
		}
	}
	c := Open(dir)
	r, err := c.Build(context.Background(), testLog{t})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Skipped) > 0 {
		t.Fatalf("the catalog skipped images on this machine: %+v", r.Skipped)
	}
	shared.dir = dir
	return c
}

type testLog struct{ t testing.TB }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
