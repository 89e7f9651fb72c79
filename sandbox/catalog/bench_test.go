package catalog

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkLayerCompression writes the golang image's toolchain layer uncompressed and with
// gzip at BestSpeed; it reports the blob size. It is the measurement behind compressLayers.
func BenchmarkLayerCompression(b *testing.B) {
	in := detect(context.Background(), defaultHostPaths())
	if in.goroot == "" {
		b.Skip("no Go toolchain")
	}
	for _, gz := range []bool{false, true} {
		name := "tar"
		if gz {
			name = "gzip-bestspeed"
		}
		b.Run(name, func(b *testing.B) {
			dir := b.TempDir()
			var size, tarSize int64
			for b.Loop() {
				t := newTree()
				if err := t.hostTree(context.Background(), "usr/local/go", in.goroot, copyOptions{skip: skipInGoroot}); err != nil {
					b.Fatal(err)
				}
				l, err := blobStore{dir: dir, gzip: gz}.writeLayer(context.Background(), t, "")
				if err != nil {
					b.Fatal(err)
				}
				size, tarSize = l.desc.Size, l.uncompressedSize
				os.RemoveAll(filepath.Join(dir, "blobs"))
			}
			b.ReportMetric(float64(size)/(1<<20), "MiB-blob")
			b.ReportMetric(float64(tarSize)/(1<<20), "MiB-tar")
		})
	}
}
