// Package image reads an OCI image from an OCI image layout (the offline catalog's store, or the
// output of BuildKit's oci exporter): manifest, config, layers and their sizes, the final
// filesystem after whiteouts, and a byte search over every layer for leaked secrets.
//
// Per-layer facts (uncompressed size, diff ID, file list) are kept in a JSON sidecar per layer
// digest, so re-checking an unchanged image reads no layer blob at all.
package image

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"time"

	"github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// Docker's media types for the same JSON shapes; BuildKit and registries still produce them.
const (
	mediaTypeDockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
	mediaTypeDockerList     = "application/vnd.docker.distribution.manifest.list.v2+json"
)

// Options tune Open.
type Options struct {
	// CacheDir holds per-layer facts keyed by layer digest. Empty: no sidecars, every Open
	// decompresses every layer.
	CacheDir string
}

// Image is one image read from an OCI layout.
type Image struct {
	Dir            string // the OCI layout
	ManifestDigest digest.Digest
	ConfigDigest   digest.Digest
	Platform       ocispec.Platform
	Config         Config
	Layers         []Layer
	History        []History
	RawConfig      []byte // the config blob as stored, for callers that need a field not in Config

	facts []*layerFacts // parallel to Layers
}

// Config is the runtime part of an image config: what `docker inspect` shows under Config.
type Config struct {
	User         string
	Entrypoint   []string
	Cmd          []string
	Env          []string
	ExposedPorts []string // sorted, as "8080/tcp"
	Volumes      []string // sorted
	WorkingDir   string
	Labels       map[string]string
	StopSignal   string
	Healthcheck  *Healthcheck // nil when the image sets none
}

// Healthcheck is Docker's HEALTHCHECK, kept in the config by BuildKit (not part of the OCI spec).
type Healthcheck struct {
	Test          []string
	Interval      time.Duration
	Timeout       time.Duration
	StartPeriod   time.Duration
	StartInterval time.Duration
	Retries       int
}

// History is one config history entry, including empty-layer ones (ENV, USER, ...).
type History struct {
	Created    *time.Time
	CreatedBy  string
	Comment    string
	EmptyLayer bool
}

// Layer is one filesystem layer of the image.
type Layer struct {
	Digest           digest.Digest // of the blob as stored (compressed or not)
	DiffID           digest.Digest // of the uncompressed tar
	MediaType        string
	CompressedSize   int64  // blob size
	UncompressedSize int64  // tar size
	CreatedBy        string // the history entry that made the layer ("" if history is short)
}

// rawConfig is the subset of an OCI/Docker image config we read; Healthcheck is Docker's.
type rawConfig struct {
	Architecture string `json:"architecture"`
	OS           string `json:"os"`
	Variant      string `json:"variant,omitempty"`
	Config       struct {
		ocispec.ImageConfig
		Healthcheck *struct {
			Test          []string      `json:"Test"`
			Interval      time.Duration `json:"Interval"`
			Timeout       time.Duration `json:"Timeout"`
			StartPeriod   time.Duration `json:"StartPeriod"`
			StartInterval time.Duration `json:"StartInterval"`
			Retries       int           `json:"Retries"`
		} `json:"Healthcheck,omitempty"`
	} `json:"config"`
	RootFS  ocispec.RootFS    `json:"rootfs"`
	History []ocispec.History `json:"history"`
}

// Open reads the image whose manifest (or index: the linux/GOARCH entry is chosen) has the given
// digest in the OCI layout at dir. An empty digest means the only image index.json names.
// Layer facts come from the sidecar cache when present; otherwise every layer is decompressed
// once, its digests verified, and the facts stored.
func Open(dir string, manifest digest.Digest, opts Options) (*Image, error) {
	desc, err := pickManifest(dir, manifest)
	if err != nil {
		return nil, err
	}
	mb, err := readBlob(dir, desc.Digest, 16<<20)
	if err != nil {
		return nil, fmt.Errorf("reading manifest: %w", err)
	}
	var m ocispec.Manifest
	if err := json.Unmarshal(mb, &m); err != nil {
		return nil, fmt.Errorf("parsing manifest %s: %w", desc.Digest, err)
	}
	if m.Config.Digest == "" {
		return nil, fmt.Errorf("manifest %s has no config", desc.Digest)
	}
	cb, err := readBlob(dir, m.Config.Digest, 64<<20)
	if err != nil {
		return nil, fmt.Errorf("reading config: %w", err)
	}
	var rc rawConfig
	if err := json.Unmarshal(cb, &rc); err != nil {
		return nil, fmt.Errorf("parsing config %s: %w", m.Config.Digest, err)
	}
	if len(rc.RootFS.DiffIDs) != len(m.Layers) {
		return nil, fmt.Errorf("config %s lists %d diff IDs for %d layers", m.Config.Digest, len(rc.RootFS.DiffIDs), len(m.Layers))
	}

	im := &Image{
		Dir:            dir,
		ManifestDigest: desc.Digest,
		ConfigDigest:   m.Config.Digest,
		Platform:       ocispec.Platform{OS: rc.OS, Architecture: rc.Architecture, Variant: rc.Variant},
		Config:         convertConfig(rc),
		RawConfig:      cb,
	}
	for _, h := range rc.History {
		im.History = append(im.History, History{Created: h.Created, CreatedBy: h.CreatedBy, Comment: h.Comment, EmptyLayer: h.EmptyLayer})
	}
	// History entries that made a layer line up with the layers in order.
	var createdBy []string
	for _, h := range rc.History {
		if !h.EmptyLayer {
			createdBy = append(createdBy, h.CreatedBy)
		}
	}
	for i, l := range m.Layers {
		layer := Layer{Digest: l.Digest, DiffID: rc.RootFS.DiffIDs[i], MediaType: l.MediaType, CompressedSize: l.Size}
		if i < len(createdBy) {
			layer.CreatedBy = createdBy[i]
		}
		im.Layers = append(im.Layers, layer)
	}
	if err := im.loadFacts(opts.CacheDir); err != nil {
		return nil, err
	}
	return im, nil
}

