package catalog

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/stagecraft/stagecraft/sandbox/image"
)

// The static images are served for other platforms (same layers, a config naming the
// platform); images with programs are not, and asking says why; glibc bases carry the host's
// loader and C library.
func TestPlatformsAndLibcImages(t *testing.T) {
	c := withoutGo(t.TempDir())
	if _, err := c.Build(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	entries := c.List()
	images := checkLayout(t, c, entries)
	byName := map[string]Entry{}
	for _, e := range entries {
		byName[e.Name] = e
	}
	other := "linux/arm64"
	if HostPlatform() == other {
		other = "linux/amd64"
	}

	st := byName[Static]
	if !slices.Contains(st.Platforms, other) || st.Platforms[0] != HostPlatform() || st.Variants[other] == "" {
		t.Fatalf("static platforms %v variants %v, want %s served", st.Platforms, st.Variants, other)
	}
	v, err := image.Open(st.Store, st.Variants[other], image.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := v.Platform.OS + "/" + v.Platform.Architecture; got != other {
		t.Errorf("static's %s variant says %s", other, got)
	}
	host := images[Static]
	if len(v.Layers) != len(host.Layers) || v.Layers[0].Digest != host.Layers[0].Digest {
		t.Error("static's variant does not share the host image's layers")
	}
	if bb := byName[Busybox]; len(bb.Platforms) != 1 || bb.ServesPlatform(other) || len(bb.Variants) != 0 {
		t.Errorf("busybox platforms %v: an image with programs must be the host's only", bb.Platforms)
	}

	attrs, err := c.ContextsFor([]Want{
		{Ref: "gcr.io/distroless/static-debian12", Platform: other},
		{Ref: "gcr.io/distroless/static-debian12", Platform: ""},
		{Ref: "busybox:1.36", Platform: HostPlatform()},
		{Ref: "scratch", Platform: other},
		{Ref: "debian:bookworm", Platform: other}, // not the catalog's: left to the registry
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"context:gcr.io/distroless/static-debian12::" + other: "oci-layout://" + StoreID + "@" + st.Variants[other].String(),
		"context:gcr.io/distroless/static-debian12":           st.Context(),
		"context:busybox:1.36":                                byName[Busybox].Context(),
	}
	if len(attrs) != len(want) {
		t.Errorf("contexts = %v, want %v", attrs, want)
	}
	for k, val := range want {
		if attrs[k] != val {
			t.Errorf("%s = %q, want %q", k, attrs[k], val)
		}
	}
	_, err = c.ContextsFor([]Want{{Ref: "gcr.io/distroless/base-debian12:nonroot", Platform: other}})
	var pe *PlatformError
	if !errors.As(err, &pe) || pe.Image != BaseNonroot || pe.Platform != other ||
		!strings.Contains(err.Error(), "served for "+HostPlatform()+" only") || !strings.Contains(err.Error(), "$BUILDPLATFORM") {
		t.Errorf("base for %s: %v, want a PlatformError that says why", other, err)
	}

	// The glibc images: the loader and libc at the paths programs ask for; base has no shell,
	// the debian slim stand-in has one and an apt-get that says what it is.
	in := detect(context.Background(), c.host)
	if in.libc == nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no glibc on this machine, so no glibc base images: %v", in.libcMissing)
		}
		t.Skipf("no glibc on this machine: %v", in.libcMissing)
	}
	for _, name := range []string{Base, BaseNonroot, DebianSlim} {
		fsys := files(t, images[name])
		for _, p := range []string{in.libc.Loader, path.Join(path.Dir(pathOfLib(in.libc, "libc.so.6")), "libc.so.6")} {
			if f, err := fsys.Stat(p); err != nil || !f.Mode.IsRegular() || f.Size < 1000 {
				t.Errorf("%s: %s = %+v, %v", name, p, f, err)
			}
		}
	}
	if _, err := files(t, images[Base]).Lstat("/bin/sh"); err == nil {
		t.Error("base has a shell")
	}
	if u := images[BaseNonroot].Config.User; u != "65532" {
		t.Errorf("base:nonroot user %q", u)
	}
	ds := files(t, images[DebianSlim])
	if _, err := ds.Stat("/bin/sh"); err != nil {
		t.Errorf("debian slim has no shell: %v", err)
	}
	if b, err := ds.ReadFile("/usr/bin/apt-get", 4096); err != nil || !bytes.Contains(b, []byte("not Debian")) {
		t.Errorf("/usr/bin/apt-get = %q, %v", b, err)
	}
	if images[Base].Layers[1].Digest != images[DebianSlim].Layers[2].Digest {
		t.Error("base and debian slim do not share the libc layer")
	}
}

func pathOfLib(l *libcInfo, so string) string {
	for p := range l.Libs {
		if path.Base(p) == so {
			return p
		}
	}
	return "/" + so
}
