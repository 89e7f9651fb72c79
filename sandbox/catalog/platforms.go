package catalog

import (
	"fmt"
	"runtime"
	"strings"

	"github.com/containerd/platforms"
	"github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// The catalog's images are built from this machine's files, so an image with programs in it
// (busybox, Go, node, python, glibc) runs only on this machine's platform. An image with no
// programs — the static image's passwd, certificates and time zones — is the same bytes for
// every platform: the catalog also serves it, with the same layers and a config that names
// the other platform, for these, so a cross-compiled program can end on it.
var foreignPlatforms = []string{"linux/amd64", "linux/arm64", "linux/arm/v7", "linux/386", "linux/ppc64le", "linux/s390x", "linux/riscv64"}

// HostPlatform is the platform of the catalog's images with programs: this machine's.
func HostPlatform() string {
	return platforms.Format(platforms.Normalize(ocispec.Platform{OS: "linux", Architecture: runtime.GOARCH}))
}

// normPlatform normalizes "arm64" or "linux/aarch64" to "linux/arm64"; "" is the host's.
func normPlatform(p string) string {
	if p == "" {
		return HostPlatform()
	}
	pp, err := platforms.Parse(p)
	if err != nil {
		return p
	}
	return platforms.Format(platforms.Normalize(pp))
}

// ServesPlatform reports whether the entry can be served for a platform ("" is the host's).
func (e Entry) ServesPlatform(p string) bool {
	p = normPlatform(p)
	if e.BuiltIn || p == HostPlatform() {
		return true
	}
	_, ok := e.Variants[p]
	return ok
}

// ContextFor is Context for a platform: the manifest of that platform's variant, "" when the
// entry has none (or needs no context).
func (e Entry) ContextFor(p string) string {
	p = normPlatform(p)
	if p == HostPlatform() {
		return e.Context()
	}
	d, ok := e.Variants[p]
	if e.BuiltIn || !e.Built || !ok {
		return ""
	}
	return "oci-layout://" + StoreID + "@" + d.String()
}

// Want is one image a build needs, for one platform (normalized os/arch; "" is the host's).
type Want struct {
	Ref      string
	Platform string
}

// PlatformError is an image the catalog stands in for, asked for a platform its stand-in
// cannot serve: it holds this machine's programs, which would need an emulator there.
type PlatformError struct {
	Ref, Image, Platform string
	Serves               []string
}

func (e *PlatformError) Error() string {
	return fmt.Sprintf("%s for %s: the offline catalog's %s stand-in holds this machine's programs, built for %s, and is served for %s only "+
		"(the sandbox has no emulator to run them on %s); use it in a stage FROM --platform=$BUILDPLATFORM and cross-compile there, "+
		"and end the image on a base without programs, scratch or gcr.io/distroless/static, which the catalog serves for any platform",
		e.Ref, e.Platform, e.Image, HostPlatform(), strings.Join(e.Serves, ", "), e.Platform)
}

// ContextsFor returns the frontend attributes that serve the wanted images from the catalog,
// for the platforms they are wanted for: "context:NAME" for the host's platform and
// "context:NAME::os/arch" for another, which BuildKit's Dockerfile frontend looks up first for
// a stage of that platform. Images the catalog does not serve, scratch and images not built
// are left out; an image it serves, wanted for a platform it cannot serve, is a *PlatformError.
func (c *Catalog) ContextsFor(wants []Want) (map[string]string, error) {
	attrs := map[string]string{}
	entries := c.List()
	for _, w := range wants {
		name, ok := match(w.Ref)
		if !ok {
			continue
		}
		var e Entry
		for _, x := range entries {
			if x.Name == name {
				e = x
			}
		}
		p := normPlatform(w.Platform)
		if e.Built && !e.ServesPlatform(p) {
			return nil, &PlatformError{Ref: w.Ref, Image: e.Name, Platform: p, Serves: e.Platforms}
		}
		ctx := e.ContextFor(p)
		if ctx == "" {
			continue
		}
		key, err := ContextKey(w.Ref)
		if err != nil {
			continue
		}
		if p != HostPlatform() {
			key += "::" + p
		}
		attrs[key] = ctx
	}
	return attrs, nil
}

// variants writes, for an image without programs, one manifest per foreign platform: the same
// layers, a config that names the platform. It returns them by platform.
func (b *builder) variants(img ocispec.Image, m ocispec.Manifest, name string) (map[string]digest.Digest, error) {
	out := map[string]digest.Digest{}
	for _, ps := range foreignPlatforms {
		if ps == HostPlatform() {
			continue
		}
		p, err := platforms.Parse(ps)
		if err != nil {
			return nil, err
		}
		v := img
		v.Platform = ocispec.Platform{OS: p.OS, Architecture: p.Architecture, Variant: p.Variant}
		md, size, err := b.putImage(v, m)
		if err != nil {
			return nil, err
		}
		b.index = append(b.index, ocispec.Descriptor{
			MediaType:   ocispec.MediaTypeImageManifest,
			Digest:      md,
			Size:        size,
			Platform:    &v.Platform,
			Annotations: map[string]string{ocispec.AnnotationRefName: name},
		})
		out[ps] = md
	}
	return out, nil
}

// servedPlatforms lists the host's platform, then those of the variants in foreignPlatforms'
// order.
func servedPlatforms(variants map[string]digest.Digest) []string {
	out := []string{HostPlatform()}
	for _, p := range foreignPlatforms {
		if _, ok := variants[p]; ok {
			out = append(out, p)
		}
	}
	return out
}
