package catalog

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/containerd/containerd/v2/core/content"
	"github.com/containerd/containerd/v2/plugins/content/local"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/stagecraft/stagecraft/sandbox/image"
)

// withoutGo is a catalog that cannot find Go: it builds in about a second (no toolchain, no
// warm cache) and reports golang, node, nodejs and python as skipped.
func withoutGo(dir string) *Catalog {
	c := Open(dir)
	c.host.goBin = filepath.Join(dir, "no-such-go")
	// Node and Python are left out too: node's npm cache comes from the registry, and both
	// copy tens of megabytes.
	c.host.nodeBin = filepath.Join(dir, "no-such-node")
	c.host.python = filepath.Join(dir, "no-such-python3")
	return c
}

// checkLayout verifies the built store as BuildKit will read it: index.json names every entry,
// containerd's local content store (what client.SolveOpt.OCIStores takes) serves the manifest,
// and every blob matches its digest (image.Open verifies manifest, config, layers, diff IDs).
func checkLayout(t *testing.T, c *Catalog, entries []Entry) map[string]*image.Image {
	t.Helper()
	store := c.StoreDir()
	if store == "" {
		t.Fatal("no store after Build")
	}
	b, err := os.ReadFile(filepath.Join(store, "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	var idx ocispec.Index
	if err := json.Unmarshal(b, &idx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(store, "oci-layout")); err != nil {
		t.Error(err)
	}
	cs, err := local.NewStore(store)
	if err != nil {
		t.Fatal(err)
	}
	images := map[string]*image.Image{}
	for _, e := range entries {
		if e.BuiltIn || !e.Built {
			continue
		}
		if e.Store != store {
			t.Errorf("%s: store %s, want %s", e.Name, e.Store, store)
		}
		i := slices.IndexFunc(idx.Manifests, func(d ocispec.Descriptor) bool { return d.Digest == e.Digest })
		if i < 0 {
			t.Errorf("%s: manifest %s not in index.json", e.Name, e.Digest)
			continue
		}
		if got := idx.Manifests[i].Annotations[ocispec.AnnotationRefName]; got != e.Name {
			t.Errorf("%s: ref name %q", e.Name, got)
		}
		if _, err := content.ReadBlob(context.Background(), cs, idx.Manifests[i]); err != nil {
			t.Errorf("%s: containerd store cannot read the manifest: %v", e.Name, err)
		}
		im, err := image.Open(store, e.Digest, image.Options{})
		if err != nil {
			t.Errorf("%s: %v", e.Name, err)
			continue
		}
		if im.UnpackedSize() != e.Size || im.CompressedSize() != e.CompressedSize {
			t.Errorf("%s: entry sizes %d/%d, image %d/%d", e.Name, e.Size, e.CompressedSize, im.UnpackedSize(), im.CompressedSize())
		}
		if im.Config.Labels["org.stagecraft.standin"] != "true" || !strings.Contains(im.Config.Labels["org.opencontainers.image.description"], "stand-in") {
			t.Errorf("%s: labels %v do not mark a stand-in", e.Name, im.Config.Labels)
		}
		images[e.Name] = im
	}
	return images
}

func files(t *testing.T, im *image.Image) *image.FS {
	t.Helper()
	fsys, err := im.Files()
	if err != nil {
		t.Fatal(err)
	}
	return fsys
}

func TestBuildWithoutGoIsReproducibleAndIdempotent(t *testing.T) {
	c1, c2 := withoutGo(t.TempDir()), withoutGo(t.TempDir())
	var log bytes.Buffer
	r1, err := c1.Build(context.Background(), &log)
	if err != nil {
		t.Fatal(err)
	}
	var skipped []string
	for _, sk := range r1.Skipped {
		skipped = append(skipped, sk.Image)
	}
	if r1.UpToDate || !slices.Equal(skipped, []string{Golang, Node, Nodejs, Python}) {
		t.Errorf("report = %+v", r1)
	}
	r2, err := c2.Build(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range r1.Images {
		if e.Digest != r2.Images[i].Digest {
			t.Errorf("%s: digest %s in one build, %s in another: layers are not reproducible", e.Name, e.Digest, r2.Images[i].Digest)
		}
	}
	again, err := c1.Build(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !again.UpToDate || again.Store != r1.Store {
		t.Errorf("second Build = %+v, want up to date in %s", again, r1.Store)
	}

	images := checkLayout(t, c1, c1.List())
	bb := files(t, images[Busybox])
	for _, p := range []string{"/bin/sh", "/bin/ls", "/bin/wget"} {
		if f, err := bb.Lstat(p); err != nil || f.Linkname != "busybox" {
			t.Errorf("busybox %s = %+v, %v", p, f, err)
		}
	}
	if f, err := bb.Stat("/tmp"); err != nil || f.Mode&fs.ModeSticky == 0 || f.Mode.Perm() != 0o777 {
		t.Errorf("/tmp = %v, %v", f.Mode, err)
	}
	if f, err := bb.Stat("/home/nonroot"); err != nil || f.UID != 65532 || f.GID != 65532 {
		t.Errorf("/home/nonroot = %+v, %v", f, err)
	}
	if b, _ := bb.ReadFile("/etc/passwd", 4096); !bytes.Contains(b, []byte("nonroot:x:65532:65532:")) {
		t.Errorf("/etc/passwd = %q", b)
	}
	if cfg := images[Busybox].Config; !slices.Equal(cfg.Cmd, []string{"sh"}) || !slices.Contains(cfg.Env, "PATH="+basePath) {
		t.Errorf("busybox config = %+v", cfg)
	}
	al := files(t, images[Alpine])
	if b, err := al.ReadFile("/sbin/apk", 4096); err != nil || !bytes.Contains(b, []byte("no package manager")) || !bytes.Contains(b, []byte("exit 1")) {
		t.Errorf("/sbin/apk = %q, %v", b, err)
	}
	if _, err := al.Stat("/etc/alpine-release"); err == nil {
		t.Error("the alpine stand-in claims to be Alpine")
	}
	st := files(t, images[Static])
	for _, p := range []string{"/etc/ssl/certs/ca-certificates.crt", "/usr/share/zoneinfo/Europe/Paris", "/etc/group"} {
		if _, err := st.Stat(p); err != nil {
			t.Errorf("static: %v", err)
		}
	}
	if _, err := st.Lstat("/bin/sh"); err == nil {
		t.Error("static has a shell")
	}
	if u := images[Static].Config.User; u != "" {
		t.Errorf("static user %q, want root", u)
	}
	if u := images[StaticNonroot].Config.User; u != "65532" {
		t.Errorf("static:nonroot user %q", u)
	}
	if images[Static].Layers[0].Digest != images[StaticNonroot].Layers[0].Digest {
		t.Error("static and static:nonroot do not share their layer")
	}

	// Resolve and NamedContexts see the built catalog.
	e, ok := c1.Resolve("gcr.io/distroless/static-debian12:nonroot")
	if !ok || e.Name != StaticNonroot || !e.Built || e.Context() != "oci-layout://stagecraft-catalog@"+e.Digest.String() {
		t.Errorf("resolve = %+v", e)
	}
	attrs := c1.NamedContexts([]string{"busybox:1.36", "gcr.io/distroless/static:nonroot", "golang:1.22", "node:20", "scratch"})
	want := map[string]string{
		"context:busybox:1.36":                     images[Busybox].ManifestDigest.String(),
		"context:gcr.io/distroless/static:nonroot": images[StaticNonroot].ManifestDigest.String(),
	}
	if len(attrs) != len(want) {
		t.Errorf("named contexts = %v", attrs)
	}
	for k, d := range want {
		if attrs[k] != "oci-layout://"+StoreID+"@"+d {
			t.Errorf("%s = %q", k, attrs[k])
		}
	}
}

// The full catalog, golang included, built from nothing by two concurrent Builds: one builds,
// the other waits on the lock and finds it up to date.
func TestBuildFromNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the Go standard library (about two minutes on two cores)")
	}
	dir := filepath.Join(shared.root, "fresh")
	// A leftover of a build that was killed.
	if err := os.MkdirAll(filepath.Join(dir, ".tmp-killed", "store"), 0o755); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	reports := make([]Report, 2)
	errs := make([]error, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			reports[i], errs[i] = Open(dir).Build(context.Background(), testLog{t})
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if reports[0].UpToDate == reports[1].UpToDate || reports[0].Store != reports[1].Store {
		t.Errorf("concurrent builds: %+v / %+v; want one build and one up to date, same store", reports[0], reports[1])
	}
	if _, err := os.Stat(filepath.Join(dir, ".tmp-killed")); !os.IsNotExist(err) {
		t.Error("the killed build's leftovers are still there")
	}
	c := Open(dir)
	shared.Lock()
	if shared.dir == "" && os.Getenv("STAGECRAFT_TEST_CACHE") == "" {
		shared.dir = dir // the other slow tests may use this one
	}
	shared.Unlock()
	images := checkLayout(t, c, c.List())
	gimg := images[Golang]
	if gimg == nil {
		t.Fatal("no golang image")
	}
	g := files(t, gimg)
	for _, p := range []string{"/usr/local/go/bin/go", "/usr/local/go/pkg/tool", "/usr/local/go/src/net/http/server.go", "/bin/sh", "/etc/ssl/certs/ca-certificates.crt", "/usr/sbin/useradd", "/go/bin"} {
		if _, err := g.Stat(p); err != nil {
			t.Errorf("golang: %v", err)
		}
	}
	for _, p := range []string{"/usr/local/go/test", "/usr/local/go/api", "/usr/local/go/doc", "/usr/local/go/src/net/http/server_test.go", "/usr/local/go/src/net/http/testdata"} {
		if _, err := g.Lstat(p); err == nil {
			t.Errorf("golang: %s should have been left out", p)
		}
	}
	var cacheFiles int
	g.Walk(func(f image.File) error {
		if strings.HasPrefix(f.Path, goCacheDir+"/") && f.Mode.IsRegular() {
			cacheFiles++
		}
		return nil
	})
	if cacheFiles < 500 {
		t.Errorf("the warm build cache has %d files", cacheFiles)
	}
	env := gimg.Config.Env
	for _, want := range []string{"GOPATH=/go", "GOTOOLCHAIN=local", "GOPROXY=off", "GOCACHE=" + goCacheDir} {
		if !slices.Contains(env, want) {
			t.Errorf("golang env %v lacks %s", env, want)
		}
	}
	for _, e := range env {
		if strings.HasPrefix(e, "CGO_ENABLED=") || strings.HasPrefix(e, "GOFLAGS=") {
			t.Errorf("golang env sets %s", e)
		}
	}

	// With make test's shared catalog at hand (another dir, another time), the same inputs
	// must have given the same digests, golang and its warm cache included.
	if os.Getenv("STAGECRAFT_TEST_CACHE") != "" {
		other := fullCatalog(t).List()
		for i, e := range c.List() {
			if e.Name == Node && e.Built && other[i].Built {
				// The npm cache holds registry responses with their fetch times: compare
				// every layer but that last one.
				a, errA := image.Open(e.Store, e.Digest, image.Options{})
				b, errB := image.Open(other[i].Store, other[i].Digest, image.Options{})
				if errA != nil || errB != nil {
					t.Fatalf("opening the node images: %v, %v", errA, errB)
				}
				for j := 0; j < len(a.Layers)-1 && j < len(b.Layers)-1; j++ {
					if a.Layers[j].Digest != b.Layers[j].Digest {
						t.Errorf("node layer %d: %s here, %s in %s: not reproducible", j, a.Layers[j].Digest, b.Layers[j].Digest, other[i].Store)
					}
				}
				continue
			}
			if e.Digest != other[i].Digest {
				t.Errorf("%s: %s here, %s in %s: the catalog is not reproducible", e.Name, e.Digest, other[i].Digest, other[i].Store)
			}
		}
	}
}

// Cancelling a build half way (here: as it starts on golang, after three images are written)
// leaves no catalog at all, and no temporary files.
func TestInterruptedBuildLeavesNoHalfCatalog(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := &cancelOn{substr: "golang: copying", cancel: cancel}
	_, err := Open(dir).Build(ctx, w)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want canceled", err)
	}
	if !w.seen {
		t.Fatal("the build never reached golang")
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if e.Name() != "lock" {
			t.Errorf("left behind: %s", e.Name())
		}
	}
	c := Open(dir)
	if c.StoreDir() != "" {
		t.Error("a store is in use after a cancelled first build")
	}
	for _, e := range c.List() {
		if e.Built && !e.BuiltIn {
			t.Errorf("%s is built", e.Name)
		}
	}
}

// A cancelled rebuild keeps the catalog that was in use.
func TestInterruptedRebuildKeepsPreviousCatalog(t *testing.T) {
	dir := t.TempDir()
	c := withoutGo(dir)
	if _, err := c.Build(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	before := c.StoreDir()
	// The host changed (Go appeared): the stamp differs and Build starts over, then is cancelled.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c2 := Open(dir)
	_, err := c2.Build(ctx, &cancelOn{substr: "golang: copying", cancel: cancel})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want canceled", err)
	}
	if after := c2.StoreDir(); after != before {
		t.Errorf("store after a cancelled rebuild = %q, want %q", after, before)
	}
	if e, _ := c2.Resolve("busybox"); !e.Built {
		t.Error("busybox is gone after a cancelled rebuild")
	}
	tmps, _ := filepath.Glob(filepath.Join(dir, ".tmp-*"))
	if len(tmps) != 0 {
		t.Errorf("left behind: %v", tmps)
	}
}

type cancelOn struct {
	substr string
	cancel func()
	seen   bool
}

func (w *cancelOn) Write(p []byte) (int, error) {
	if strings.Contains(string(p), w.substr) {
		w.seen = true
		w.cancel()
	}
	return len(p), nil
}

func TestPrune(t *testing.T) {
	dir := t.TempDir()
	c := withoutGo(dir)
	if _, err := c.Build(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Prune(); err != nil {
		t.Fatal(err)
	}
	if c.StoreDir() != "" {
		t.Error("store still in use after Prune")
	}
	stores, _ := filepath.Glob(filepath.Join(dir, "store-*"))
	if len(stores) != 0 {
		t.Errorf("stores left: %v", stores)
	}
	if err := Open(filepath.Join(dir, "never-made")).Prune(); err != nil {
		t.Errorf("prune of a missing catalog: %v", err)
	}
}
