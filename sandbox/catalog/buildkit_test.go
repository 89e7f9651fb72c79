package catalog

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/containerd/containerd/v2/core/content"
	"github.com/containerd/containerd/v2/plugins/content/local"
	"github.com/moby/buildkit/client"
	"github.com/opencontainers/go-digest"
	"github.com/tonistiigi/fsutil"

	"github.com/stagecraft/stagecraft/sandbox/image"
)

// buildkitAddr is the private daemon scripts/with-buildkitd.sh starts for `make test`.
func buildkitAddr(t testing.TB) string {
	t.Helper()
	addr := os.Getenv("STAGECRAFT_TEST_BUILDKIT")
	if addr == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("STAGECRAFT_TEST_BUILDKIT is unset in CI: integration tests must run on a BuildKit daemon (make test)")
		}
		t.Skip("no BuildKit daemon: run make test to run this test on a private buildkitd")
	}
	return addr
}

// solveResult is what a test learns from one build.
type solveResult struct {
	image *image.Image // the exported image (nil when the build failed)
	logs  string       // every RUN's output
	took  time.Duration
	err   error
}

// solve builds dockerfile with files as its context through the catalog, as the sandbox does:
// named contexts for the catalog's images, the catalog as an OCI store, no network for RUN.
func solve(t testing.TB, c *Catalog, dockerfile string, files map[string]string, refs []string) solveResult {
	t.Helper()
	attrs := c.NamedContexts(refs)
	for _, ref := range refs {
		if _, ok := c.Resolve(ref); ok && ref != "scratch" {
			key, _ := ContextKey(ref)
			if attrs[key] == "" {
				t.Fatalf("no named context for %s", ref)
			}
		}
	}
	return solveWith(t, c.StoreDir(), attrs, dockerfile, files, exportAndOpen)
}

// What solveWith does with the built image.
type exportMode int

const (
	noExport      exportMode = iota // build only
	exportOnly                      // export as an OCI layout
	exportAndOpen                   // export and read it with package image
)

// solveWith builds with the given OCI layout as the catalog store and named contexts.
func solveWith(t testing.TB, storeDir string, attrs map[string]string, dockerfile string, files map[string]string, export exportMode) solveResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	bk, err := client.New(ctx, buildkitAddr(t))
	if err != nil {
		t.Fatal(err)
	}
	defer bk.Close()

	src := t.TempDir()
	files["Dockerfile"] = dockerfile
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(src, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	srcFS, err := fsutil.NewFS(src)
	if err != nil {
		t.Fatal(err)
	}
	store, err := local.NewStore(storeDir)
	if err != nil {
		t.Fatal(err)
	}
	attrs = maps.Clone(attrs)
	attrs["filename"] = "Dockerfile"
	attrs["force-network-mode"] = "none"

	out := t.TempDir()
	var exports []client.ExportEntry
	if export != noExport {
		exports = []client.ExportEntry{{Type: client.ExporterOCI, Attrs: map[string]string{"tar": "false"}, OutputDir: out}}
	}
	ch := make(chan *client.SolveStatus)
	var logs strings.Builder
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for st := range ch {
			for _, l := range st.Logs {
				logs.Write(l.Data)
			}
		}
	}()
	start := time.Now()
	resp, err := bk.Solve(ctx, nil, client.SolveOpt{
		Frontend:      "dockerfile.v0",
		FrontendAttrs: attrs,
		LocalMounts:   map[string]fsutil.FS{"context": srcFS, "dockerfile": srcFS},
		OCIStores:     map[string]content.Store{StoreID: store},
		Exports:       exports,
	}, ch)
	wg.Wait()
	r := solveResult{logs: logs.String(), took: time.Since(start), err: err}
	if err != nil || export != exportAndOpen {
		return r
	}
	im, err := image.Open(out, digest.Digest(resp.ExporterResponse["containerimage.digest"]), image.Options{})
	if err != nil {
		t.Fatalf("reading the exported image: %v", err)
	}
	r.image = im
	return r
}

const serverGoMod = "module example.com/server\n\ngo 1.22\n"

