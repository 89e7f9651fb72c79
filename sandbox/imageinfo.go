package sandbox

import (
	"fmt"
	"path/filepath"
	"strings"

	digest "github.com/opencontainers/go-digest"

	"github.com/stagecraft/stagecraft/sandbox/image"
)

// OpenImage reads an image the sandbox exported. Facts about layers (sizes, file lists) are
// cached by layer digest, so an unchanged image is read without decompressing it again.
func (s *Sandbox) OpenImage(manifest digest.Digest) (*image.Image, error) {
	if manifest == "" {
		return nil, fmt.Errorf("the build exported no image")
	}
	return image.Open(s.ImagesDir(), manifest, image.Options{CacheDir: filepath.Join(s.StoreDir, "facts")})
}

// ImageInfoOf describes an image for a report, with its n largest files.
func ImageInfoOf(im *image.Image, n int) (*ImageInfo, error) {
	info := &ImageInfo{
		Digest:          im.ManifestDigest.String(),
		SizeBytes:       im.UnpackedSize(),
		CompressedBytes: im.CompressedSize(),
		Layers:          []LayerInfo{},
		User:            im.Config.User,
		Entrypoint:      im.Config.Entrypoint,
		Cmd:             im.Config.Cmd,
		ExposedPorts:    im.Config.ExposedPorts,
	}
	if hc := im.Config.Healthcheck; hc != nil {
		info.Healthcheck = hc.Test
	}
	w := im.Waste()
	for i, l := range im.Layers {
		info.Layers = append(info.Layers, LayerInfo{Digest: l.Digest.String(), SizeBytes: l.UncompressedSize, CompressedBytes: l.CompressedSize, CreatedBy: InstructionOf(l.CreatedBy), WastedBytes: w.Layers[i].WastedBytes})
	}
	info.Waste = &WasteInfo{WastedBytes: w.WastedBytes, TotalBytes: w.TotalBytes, Efficiency: w.Efficiency}
	for i, f := range w.Files {
		if n > 0 && i == n {
			break
		}
		info.Waste.Files = append(info.Waste.Files, WastedFileInfo{Path: f.Path, Size: f.Size, Layer: f.Layer, HiddenBy: f.HiddenBy, How: f.How})
	}
	if n > 0 {
		fsys, err := im.Files()
		if err != nil {
			return nil, err
		}
		for _, f := range fsys.Largest(n) {
			info.Largest = append(info.Largest, FileInfo{Path: f.Path, Size: f.Size})
		}
	}
	return info, nil
}

// InstructionOf turns an image history entry into the instruction a learner wrote: BuildKit
// records RUN steps as "RUN /bin/sh -c …" and marks its entries with a "# buildkit" comment.
func InstructionOf(createdBy string) string {
	s := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(createdBy), "# buildkit"))
	if rest, ok := strings.CutPrefix(s, "RUN /bin/sh -c "); ok {
		return "RUN " + rest
	}
	return strings.TrimPrefix(s, "/bin/sh -c ")
}

// ImageInfo is what the final image is made of.
type ImageInfo struct {
	Digest          string      `json:"digest"`
	SizeBytes       int64       `json:"size_bytes"`
	CompressedBytes int64       `json:"compressed_bytes"`
	Layers          []LayerInfo `json:"layers"`
	User            string      `json:"user"`
	Entrypoint      []string    `json:"entrypoint,omitempty"`
	Cmd             []string    `json:"cmd,omitempty"`
	ExposedPorts    []string    `json:"exposed_ports,omitempty"`
	Healthcheck     []string    `json:"healthcheck,omitempty"`
	Largest         []FileInfo  `json:"largest_files,omitempty"`
	Waste           *WasteInfo  `json:"waste,omitempty"`
}

// LayerInfo is one layer and the instruction that made it.
type LayerInfo struct {
	Digest          string `json:"digest"`
	SizeBytes       int64  `json:"size_bytes"`
	CompressedBytes int64  `json:"compressed_bytes"`
	CreatedBy       string `json:"created_by"`
	WastedBytes     int64  `json:"wasted_bytes"` // of this layer's content, hidden by later layers
}

// FileInfo is a file of the final image.
type FileInfo struct {
	Path string `json:"path"`
	Size int64  `json:"size"`
}

// WasteInfo is the content the layers carry that the final filesystem hides: bytes a later
// layer deleted or replaced. They are still downloaded and stored with the image.
type WasteInfo struct {
	WastedBytes int64            `json:"wasted_bytes"`
	TotalBytes  int64            `json:"total_bytes"` // file content across every layer
	Efficiency  float64          `json:"efficiency"`  // visible / total, 1 when nothing is wasted
	Files       []WastedFileInfo `json:"files,omitempty"`
}

// WastedFileInfo is one hidden version of a file: the layer that holds its bytes and the layer
// that hid them (indexes into ImageInfo.Layers).
type WastedFileInfo struct {
	Path     string `json:"path"`
	Size     int64  `json:"size"`
	Layer    int    `json:"layer"`
	HiddenBy int    `json:"hidden_by"`
	How      string `json:"how"` // deleted or replaced
}
