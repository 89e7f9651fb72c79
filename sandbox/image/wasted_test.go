package image

import (
	"archive/tar"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/klauspost/compress/zstd"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

func TestWasteFindsDeletedAndReplacedContent(t *testing.T) {
	im, dir := openThree(t, "")
	w := im.Waste()
	// By hand: layer 0 holds secret.env (26 B), data/a (1), data/b (2) and etc/motd (5), all
	// hidden later: 34 bytes of 4158 are wasted.
	if w.TotalBytes != 4158 || w.WastedBytes != 34 || w.VisibleBytes != 4124 {
		t.Errorf("waste = total %d, wasted %d, visible %d; want 4158, 34, 4124", w.TotalBytes, w.WastedBytes, w.VisibleBytes)
	}
	if w.Layers[0].WastedBytes != 34 || w.Layers[0].WastedFiles != 4 || w.Layers[1].WastedBytes != 0 || w.Layers[0].CreatedBy != "COPY . /app" {
		t.Errorf("per layer = %+v", w.Layers)
	}
	if f := w.Files[0]; f.Path != "/app/secret.env" || f.Layer != 0 || f.HiddenBy != 1 || f.How != "deleted" {
		t.Errorf("largest wasted file = %+v", f)
	}
	var motd *WastedFile
	for i := range w.Files {
		if w.Files[i].Path == "/etc/motd" {
			motd = &w.Files[i]
		}
	}
	if motd == nil || motd.How != "replaced" || motd.HiddenBy != 2 {
		t.Errorf("/etc/motd = %+v, want replaced by layer 2", motd)
	}
	agreeWithExtraction(t, dir, w)
}

func TestWasteOfOverwrittenAndCleanImages(t *testing.T) {
	overwritten := []tlayer{
		{createdBy: "COPY big /opt/data", files: []tfile{dir("opt/"), reg("opt/data", strings.Repeat("x", 1000)), reg("opt/keep", "k")}},
		{compression: "gzip", createdBy: "RUN echo small > /opt/data", files: []tfile{dir("opt/"), reg("opt/data", "small")}},
		{createdBy: "RUN rm -rf /opt && mkdir /opt", files: []tfile{reg("opt", "now a file")}},
	}
	clean := []tlayer{
		{createdBy: "COPY app /app", files: []tfile{dir("app/"), reg("app/bin", "binary"), symlink("app/link", "bin")}},
		{compression: "zstd", createdBy: "COPY conf /etc/app", files: []tfile{dir("etc/"), reg("etc/app", "conf")}},
	}
	for name, tc := range map[string]struct {
		layers        []tlayer
		wasted, total int64
	}{
		"overwritten": {overwritten, 1000 + 1 + 5, 1000 + 1 + 5 + 10},
		"clean":       {clean, 0, 10},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			writeLayout(t, dir, tc.layers, ocispec.ImageConfig{}, nil)
			im, err := Open(dir, "", Options{CacheDir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			w := im.Waste()
			if w.WastedBytes != tc.wasted || w.TotalBytes != tc.total {
				t.Errorf("wasted %d of %d, want %d of %d (files %+v)", w.WastedBytes, w.TotalBytes, tc.wasted, tc.total, w.Files)
			}
			if tc.wasted == 0 && (w.Efficiency != 1 || len(w.Files) != 0) {
				t.Errorf("clean image: efficiency %v, files %+v", w.Efficiency, w.Files)
			}
			agreeWithExtraction(t, dir, w)
		})
	}
}

// agreeWithExtraction computes the same figures a second, independent way: it unpacks every
// layer of the OCI layout onto a real directory, applying whiteouts with the filesystem, and
// measures what is left on disk.
func agreeWithExtraction(t *testing.T, layout string, w Waste) {
	t.Helper()
	total, visible := extractAndMeasure(t, layout)
	if total != w.TotalBytes || visible != w.VisibleBytes || total-visible != w.WastedBytes {
		t.Errorf("extraction: total %d, visible %d, wasted %d; Waste: total %d, visible %d, wasted %d",
			total, visible, total-visible, w.TotalBytes, w.VisibleBytes, w.WastedBytes)
	}
}

func extractAndMeasure(t *testing.T, layout string) (total, visible int64) {
	t.Helper()
	readJSON := func(p string, v any) {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatal(err)
		}
	}
	blob := func(d string) string { return filepath.Join(layout, "blobs", strings.Replace(d, ":", "/", 1)) }
	var idx ocispec.Index
	readJSON(filepath.Join(layout, "index.json"), &idx)
	var m ocispec.Manifest
	readJSON(blob(idx.Manifests[0].Digest.String()), &m)
	root := t.TempDir()
	for _, l := range m.Layers {
		f, err := os.Open(blob(l.Digest.String()))
		if err != nil {
			t.Fatal(err)
		}
		var r io.Reader = f
		switch {
		case strings.HasSuffix(l.MediaType, "gzip"):
			if r, err = gzip.NewReader(f); err != nil {
				t.Fatal(err)
			}
		case strings.HasSuffix(l.MediaType, "zstd"):
			zr, err := zstd.NewReader(f)
			if err != nil {
				t.Fatal(err)
			}
			defer zr.Close()
			r = zr
		}
		type item struct {
			h    *tar.Header
			body []byte
		}
		var items []item
		tr := tar.NewReader(r)
		for {
			h, err := tr.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(tr)
			items = append(items, item{h, body})
		}
		f.Close()
		on := func(name string) string { return filepath.Join(root, path.Clean("/"+name)) }
		for _, it := range items { // whiteouts first: they hide what lower layers had
			dir, base := path.Split(it.h.Name)
			if base == ".wh..wh..opq" {
				kids, _ := os.ReadDir(on(dir))
				for _, k := range kids {
					os.RemoveAll(filepath.Join(on(dir), k.Name()))
				}
			} else if strings.HasPrefix(base, ".wh.") {
				os.RemoveAll(on(path.Join(dir, strings.TrimPrefix(base, ".wh."))))
			}
		}
		for _, it := range items {
			if strings.HasPrefix(path.Base(it.h.Name), ".wh.") {
				continue
			}
			p := on(it.h.Name)
			if st, err := os.Lstat(p); err == nil && !(st.IsDir() && it.h.Typeflag == tar.TypeDir) {
				os.RemoveAll(p)
			}
			os.MkdirAll(filepath.Dir(p), 0o755)
			switch it.h.Typeflag {
			case tar.TypeDir:
				os.MkdirAll(p, 0o755)
			case tar.TypeReg:
				total += int64(len(it.body))
				if err := os.WriteFile(p, it.body, 0o644); err != nil {
					t.Fatal(err)
				}
			case tar.TypeSymlink:
				os.Symlink(it.h.Linkname, p)
			case tar.TypeLink:
				if err := os.Link(on(it.h.Linkname), p); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	seen := map[uint64]bool{}
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		st, _ := os.Lstat(p)
		if ino := st.Sys().(*syscall.Stat_t).Ino; !seen[ino] {
			seen[ino] = true
			visible += st.Size()
		}
		return nil
	})
	return total, visible
}