// CompressedSize is the sum of the layer blob sizes: what a registry stores and a pull downloads.
func (im *Image) CompressedSize() int64 {
	var n int64
	for _, l := range im.Layers {
		n += l.CompressedSize
	}
	return n
}

// UnpackedSize is the sum of the uncompressed layer tar sizes.
func (im *Image) UnpackedSize() int64 {
	var n int64
	for _, l := range im.Layers {
		n += l.UncompressedSize
	}
	return n
}

func convertConfig(rc rawConfig) Config {
	c := rc.Config
	out := Config{
		User:       c.User,
		Entrypoint: c.Entrypoint,
		Cmd:        c.Cmd,
		Env:        c.Env,
		WorkingDir: c.WorkingDir,
		Labels:     c.Labels,
		StopSignal: c.StopSignal,
	}
	for p := range c.ExposedPorts {
		out.ExposedPorts = append(out.ExposedPorts, p)
	}
	sort.Strings(out.ExposedPorts)
	for v := range c.Volumes {
		out.Volumes = append(out.Volumes, v)
	}
	sort.Strings(out.Volumes)
	if h := c.Healthcheck; h != nil {
		out.Healthcheck = &Healthcheck{Test: h.Test, Interval: h.Interval, Timeout: h.Timeout,
			StartPeriod: h.StartPeriod, StartInterval: h.StartInterval, Retries: h.Retries}
	}
	return out
}

// pickManifest finds the image manifest descriptor to read: the given digest (an index is
// narrowed to the linux/GOARCH image), or the only image in index.json.
func pickManifest(dir string, want digest.Digest) (ocispec.Descriptor, error) {
	if want != "" {
		if err := want.Validate(); err != nil {
			return ocispec.Descriptor{}, fmt.Errorf("manifest digest %q: %w", want, err)
		}
		b, err := readBlob(dir, want, 16<<20)
		if err != nil {
			return ocispec.Descriptor{}, fmt.Errorf("reading manifest: %w", err)
		}
		var probe struct {
			MediaType string               `json:"mediaType"`
			Manifests []ocispec.Descriptor `json:"manifests"`
		}
		if err := json.Unmarshal(b, &probe); err != nil {
			return ocispec.Descriptor{}, fmt.Errorf("parsing %s: %w", want, err)
		}
		if probe.Manifests == nil && probe.MediaType != ocispec.MediaTypeImageIndex && probe.MediaType != mediaTypeDockerList {
			return ocispec.Descriptor{Digest: want, MediaType: probe.MediaType, Size: int64(len(b))}, nil
		}
		return pickFromIndex(dir, probe.Manifests, 0)
	}
	b, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		return ocispec.Descriptor{}, fmt.Errorf("reading the layout's index: %w", err)
	}
	var idx ocispec.Index
	if err := json.Unmarshal(b, &idx); err != nil {
		return ocispec.Descriptor{}, fmt.Errorf("parsing %s: %w", filepath.Join(dir, "index.json"), err)
	}
	return pickFromIndex(dir, idx.Manifests, 0)
}

func pickFromIndex(dir string, descs []ocispec.Descriptor, depth int) (ocispec.Descriptor, error) {
	if depth > 4 {
		return ocispec.Descriptor{}, errors.New("image indexes nest too deep")
	}
	var images []ocispec.Descriptor
	for _, d := range descs {
		if d.Annotations["vnd.docker.reference.type"] == "attestation-manifest" {
			continue
		}
		if p := d.Platform; p != nil && (p.OS != "linux" || p.Architecture != runtime.GOARCH) {
			continue
		}
		images = append(images, d)
	}
	if len(images) != 1 {
		return ocispec.Descriptor{}, fmt.Errorf("the index lists %d images for linux/%s; pass a manifest digest", len(images), runtime.GOARCH)
	}
	d := images[0]
	if d.MediaType == ocispec.MediaTypeImageIndex || d.MediaType == mediaTypeDockerList {
		b, err := readBlob(dir, d.Digest, 16<<20)
		if err != nil {
			return ocispec.Descriptor{}, fmt.Errorf("reading index: %w", err)
		}
		var idx ocispec.Index
		if err := json.Unmarshal(b, &idx); err != nil {
			return ocispec.Descriptor{}, fmt.Errorf("parsing index %s: %w", d.Digest, err)
		}
		return pickFromIndex(dir, idx.Manifests, depth+1)
	}
	return d, nil
}

// blobPath is where an OCI layout keeps a blob.
func blobPath(dir string, d digest.Digest) string {
	return filepath.Join(dir, "blobs", d.Algorithm().String(), d.Encoded())
}

// readBlob reads a small blob (manifest, config) whole and verifies its digest.
func readBlob(dir string, d digest.Digest, limit int64) ([]byte, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	f, err := os.Open(blobPath(dir, d))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() > limit {
		return nil, fmt.Errorf("blob %s is %d bytes, more than the %d a manifest or config may have", d, st.Size(), limit)
	}
	b := make([]byte, st.Size())
	if _, err := f.ReadAt(b, 0); err != nil && st.Size() > 0 {
		return nil, err
	}
	if got := d.Algorithm().FromBytes(b); got != d {
		return nil, fmt.Errorf("blob %s has digest %s: the layout is corrupt", d, got)
	}
	return b, nil
}
