package image

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stagecraft/stagecraft/sandbox/catalog"
)

// golangImage is the catalog's golang image (~420 MB of layers), from the catalog `make bench`
// keeps under STAGECRAFT_TEST_CACHE (built there once if needed).
func golangImage(b *testing.B) (string, catalog.Entry) {
	cache := os.Getenv("STAGECRAFT_TEST_CACHE")
	if cache == "" {
		b.Skip("needs the image catalog: run make bench (STAGECRAFT_TEST_CACHE)")
	}
	c := catalog.Open(filepath.Join(cache, "catalog"))
	if _, err := c.Build(context.Background(), nil); err != nil {
		b.Fatal(err)
	}
	e, ok := c.Resolve("golang")
	if !ok || !e.Built {
		b.Skip("the catalog has no golang image on this machine")
	}
	return e.Store, e
}

// BenchmarkOpenSizes opens the golang image and reads its sizes: cold decompresses and hashes
// every layer; warm reads the per-layer sidecars only.
func BenchmarkOpenSizes(b *testing.B) {
	store, e := golangImage(b)
	open := func(b *testing.B, opts Options) {
		for b.Loop() {
			im, err := Open(store, e.Digest, opts)
			if err != nil {
				b.Fatal(err)
			}
			if im.UnpackedSize() != e.Size {
				b.Fatalf("size %d, catalog says %d", im.UnpackedSize(), e.Size)
			}
		}
		b.SetBytes(e.Size)
	}
	b.Run("cold", func(b *testing.B) { open(b, Options{}) })
	b.Run("warm", func(b *testing.B) {
		cache := b.TempDir()
		if _, err := Open(store, e.Digest, Options{CacheDir: cache}); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		open(b, Options{CacheDir: cache})
	})
}

// BenchmarkFilesWarm builds the final filesystem (~15k paths) from warm sidecars.
func BenchmarkFilesWarm(b *testing.B) {
	store, e := golangImage(b)
	cache := b.TempDir()
	im, err := Open(store, e.Digest, Options{CacheDir: cache})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := im.Files(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWasteWarm computes the golang image's wasted space (~15k paths) from warm sidecars:
// the cost every exercise report pays for its waste figures.
func BenchmarkWasteWarm(b *testing.B) {
	store, e := golangImage(b)
	im, err := Open(store, e.Digest, Options{CacheDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if w := im.Waste(); w.TotalBytes == 0 {
			b.Fatal("no content")
		}
	}
}
