package catalog

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// image writes the config and manifest of one image and records it for index.json.
// extraHistory are the empty-layer entries (ENV, CMD, ...) that follow the layers.
func (b *builder) image(name string, layers []layer, cfg ocispec.ImageConfig, extraHistory []string) error {
	sp := specFor(name)
	cfg.Labels = map[string]string{
		"org.stagecraft.standin":               "true",
		"org.stagecraft.standin.for":           strings.Join(sp.standsIn, " "),
		"org.opencontainers.image.description": "stagecraft offline stand-in for " + strings.Join(sp.standsIn, ", ") + ": " + sp.description,
	}
	img := ocispec.Image{
		Platform: ocispec.Platform{OS: "linux", Architecture: runtime.GOARCH},
		Config:   cfg,
		RootFS:   ocispec.RootFS{Type: "layers"},
	}
	m := ocispec.Manifest{MediaType: ocispec.MediaTypeImageManifest}
	m.SchemaVersion = 2
	var unpacked int64
	for _, l := range layers {
		img.RootFS.DiffIDs = append(img.RootFS.DiffIDs, l.diffID)
		img.History = append(img.History, ocispec.History{CreatedBy: l.createdBy})
		m.Layers = append(m.Layers, l.desc)
		unpacked += l.uncompressedSize
	}
	for _, h := range extraHistory {
		img.History = append(img.History, ocispec.History{CreatedBy: h, EmptyLayer: true})
	}
	md, msize, err := b.putImage(img, m)
	if err != nil {
		return err
	}
	var compressed int64
	for _, l := range m.Layers {
		compressed += l.Size
	}
	b.index = append(b.index, ocispec.Descriptor{
		MediaType:   ocispec.MediaTypeImageManifest,
		Digest:      md,
		Size:        msize,
		Platform:    &img.Platform,
		Annotations: map[string]string{ocispec.AnnotationRefName: name},
	})
	e := Entry{
		Name: name, StandsIn: sp.standsIn, Description: sp.description, Built: true,
		Store: b.store.dir, Digest: md, Size: unpacked, CompressedSize: compressed,
	}
	if sp.anyPlatform() {
		if e.Variants, err = b.variants(img, m, name); err != nil {
			return err
		}
	}
	e.Platforms = servedPlatforms(e.Variants)
	b.entries = append(b.entries, e)
	b.logf("catalog: %-15s %s  %s unpacked", name, md.Encoded()[:12], humanBytes(unpacked))
	return nil
}

// putImage writes an image's config, then its manifest (m with that config), and returns the
// manifest's digest and size.
func (b *builder) putImage(img ocispec.Image, m ocispec.Manifest) (digest.Digest, int64, error) {
	cb, err := json.Marshal(img)
	if err != nil {
		return "", 0, err
	}
	cd, err := b.store.putBytes(cb)
	if err != nil {
		return "", 0, err
	}
	m.Config = ocispec.Descriptor{MediaType: ocispec.MediaTypeImageConfig, Digest: cd, Size: int64(len(cb))}
	mb, err := json.Marshal(m)
	if err != nil {
		return "", 0, err
	}
	md, err := b.store.putBytes(mb)
	if err != nil {
		return "", 0, err
	}
	return md, int64(len(mb)), nil
}

// writeIndex writes index.json and oci-layout, which make the directory an OCI layout.
func (b *builder) writeIndex() error {
	sort.Slice(b.index, func(i, j int) bool {
		return b.index[i].Annotations[ocispec.AnnotationRefName] < b.index[j].Annotations[ocispec.AnnotationRefName]
	})
	idx := ocispec.Index{MediaType: ocispec.MediaTypeImageIndex, Manifests: b.index}
	idx.SchemaVersion = 2
	ib, err := json.Marshal(idx)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(b.store.dir, "index.json"), ib, 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(b.store.dir, ocispec.ImageLayoutFile), []byte(`{"imageLayoutVersion":"1.0.0"}`), 0o644)
}

func specFor(name string) spec {
	for _, s := range specs() {
		if s.name == name {
			return s
		}
	}
	return spec{name: name}
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
