package catalog

import (
	"bufio"
	"context"
	_ "embed"
	"fmt"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

//go:embed files/apt-get
var aptScript []byte

// The shared libraries a glibc runtime base carries besides libc itself: what distroless/base
// (libc, libssl, libcrypto) and distroless/cc (plus libgcc_s and libstdc++) hold, and the
// pieces of glibc that programs open at run time (NSS for users and hosts, libresolv).
var libcSonames = []string{
	"libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "librt.so.1", "libresolv.so.2",
	"libnss_files.so.2", "libnss_dns.so.2", "libgcc_s.so.1", "libstdc++.so.6",
	"libssl.so.3", "libcrypto.so.3", "libz.so.1",
}

// libcInfo is this machine's glibc, found through the loader that runs /bin/sh.
type libcInfo struct {
	Version string            // "GLIBC 2.36-9+deb12u10", from the loader's --version
	Libs    map[string]string // path in the image (the loader's, the libraries') → host file
	Loader  string            // the loader as programs name it: /lib64/ld-linux-x86-64.so.2
}

// detectLibc asks ldd how the host's /bin/sh is loaded, which names the dynamic loader and the
// folder of libc; the other libraries are looked for beside libc. A machine without glibc (a
// musl or static system) has no loader to copy, and the libc images are skipped.
func detectLibc(ctx context.Context, in *inputs) {
	fix := "the libc images copy this machine's glibc: build the catalog on a glibc Linux (Debian, Ubuntu, Fedora)"
	sh := "/bin/sh"
	if real, err := filepath.EvalSymlinks(sh); err == nil {
		sh = real
	}
	libs, err := sharedLibs(ctx, sh)
	if err != nil || len(libs) == 0 {
		in.libcMissing = &missingError{"cannot find a glibc loader through ldd " + sh, fix}
		return
	}
	info := &libcInfo{Libs: map[string]string{}}
	var libcDir string
	for p, host := range libs {
		base := filepath.Base(p)
		switch {
		case strings.HasPrefix(base, "ld-linux"):
			info.Loader = p
			info.Libs[p] = host
			// The loader's real file, at its own path too: Debian's /lib64 entry is a link to it.
			if real, err := filepath.EvalSymlinks(p); err == nil && real != p {
				info.Libs[real] = host
			}
		case base == "libc.so.6":
			libcDir = filepath.Dir(p)
		}
	}
	if info.Loader == "" || libcDir == "" {
		in.libcMissing = &missingError{sh + " does not load glibc (no ld-linux loader and libc.so.6)", fix}
		return
	}
	for _, so := range libcSonames {
		p := filepath.Join(libcDir, so)
		if real, err := filepath.EvalSymlinks(p); err == nil {
			info.Libs[p] = real
		} else if so == "libc.so.6" {
			in.libcMissing = &missingError{"no " + p, fix}
			return
		}
	}
	out, _ := exec.CommandContext(ctx, libs[info.Loader], "--version").Output()
	line, _ := bufio.NewReader(strings.NewReader(string(out))).ReadString('\n')
	if i, j := strings.Index(line, "("), strings.Index(line, ")"); i >= 0 && j > i {
		info.Version = line[i+1 : j]
	} else {
		info.Version = "glibc"
	}
	in.libc = info
}

// stampLibc is the libc part of the catalog's stamp: the version and every file's checksum.
func (in inputs) stampLibc() string {
	if in.libc == nil {
		return ""
	}
	paths := make([]string, 0, len(in.libc.Libs))
	for p := range in.libc.Libs {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var b strings.Builder
	b.WriteString(in.libc.Version)
	for _, p := range paths {
		fmt.Fprintf(&b, " %s=%s", p, fileSum(in.libc.Libs[p]))
	}
	return b.String()
}

// libcLayer returns the layer with the loader and the shared libraries, written once and
// shared by the base images and the debian slim stand-in.
func (b *builder) libcLayer(ctx context.Context) (layer, error) {
	if b.glibcLayer != nil {
		return *b.glibcLayer, nil
	}
	if b.in.libc == nil {
		return layer{}, b.in.libcMissing
	}
	t := newTree()
	if err := t.addLibs(b.in.libc.Libs); err != nil {
		return layer{}, err
	}
	l, err := b.store.writeLayer(ctx, t, fmt.Sprintf("stagecraft catalog: this machine's C library (%s): the loader %s, libc, libm, NSS, libresolv, libgcc_s, libstdc++, libssl and libcrypto (%d files)",
		b.in.libc.Version, b.in.libc.Loader, len(b.in.libc.Libs)))
	if err != nil {
		return layer{}, fmt.Errorf("writing the libc layer: %w", err)
	}
	b.glibcLayer = &l
	return l, nil
}

// buildBase makes the distroless base/cc stand-ins: the static image's files plus glibc.
func (b *builder) buildBase(ctx context.Context) error {
	static, err := b.staticBase(ctx)
	if err != nil {
		return err
	}
	libc, err := b.libcLayer(ctx)
	if err != nil {
		return err
	}
	env := []string{"PATH=" + basePath, "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"}
	if err := b.image(Base, []layer{static, libc}, ocispec.ImageConfig{Env: env, WorkingDir: "/"}, nil); err != nil {
		return err
	}
	return b.image(BaseNonroot, []layer{static, libc}, ocispec.ImageConfig{Env: env, User: "65532", WorkingDir: "/home/nonroot"},
		[]string{"USER 65532", "WORKDIR /home/nonroot"})
}

// buildDebianSlim makes the debian:*-slim stand-in: busybox, CA certificates and glibc, with
// an apt-get that says it cannot install anything.
func (b *builder) buildDebianSlim(ctx context.Context) error {
	base, certs, err := b.baseAndCerts(ctx)
	if err != nil {
		return err
	}
	libc, err := b.libcLayer(ctx)
	if err != nil {
		return err
	}
	t := newTree()
	t.file("usr/bin/apt-get", 0o755, aptScript)
	t.symlink("usr/bin/apt", "apt-get")
	t.file("etc/debian_version", 0o644, []byte("stagecraft stand-in, not Debian\n"))
	apt, err := b.store.writeLayer(ctx, t, "stagecraft catalog: /usr/bin/apt-get and apt that say this is an offline stand-in with no package manager")
	if err != nil {
		return err
	}
	return b.image(DebianSlim, []layer{base, certs, libc, apt}, ocispec.ImageConfig{
		Env: []string{"PATH=" + basePath},
		Cmd: []string{"sh"},
	}, []string{`CMD ["sh"]`})
}
