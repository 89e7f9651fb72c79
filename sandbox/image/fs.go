package image

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// OCI whiteouts: ".wh.NAME" deletes NAME from the layers below; ".wh..wh..opq" in a directory
// hides everything the layers below put in it.
const (
	whiteoutPrefix = ".wh."
	whiteoutOpaque = ".wh..wh..opq"
)

// ErrTruncated is returned with the first limit bytes when ReadFile's file is larger.
var ErrTruncated = errors.New("file is larger than the limit")

// File is one path of the final filesystem.
type File struct {
	Path     string      // absolute and clean
	Mode     fs.FileMode // type and permission bits
	Size     int64       // regular files and hard links (the linked file's size)
	UID, GID int
	Linkname string // symlink target as written, or the hard link's target path
	Layer    int    // index in Image.Layers of the layer that last wrote this path
}

// IsDir reports whether f is a directory.
func (f File) IsDir() bool { return f.Mode.IsDir() }

// FS is the image's filesystem after applying every layer in order, as a container sees it.
// It holds metadata only; ReadFile reads content from the layer that wrote the file.
type FS struct {
	im   *Image
	root *node
}

type node struct {
	file     File
	hardlink bool // a tar hard link; content lives at file.Linkname in the same layer
	kids     map[string]*node
}

// Files builds the final filesystem from the layers' file lists (from the sidecar cache when
// warm: no layer is decompressed).
func (im *Image) Files() (*FS, error) {
	root := &node{file: File{Path: "/", Mode: fs.ModeDir | 0o755}, kids: map[string]*node{}}
	for i, f := range im.facts {
		applyLayer(root, i, f.Entries)
	}
	fsys := &FS{im: im, root: root}
	// Hard links report the size of what they link to, once every layer is applied.
	var fix func(n *node)
	fix = func(n *node) {
		if n.hardlink {
			if t, err := fsys.Lstat(n.file.Linkname); err == nil {
				n.file.Size = t.Size
			}
		}
		for _, k := range n.kids {
			fix(k)
		}
	}
	fix(root)
	return fsys, nil
}

// applyLayer applies one layer: its whiteouts hide lower content first, then its entries land,
// so a layer may both empty a directory (opaque) and fill it again.
func applyLayer(root *node, layer int, entries []entry) {
	for _, e := range entries {
		dir, base := path.Split(e.Path)
		switch {
		case base == whiteoutOpaque:
			if d := lookup(root, dir); d != nil && d.kids != nil {
				d.kids = map[string]*node{}
			}
		case strings.HasPrefix(base, whiteoutPrefix):
			if d := lookup(root, dir); d != nil && d.kids != nil {
				delete(d.kids, strings.TrimPrefix(base, whiteoutPrefix))
			}
		}
	}
	for _, e := range entries {
		if strings.HasPrefix(path.Base(e.Path), whiteoutPrefix) || e.Path == "/" {
			continue
		}
		parent := mkdirAll(root, path.Dir(e.Path), layer)
		name := path.Base(e.Path)
		f := File{Path: e.Path, Mode: entryMode(e), Size: e.Size, UID: e.UID, GID: e.GID, Linkname: e.Link, Layer: layer}
		old := parent.kids[name]
		if f.Mode.IsDir() && old != nil && old.kids != nil {
			old.file = f // a directory over a directory merges: keep what is below
			continue
		}
		n := &node{file: f, hardlink: e.Type == tar.TypeLink}
		if f.Mode.IsDir() {
			n.kids = map[string]*node{}
		}
		parent.kids[name] = n
	}
}

func entryMode(e entry) fs.FileMode {
	m := fs.FileMode(e.Mode & 0o777)
	if e.Mode&04000 != 0 {
		m |= fs.ModeSetuid
	}
	if e.Mode&02000 != 0 {
		m |= fs.ModeSetgid
	}
	if e.Mode&01000 != 0 {
		m |= fs.ModeSticky
	}
	switch e.Type {
	case tar.TypeDir:
		m |= fs.ModeDir
	case tar.TypeSymlink:
		m |= fs.ModeSymlink
	case tar.TypeChar:
		m |= fs.ModeDevice | fs.ModeCharDevice
	case tar.TypeBlock:
		m |= fs.ModeDevice
	case tar.TypeFifo:
		m |= fs.ModeNamedPipe
	}
	return m
}

// lookup finds a path literally (no symlinks followed); nil if absent.
func lookup(root *node, p string) *node {
	n := root
	for _, c := range splitPath(p) {
		if n.kids == nil {
			return nil
		}
		if n = n.kids[c]; n == nil {
			return nil
		}
	}
	return n
}

// mkdirAll returns the directory node at p, creating directories a layer implies but does not
// list (tar writers may omit parents).
func mkdirAll(root *node, p string, layer int) *node {
	n := root
	cur := "/"
	for _, c := range splitPath(p) {
		cur = path.Join(cur, c)
		k := n.kids[c]
		if k == nil || k.kids == nil {
			k = &node{file: File{Path: cur, Mode: fs.ModeDir | 0o755, Layer: layer}, kids: map[string]*node{}}
			n.kids[c] = k
		}
		n = k
	}
	return n
}

