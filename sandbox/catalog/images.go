package catalog

import (
	"bytes"
	"context"
	"debug/elf"
	_ "embed"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"strings"

	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

//go:embed files/apk
var apkScript []byte

//go:embed files/accounts
var accountsScript []byte

const (
	basePath   = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	goroot     = "/usr/local/go" // where the toolchain lives in the golang image, as upstream
	goCacheDir = "/root/.cache/go-build"
	nonrootID  = 65532
)

// missingError is a host input the catalog cannot build an image without; Build skips that
// image and says how to get the input.
type missingError struct{ what, fix string }

func (e *missingError) Error() string { return e.what + " (" + e.fix + ")" }

// builder writes the catalog's images into one OCI layout.
type builder struct {
	store   blobStore
	work    string // scratch space (warm Go cache), outside the layout
	w       io.Writer
	in      inputs
	index   []ocispec.Descriptor
	entries []Entry

	busyboxLayer, certsLayer, staticLayer, nodeLayer, glibcLayer *layer
}

func (b *builder) logf(format string, args ...any) {
	if b.w != nil {
		fmt.Fprintf(b.w, format+"\n", args...)
	}
}

// base returns the busybox layer, written once and shared by busybox, alpine and golang.
func (b *builder) base(ctx context.Context) (layer, error) {
	if b.busyboxLayer != nil {
		return *b.busyboxLayer, nil
	}
	if b.in.busybox == "" {
		return layer{}, b.in.busyboxMissing
	}
	t := newTree()
	if err := t.hostFile("bin/busybox", b.in.busybox, 0o755); err != nil {
		return layer{}, err
	}
	applets, err := busyboxApplets(ctx, b.in.busybox)
	if err != nil {
		return layer{}, err
	}
	for _, a := range applets {
		t.symlink("bin/"+a, "busybox")
	}
	accounts := []string{"adduser", "addgroup"}
	for _, a := range accounts {
		if _, ok := t.nodes["bin/"+a]; !ok {
			t.file("bin/"+a, 0o755, accountsScript)
		}
	}
	t.file("etc/passwd", 0o644, []byte(
		"root:x:0:0:root:/root:/bin/sh\n"+
			"nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"+
			"nonroot:x:65532:65532:nonroot:/home/nonroot:/bin/sh\n"))
	t.file("etc/group", 0o644, []byte("root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n"))
	t.file("etc/shadow", 0o640, []byte("root:*:10933:0:99999:7:::\nnobody:*:10933:0:99999:7:::\nnonroot:*:10933:0:99999:7:::\n"))
	t.dir("tmp", 0o1777, 0, 0)
	t.dir("root", 0o700, 0, 0)
	t.dir("home/nonroot", 0o700, nonrootID, nonrootID)
	t.dir("usr/bin", 0o755, 0, 0)
	t.dir("usr/sbin", 0o755, 0, 0)
	t.dir("var", 0o755, 0, 0)
	l, err := b.store.writeLayer(ctx, t, fmt.Sprintf("stagecraft catalog: %s (Debian busybox-static) at /bin/busybox, %d applet links in /bin, adduser/addgroup, root, nobody and nonroot (65532)", b.in.busyboxVersion, len(applets)))
	if err != nil {
		return layer{}, fmt.Errorf("writing the busybox layer: %w", err)
	}
	b.busyboxLayer = &l
	return l, nil
}

// baseAndCerts are the two layers every image with a shell starts from.
func (b *builder) baseAndCerts(ctx context.Context) (base, certs layer, err error) {
	if base, err = b.base(ctx); err != nil {
		return layer{}, layer{}, err
	}
	certs, err = b.certs(ctx)
	return base, certs, err
}

// certs returns the CA bundle layer (alpine and golang have one upstream; busybox does not).
func (b *builder) certs(ctx context.Context) (layer, error) {
	if b.certsLayer != nil {
		return *b.certsLayer, nil
	}
	t := newTree()
	if err := t.hostFile("etc/ssl/certs/ca-certificates.crt", b.in.caCerts, 0o644); err != nil {
		return layer{}, &missingError{"no CA certificates at " + b.in.caCerts, "install ca-certificates"}
	}
	l, err := b.store.writeLayer(ctx, t, "stagecraft catalog: CA certificates from the host at /etc/ssl/certs/ca-certificates.crt")
	if err != nil {
		return layer{}, fmt.Errorf("writing the certificates layer: %w", err)
	}
	b.certsLayer = &l
	return l, nil
}

func (b *builder) buildBusybox(ctx context.Context) error {
	base, err := b.base(ctx)
	if err != nil {
		return err
	}
	return b.image(Busybox, []layer{base}, ocispec.ImageConfig{
		Env: []string{"PATH=" + basePath},
		Cmd: []string{"sh"},
	}, []string{`CMD ["sh"]`})
}

func (b *builder) buildAlpine(ctx context.Context) error {
	base, certs, err := b.baseAndCerts(ctx)
	if err != nil {
		return err
	}
	t := newTree()
	t.file("sbin/apk", 0o755, apkScript)
	apk, err := b.store.writeLayer(ctx, t, "stagecraft catalog: /sbin/apk that says this is an offline stand-in with no package manager")
	if err != nil {
		return err
	}
	return b.image(Alpine, []layer{base, certs, apk}, ocispec.ImageConfig{
		Env: []string{"PATH=" + basePath},
		Cmd: []string{"/bin/sh"},
	}, []string{`CMD ["/bin/sh"]`})
}

// staticBase returns the static image's one layer, written once and shared by static,
// static:nonroot and nodejs.
func (b *builder) staticBase(ctx context.Context) (layer, error) {
	if b.staticLayer != nil {
		return *b.staticLayer, nil
	}
	t := newTree()
	t.file("etc/passwd", 0o644, []byte(
		"root:x:0:0:root:/root:/sbin/nologin\n"+
			"nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n"+
			"nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n"))
	t.file("etc/group", 0o644, []byte("root:x:0:\nnobody:x:65534:\ntty:x:5:\nstaff:x:50:\nnonroot:x:65532:\n"))
	t.file("etc/nsswitch.conf", 0o644, []byte("hosts: files dns\n"))
	if err := t.hostFile("etc/ssl/certs/ca-certificates.crt", b.in.caCerts, 0o644); err != nil {
		return layer{}, &missingError{"no CA certificates at " + b.in.caCerts, "install ca-certificates"}
	}
	if st, err := os.Stat(b.in.zoneinfo); err != nil || !st.IsDir() {
		return layer{}, &missingError{"no time zone database at " + b.in.zoneinfo, "install tzdata"}
	}
	if err := t.hostTree(ctx, "usr/share/zoneinfo", b.in.zoneinfo, copyOptions{}); err != nil {
		return layer{}, fmt.Errorf("copying time zones: %w", err)
	}
	t.dir("tmp", 0o1777, 0, 0)
	t.dir("root", 0o700, 0, 0)
	t.dir("home/nonroot", 0o700, nonrootID, nonrootID)
	l, err := b.store.writeLayer(ctx, t, "stagecraft catalog: passwd and group with root, nobody and nonroot (65532), CA certificates and tzdata from the host, /tmp")
	if err != nil {
		return layer{}, fmt.Errorf("writing the static layer: %w", err)
	}
	b.staticLayer = &l
	return l, nil
}

func (b *builder) buildStatic(ctx context.Context) error {
	l, err := b.staticBase(ctx)
	if err != nil {
		return err
	}
	env := []string{"PATH=" + basePath, "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"}
	if err := b.image(Static, []layer{l}, ocispec.ImageConfig{Env: env, WorkingDir: "/"}, nil); err != nil {
		return err
	}
	return b.image(StaticNonroot, []layer{l}, ocispec.ImageConfig{Env: env, User: "65532", WorkingDir: "/home/nonroot"},
		[]string{"USER 65532", "WORKDIR /home/nonroot"})
}

func (b *builder) buildGolang(ctx context.Context) error {
	if b.in.goVersion == "" {
		return b.in.goMissing
	}
	base, certs, err := b.baseAndCerts(ctx)
	if err != nil {
		return err
	}
	b.logf("catalog: golang: copying the %s toolchain from %s", b.in.goVersion, b.in.goroot)
	t := newTree()
	if err := t.hostTree(ctx, strings.TrimPrefix(goroot, "/"), b.in.goroot, copyOptions{skip: skipInGoroot}); err != nil {
		return fmt.Errorf("copying the Go toolchain: %w", err)
	}
	t.file("usr/sbin/useradd", 0o755, accountsScript)
	t.file("usr/sbin/groupadd", 0o755, accountsScript)
	tool, err := b.store.writeLayer(ctx, t, fmt.Sprintf("stagecraft catalog: the host's Go toolchain (%s) at %s, without tests, testdata, api/, doc/ and misc/; useradd/groupadd", b.in.goVersion, goroot))
	if err != nil {
		return fmt.Errorf("writing the Go toolchain layer: %w", err)
	}

	b.logf("catalog: golang: warming the build cache (go build std, a net/http program, -trimpath): about a minute on two cores")
	cache, err := warmGoCache(ctx, b.in, b.work)
	if err != nil {
		return fmt.Errorf("warming the Go build cache: %w", err)
	}
	t = newTree()
	t.dir("go", 0o1777, 0, 0)
	t.dir("go/bin", 0o1777, 0, 0)
	t.dir("go/src", 0o1777, 0, 0)
	t.dir("root", 0o700, 0, 0)
	t.dir("root/.cache", 0o755, 0, 0)
	if err := t.hostTree(ctx, strings.TrimPrefix(goCacheDir, "/"), cache, copyOptions{mtime: cacheMtime()}); err != nil {
		return fmt.Errorf("copying the Go build cache: %w", err)
	}
	warm, err := b.store.writeLayer(ctx, t, "stagecraft catalog: GOPATH /go and a warm build cache at "+goCacheDir+" (go build std, net/http with and without -trimpath, fmt, flag and os for GOARCH="+crossArch()+" and for -buildmode=pie, CGO_ENABLED=0)")
	if err != nil {
		return fmt.Errorf("writing the Go build cache layer: %w", err)
	}
	os.RemoveAll(cache)

	env := []string{
		"PATH=/go/bin:" + goroot + "/bin:" + basePath,
		"GOLANG_VERSION=" + strings.TrimPrefix(b.in.goVersion, "go"),
		"GOTOOLCHAIN=local",
		"GOPATH=/go",
		"GOPROXY=off",
		"GOCACHE=" + goCacheDir,
	}
	hist := make([]string, 0, len(env)+2)
	for _, e := range env {
		hist = append(hist, "ENV "+e)
	}
	hist = append(hist, "WORKDIR /go", `CMD ["sh"]`)
	return b.image(Golang, []layer{base, certs, tool, warm}, ocispec.ImageConfig{
		Env:        env,
		WorkingDir: "/go",
		Cmd:        []string{"sh"},
	}, hist)
}

// skipInGoroot leaves out of the toolchain what no build reads: tests, test data, the API
// lists, docs and editor support, and what upstream's golang image deletes too.
func skipInGoroot(rel string, d fs.DirEntry) bool {
	switch rel {
	case "test", "api", "doc", "misc", "pkg/obj", "pkg/bootstrap", "src/cmd/dist/dist", ".git":
		return true
	}
	name := path.Base(rel)
	if d.IsDir() {
		return name == "testdata"
	}
	if strings.HasPrefix(rel, "pkg/tool/") && (name == "api" || name == "go_bootstrap") {
		return true
	}
	return strings.HasSuffix(name, "_test.go")
}

// busyboxApplets lists the applets the binary provides (but not "busybox" itself).
func busyboxApplets(ctx context.Context, bin string) ([]string, error) {
	out, err := exec.CommandContext(ctx, bin, "--list").Output()
	if err != nil {
		return nil, fmt.Errorf("%s --list: %w", bin, err)
	}
	var applets []string
	for _, a := range strings.Fields(string(out)) {
		if a != "busybox" && !strings.Contains(a, "/") {
			applets = append(applets, a)
		}
	}
	if len(applets) == 0 {
		return nil, fmt.Errorf("%s --list printed no applets", bin)
	}
	return applets, nil
}

// isStatic reports whether an ELF binary runs without a dynamic loader (an image without libc
// can run only such a busybox).
func isStatic(bin string) (bool, error) {
	f, err := elf.Open(bin)
	if err != nil {
		return false, err
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return false, nil
		}
	}
	return true, nil
}

// busyboxVersion reads "BusyBox v1.35.0" from the binary's usage banner.
func busyboxVersion(ctx context.Context, bin string) string {
	out, _ := exec.CommandContext(ctx, bin).CombinedOutput()
	line, _, _ := bytes.Cut(out, []byte("\n"))
	if v, _, ok := strings.Cut(string(line), " ("); ok && strings.HasPrefix(v, "BusyBox") {
		return v
	}
	return "BusyBox"
}