// A multi-stage Go build as the course's exercises have it, entirely from the catalog: the
// golang stand-in compiles with the warm cache (only package main is compiled, with and
// without -trimpath), account commands work, and the distroless nonroot stand-in runs it.
func TestGolangToDistrolessOnBuildKit(t *testing.T) {
	buildkitAddr(t)
	c := fullCatalog(t)
	const dockerfile = `
FROM golang:1.22-alpine AS build
WORKDIR /src
COPY go.mod main.go ./
RUN mkdir /info && go build -x -o /tmp/server . 2>/tmp/plain.log; status=$?; grep -c '/compile -o' /tmp/plain.log > /info/compiles-plain; exit $status
RUN CGO_ENABLED=0 GOOS=linux go build -x -trimpath -ldflags="-s -w" -o /out/server . 2>/tmp/trim.log; status=$?; grep -c '/compile -o' /tmp/trim.log > /info/compiles-trimpath; exit $status
RUN go version > /info/go-version && go env CGO_ENABLED > /info/cgo
RUN addgroup -S app && adduser -S -G app app && id app > /info/id-app

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/server /server
COPY --from=build /info/ /info/
EXPOSE 8080
ENTRYPOINT ["/server"]
`
	r := solve(t, c, dockerfile, map[string]string{"go.mod": serverGoMod, "main.go": helloMain},
		[]string{"golang:1.22-alpine", "gcr.io/distroless/static-debian12:nonroot"})
	if r.err != nil {
		t.Fatalf("build failed: %v\n%s", r.err, r.logs)
	}
	t.Logf("build took %s", r.took)
	im := r.image
	if im.Config.User != "65532" || !slices.Equal(im.Config.Entrypoint, []string{"/server"}) {
		t.Errorf("config = %+v", im.Config)
	}
	if im.Config.Labels["org.stagecraft.standin"] != "true" {
		t.Errorf("the final image does not carry the stand-in label: %v", im.Config.Labels)
	}
	fsys, err := im.Files()
	if err != nil {
		t.Fatal(err)
	}
	if f, err := fsys.Stat("/server"); err != nil || f.Size < 1<<20 {
		t.Errorf("/server = %+v, %v", f, err)
	}
	if _, err := fsys.Lstat("/bin/sh"); err == nil {
		t.Error("the final image has a shell")
	}
	read := func(p string) string {
		b, err := fsys.ReadFile(p, 4096)
		if err != nil {
			t.Errorf("%s: %v", p, err)
		}
		return strings.TrimSpace(string(b))
	}
	if n := read("/info/compiles-plain"); n != "1" {
		t.Errorf("go build compiled %s packages; want 1 (main): the warm cache missed", n)
	}
	if n := read("/info/compiles-trimpath"); n != "1" {
		t.Errorf("go build -trimpath compiled %s packages; want 1 (main): the warm cache missed", n)
	}
	if v := read("/info/go-version"); !strings.Contains(v, runtime.Version()) {
		t.Errorf("go version in the image = %q", v)
	}
	if v := read("/info/cgo"); v != "0" {
		t.Errorf("CGO_ENABLED in the image = %q, want 0 (no C compiler)", v)
	}
	if v := read("/info/id-app"); !strings.Contains(v, "(app)") {
		t.Errorf("id app = %q", v)
	}
	if im.UnpackedSize() > 12<<20 {
		t.Errorf("final image is %d bytes", im.UnpackedSize())
	}
}

// apk in the alpine stand-in fails and says why; busybox and scratch work together.
func TestAlpineBusyboxScratchOnBuildKit(t *testing.T) {
	buildkitAddr(t)
	c := fullCatalog(t)
	r := solve(t, c, "FROM alpine:3.20\nRUN apk add --no-cache curl\n", map[string]string{}, []string{"alpine:3.20"})
	if r.err == nil {
		t.Fatal("apk add succeeded")
	}
	if !strings.Contains(r.logs, "offline stand-in") || !strings.Contains(r.logs, "no package manager") {
		t.Errorf("apk output does not explain the stand-in:\n%s", r.logs)
	}

	r = solve(t, c, `
FROM busybox:1.36 AS b
RUN echo hello > /hello && wc -c /hello
FROM scratch
COPY --from=b /hello /hello
`, map[string]string{}, []string{"busybox:1.36", "scratch"})
	if r.err != nil {
		t.Fatalf("build failed: %v\n%s", r.err, r.logs)
	}
	fsys, _ := r.image.Files()
	if b, err := fsys.ReadFile("/hello", 100); err != nil || string(b) != "hello\n" {
		t.Errorf("/hello = %q, %v", b, err)
	}
	if len(r.image.Layers) != 1 {
		t.Errorf("scratch image has %d layers", len(r.image.Layers))
	}
}