func splitPath(p string) []string {
	p = strings.Trim(path.Clean("/"+p), "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// resolve walks p through the tree following symlinks in every component, and in the last one
// too when follow is set. Symlinks resolve inside the image root, as in a container.
func (fsys *FS) resolve(p string, follow bool) (*node, error) {
	hops := 0
	var walk func(p string, follow bool) (*node, error)
	walk = func(p string, follow bool) (*node, error) {
		comps := splitPath(p)
		n := fsys.root
		for i, c := range comps {
			if n.kids == nil {
				return nil, fs.ErrNotExist
			}
			k := n.kids[c]
			if k == nil {
				return nil, fs.ErrNotExist
			}
			last := i == len(comps)-1
			if k.file.Mode&fs.ModeSymlink != 0 && (!last || follow) {
				if hops++; hops > 40 {
					return nil, fmt.Errorf("%s: too many levels of symbolic links", p)
				}
				target := k.file.Linkname
				if !path.IsAbs(target) {
					target = path.Join(n.file.Path, target)
				}
				t, err := walk(target, true)
				if err != nil {
					return nil, err
				}
				k = t
			}
			n = k
		}
		return n, nil
	}
	return walk(p, follow)
}

// Lstat describes path without following a symlink at its end (symlinks in its parent
// directories are followed).
func (fsys *FS) Lstat(p string) (File, error) {
	n, err := fsys.resolve(p, false)
	if err != nil {
		return File{}, &fs.PathError{Op: "lstat", Path: p, Err: err}
	}
	return n.file, nil
}

// Stat describes path, following symlinks.
func (fsys *FS) Stat(p string) (File, error) {
	n, err := fsys.resolve(p, true)
	if err != nil {
		return File{}, &fs.PathError{Op: "stat", Path: p, Err: err}
	}
	return n.file, nil
}

// List returns a directory's entries sorted by name.
func (fsys *FS) List(dir string) ([]File, error) {
	n, err := fsys.resolve(dir, true)
	if err != nil {
		return nil, &fs.PathError{Op: "list", Path: dir, Err: err}
	}
	if n.kids == nil {
		return nil, &fs.PathError{Op: "list", Path: dir, Err: errors.New("not a directory")}
	}
	out := make([]File, 0, len(n.kids))
	for _, k := range sortedKids(n) {
		out = append(out, k.file)
	}
	return out, nil
}

func sortedKids(n *node) []*node {
	names := make([]string, 0, len(n.kids))
	for name := range n.kids {
		names = append(names, name)
	}
	sort.Strings(names)
	out := make([]*node, len(names))
	for i, name := range names {
		out[i] = n.kids[name]
	}
	return out
}

// Walk calls fn for every path under root ("/" included) in lexical order, without following
// symlinks. Returning fs.SkipDir from a directory skips its contents; any other error stops.
func (fsys *FS) Walk(fn func(File) error) error {
	var walk func(n *node) error
	walk = func(n *node) error {
		if err := fn(n.file); err != nil {
			if errors.Is(err, fs.SkipDir) && n.kids != nil {
				return nil
			}
			return err
		}
		for _, k := range sortedKids(n) {
			if err := walk(k); err != nil {
				return err
			}
		}
		return nil
	}
	err := walk(fsys.root)
	if errors.Is(err, fs.SkipDir) {
		return nil
	}
	return err
}

// Largest returns the n largest regular files, largest first (ties by path).
func (fsys *FS) Largest(n int) []File {
	var files []File
	fsys.Walk(func(f File) error {
		if f.Mode.IsRegular() && f.Linkname == "" {
			files = append(files, f)
		}
		return nil
	})
	sort.Slice(files, func(i, j int) bool {
		if files[i].Size != files[j].Size {
			return files[i].Size > files[j].Size
		}
		return files[i].Path < files[j].Path
	})
	if len(files) > n {
		files = files[:n]
	}
	return files
}

// ReadFile returns a regular file's content (symlinks followed), reading only the layer that
// wrote it. At most limit bytes are returned; a larger file returns them with ErrTruncated.
func (fsys *FS) ReadFile(p string, limit int64) ([]byte, error) {
	n, err := fsys.resolve(p, true)
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: p, Err: err}
	}
	if !n.file.Mode.IsRegular() {
		return nil, &fs.PathError{Op: "read", Path: p, Err: errors.New("not a regular file")}
	}
	want := n.file.Path
	if n.hardlink {
		want = n.file.Linkname // the content travels with the link's target in the same layer
	}
	var out []byte
	var truncated bool
	l := fsys.im.Layers[n.file.Layer]
	err = walkLayer(context.Background(), fsys.im.Dir, l, func(h *tar.Header, r io.Reader) error {
		if cleanPath(h.Name) != want {
			return nil
		}
		out, err = io.ReadAll(io.LimitReader(r, limit+1))
		if err != nil {
			return err
		}
		if int64(len(out)) > limit {
			out, truncated = out[:limit], true
		}
		return errStop
	}, nil)
	if err == nil {
		return nil, &fs.PathError{Op: "read", Path: p, Err: fmt.Errorf("not found in layer %d", n.file.Layer+1)}
	}
	if !errors.Is(err, errStop) {
		return nil, &fs.PathError{Op: "read", Path: p, Err: err}
	}
	if truncated {
		return out, ErrTruncated
	}
	return out, nil
}
