package catalog

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/moby/buildkit/client"
	"github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
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

// BenchmarkBuildFromNothing builds the whole catalog into an empty dir. It takes minutes (the
// Go standard library is compiled for the warm cache), so it runs only when asked:
//
//	STAGECRAFT_BENCH_CATALOG=1 go test -run '^$' -bench BuildFromNothing -benchtime 1x ./sandbox/catalog
func BenchmarkBuildFromNothing(b *testing.B) {
	if os.Getenv("STAGECRAFT_BENCH_CATALOG") == "" {
		b.Skip("takes minutes: set STAGECRAFT_BENCH_CATALOG=1 (and -benchtime 1x)")
	}
	for b.Loop() {
		dir := b.TempDir()
		if _, err := Open(dir).Build(context.Background(), nil); err != nil {
			b.Fatal(err)
		}
		os.RemoveAll(dir)
	}
}

// BenchmarkBuildWithoutGo is the whole build pipeline minus the golang image.
func BenchmarkBuildWithoutGo(b *testing.B) {
	for b.Loop() {
		dir := b.TempDir()
		if _, err := withoutGo(dir).Build(context.Background(), nil); err != nil {
			b.Fatal(err)
		}
		os.RemoveAll(dir)
	}
}

// BenchmarkBuildUpToDate is the second Build: the host is checked, nothing is written.
func BenchmarkBuildUpToDate(b *testing.B) {
	c := fullCatalog(b)
	for b.Loop() {
		r, err := c.Build(context.Background(), nil)
		if err != nil || !r.UpToDate {
			b.Fatalf("%+v, %v", r, err)
		}
	}
}

// BenchmarkGolangOnBuildKit times a learner's build of a net/http server FROM golang:
//
//   - first-use: BuildKit's cache pruned before each build, so the golang image is loaded from
//     the catalog, with uncompressed layers (s-tar) and a gzip copy (s-gzip);
//   - warm-cache: the image already loaded, a changed main.go, the shipped build cache;
//   - cold-cache: the same with an empty GOCACHE, i.e. what the warm cache saves;
//   - export-tar, export-gzip: first use plus an OCI export of the (single-stage) image.
func BenchmarkGolangOnBuildKit(b *testing.B) {
	addr := buildkitAddr(b)
	c := fullCatalog(b)
	e, _ := c.Resolve("golang")
	tarStore, tarDigest := layoutCopy(b, e.Store, e.Digest, false)
	gzStore, gzDigest := layoutCopy(b, e.Store, e.Digest, true)
	const dockerfile = "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN %s go build -o /server .\n"
	run := func(b *testing.B, store string, dgst digest.Digest, prune bool, env string, mode exportMode) {
		attrs := map[string]string{"context:golang:1.22": "oci-layout://" + StoreID + "@" + dgst.String()}
		for i := 0; b.Loop(); i++ {
			if prune {
				b.StopTimer()
				pruneBuildKit(b, addr)
				b.StartTimer()
			}
			main := helloMain + fmt.Sprintf("\nvar bust = %d\n", time.Now().UnixNano())
			r := solveWith(b, store, attrs, fmt.Sprintf(dockerfile, env), map[string]string{"go.mod": serverGoMod, "main.go": main}, mode)
			if r.err != nil {
				b.Fatalf("%v\n%s", r.err, r.logs)
			}
		}
	}
	// Alternating tar and gzip in one loop keeps the load of a shared machine from favouring one.
	b.Run("first-use", func(b *testing.B) {
		var tarTime, gzTime time.Duration
		for b.Loop() {
			for _, v := range []struct {
				store string
				dgst  digest.Digest
				sum   *time.Duration
			}{{tarStore, tarDigest, &tarTime}, {gzStore, gzDigest, &gzTime}} {
				pruneBuildKit(b, addr)
				attrs := map[string]string{"context:golang:1.22": "oci-layout://" + StoreID + "@" + v.dgst.String()}
				main := helloMain + fmt.Sprintf("\nvar bust = %d\n", time.Now().UnixNano())
				start := time.Now()
				r := solveWith(b, v.store, attrs, fmt.Sprintf(dockerfile, ""), map[string]string{"go.mod": serverGoMod, "main.go": main}, noExport)
				*v.sum += time.Since(start)
				if r.err != nil {
					b.Fatalf("%v\n%s", r.err, r.logs)
				}
			}
		}
		b.ReportMetric(tarTime.Seconds()/float64(b.N), "s-tar/op")
		b.ReportMetric(gzTime.Seconds()/float64(b.N), "s-gzip/op")
	})
	b.Run("warm-cache", func(b *testing.B) { run(b, e.Store, e.Digest, false, "", noExport) })
	b.Run("cold-cache", func(b *testing.B) { run(b, e.Store, e.Digest, false, "GOCACHE=/tmp/empty-cache", noExport) })
	// A single-stage image FROM golang, exported: BuildKit must gzip uncompressed base layers
	// for the export (once; it keeps the result), while gzip base layers are reused as they are.
	b.Run("export-tar", func(b *testing.B) { run(b, tarStore, tarDigest, true, "", exportOnly) })
	b.Run("export-gzip", func(b *testing.B) { run(b, gzStore, gzDigest, true, "", exportOnly) })
}

func pruneBuildKit(b *testing.B, addr string) {
	ctx := context.Background()
	bk, err := client.New(ctx, addr)
	if err != nil {
		b.Fatal(err)
	}
	defer bk.Close()
	if err := bk.Prune(ctx, nil, client.PruneAll); err != nil {
		b.Fatal(err)
	}
}

// layoutCopy writes a copy of an image into a new layout with its layers uncompressed or
// gzip-compressed (BestSpeed), for comparing how BuildKit loads each.
func layoutCopy(b *testing.B, store string, manifest digest.Digest, gz bool) (string, digest.Digest) {
	b.Helper()
	dst := blobStore{dir: b.TempDir()}
	read := func(d digest.Digest) []byte {
		p, err := os.ReadFile(filepath.Join(store, "blobs", "sha256", d.Encoded()))
		if err != nil {
			b.Fatal(err)
		}
		return p
	}
	var m ocispec.Manifest
	if err := json.Unmarshal(read(manifest), &m); err != nil {
		b.Fatal(err)
	}
	if _, err := dst.putBytes(read(m.Config.Digest)); err != nil {
		b.Fatal(err)
	}
	for i, l := range m.Layers {
		blob := read(l.Digest)
		if strings.HasSuffix(l.MediaType, "+gzip") {
			zr, err := gzip.NewReader(bytes.NewReader(blob))
			if err != nil {
				b.Fatal(err)
			}
			if blob, err = io.ReadAll(zr); err != nil {
				b.Fatal(err)
			}
		}
		mt := ocispec.MediaTypeImageLayer
		if gz {
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
			zw.Write(blob)
			zw.Close()
			blob, mt = buf.Bytes(), ocispec.MediaTypeImageLayerGzip
		}
		d, err := dst.putBytes(blob)
		if err != nil {
			b.Fatal(err)
		}
		m.Layers[i] = ocispec.Descriptor{MediaType: mt, Digest: d, Size: int64(len(blob))}
	}
	mb, _ := json.Marshal(m)
	md, err := dst.putBytes(mb)
	if err != nil {
		b.Fatal(err)
	}
	return dst.dir, md
}
