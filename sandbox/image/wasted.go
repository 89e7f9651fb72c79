package image

import (
	"archive/tar"
	"path"
	"sort"
	"strings"
)

// Waste is what an image's layers carry that its final filesystem does not show: file content a
// later layer deletes (a whiteout, an opaque directory) or replaces at the same path. Every byte
// of it is still downloaded and stored, which is why "rm in a later RUN" never shrinks an image.
//
// Only regular file content counts. A hard link adds no bytes of its own (its content is its
// target's), and directory and symlink entries are metadata.
type Waste struct {
	TotalBytes   int64        `json:"total_bytes"`   // regular file content across every layer
	VisibleBytes int64        `json:"visible_bytes"` // what the final filesystem shows
	WastedBytes  int64        `json:"wasted_bytes"`  // TotalBytes − VisibleBytes
	Efficiency   float64      `json:"efficiency"`    // VisibleBytes / TotalBytes; 1 for an image without file content
	Layers       []LayerWaste `json:"layers"`        // one per layer, in order
	Files        []WastedFile `json:"files"`         // largest first
}

// LayerWaste is the content one layer added that later layers hid.
type LayerWaste struct {
	Layer       int    `json:"layer"`
	CreatedBy   string `json:"created_by,omitempty"`
	AddedBytes  int64  `json:"added_bytes"`
	WastedBytes int64  `json:"wasted_bytes"`
	WastedFiles int    `json:"wasted_files"`
}

// WastedFile is one version of a file that is in a layer but hidden from the final filesystem.
type WastedFile struct {
	Path     string `json:"path"`
	Layer    int    `json:"layer"`     // the layer that holds the bytes
	Size     int64  `json:"size"`      //
	HiddenBy int    `json:"hidden_by"` // the layer that deleted or replaced it
	How      string `json:"how"`       // "deleted" or "replaced"
}

// Waste computes the image's wasted space from the layers' file lists (the sidecar cache when
// warm: no layer is read).
func (im *Image) Waste() Waste {
	w := Waste{Layers: make([]LayerWaste, len(im.facts))}
	live := map[string]WastedFile{} // path → the visible version of a regular file
	dirs := map[string]bool{}       // paths that are directories now: only they can hide a subtree
	hide := func(p string, by int, how string) {
		if v, ok := live[p]; ok {
			v.HiddenBy, v.How = by, how
			w.Files = append(w.Files, v)
			delete(live, p)
		}
	}
	hideUnder := func(dir string, by int) {
		prefix := strings.TrimSuffix(dir, "/") + "/"
		for p := range live {
			if strings.HasPrefix(p, prefix) {
				hide(p, by, "deleted")
			}
		}
		for p := range dirs {
			if strings.HasPrefix(p, prefix) {
				delete(dirs, p)
			}
		}
	}
	for i, f := range im.facts {
		w.Layers[i].Layer = i
		if i < len(im.Layers) {
			w.Layers[i].CreatedBy = im.Layers[i].CreatedBy
		}
		// Whiteouts hide lower content before the layer's own entries land (as applyLayer).
		for _, e := range f.Entries {
			dir, base := path.Split(e.Path)
			switch {
			case base == whiteoutOpaque:
				hideUnder(dir, i)
			case strings.HasPrefix(base, whiteoutPrefix):
				gone := path.Join(dir, strings.TrimPrefix(base, whiteoutPrefix))
				hide(gone, i, "deleted")
				if dirs[gone] {
					hideUnder(gone, i)
					delete(dirs, gone)
				}
			}
		}
		for _, e := range f.Entries {
			if strings.HasPrefix(path.Base(e.Path), whiteoutPrefix) || e.Path == "/" {
				continue
			}
			// Anything at a path replaces the file that was there; a non-directory replaces a
			// whole directory.
			hide(e.Path, i, "replaced")
			if e.Type == tar.TypeDir {
				dirs[e.Path] = true
			} else if dirs[e.Path] {
				hideUnder(e.Path, i)
				delete(dirs, e.Path)
			}
			if e.Type == tar.TypeReg || e.Type == tar.TypeRegA {
				w.TotalBytes += e.Size
				w.Layers[i].AddedBytes += e.Size
				live[e.Path] = WastedFile{Path: e.Path, Layer: i, Size: e.Size}
			}
		}
	}
	for _, v := range live {
		w.VisibleBytes += v.Size
	}
	w.WastedBytes = w.TotalBytes - w.VisibleBytes
	w.Efficiency = 1
	if w.TotalBytes > 0 {
		w.Efficiency = float64(w.VisibleBytes) / float64(w.TotalBytes)
	}
	for _, f := range w.Files {
		w.Layers[f.Layer].WastedBytes += f.Size
		w.Layers[f.Layer].WastedFiles++
	}
	sort.Slice(w.Files, func(a, b int) bool {
		if w.Files[a].Size != w.Files[b].Size {
			return w.Files[a].Size > w.Files[b].Size
		}
		if w.Files[a].Path != w.Files[b].Path {
			return w.Files[a].Path < w.Files[b].Path
		}
		return w.Files[a].Layer < w.Files[b].Layer
	})
	if w.Files == nil {
		w.Files = []WastedFile{}
	}
	return w
}
