package catalog

import (
	"archive/tar"
	"bufio"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// fixedUnix (2000-01-01) is every catalog file's mtime, so the same inputs give the same layer
// digests and BuildKit's cache survives a catalog rebuild.
const fixedUnix = 946684800

func fixedTime() time.Time { return time.Unix(fixedUnix, 0).UTC() }

// tree is the content of one layer: paths (relative, no leading slash) to entries. Parents are
// added as directories when missing; the tar is written sorted, so order of adding is free.
type tree struct {
	nodes map[string]*tnode
}

type tnode struct {
	hdr  tar.Header
	src  string // host file to copy, for regular files
	data []byte // literal content, for regular files without src
}

func newTree() *tree { return &tree{nodes: map[string]*tnode{}} }

func (t *tree) add(p string, n *tnode) {
	p = strings.Trim(path.Clean("/"+p), "/")
	if p == "" {
		return
	}
	n.hdr.Name = p
	if n.hdr.ModTime.IsZero() {
		n.hdr.ModTime = fixedTime()
	}
	for d := path.Dir(p); d != "."; d = path.Dir(d) {
		if _, ok := t.nodes[d]; ok {
			break
		}
		t.nodes[d] = &tnode{hdr: tar.Header{Name: d, Typeflag: tar.TypeDir, Mode: 0o755, ModTime: fixedTime()}}
	}
	t.nodes[p] = n
}

// dir adds a directory; mode may carry the sticky bit (tar's 01000).
func (t *tree) dir(p string, mode int64, uid, gid int) {
	t.add(p, &tnode{hdr: tar.Header{Typeflag: tar.TypeDir, Mode: mode, Uid: uid, Gid: gid}})
}

func (t *tree) file(p string, mode int64, data []byte) {
	t.add(p, &tnode{hdr: tar.Header{Typeflag: tar.TypeReg, Mode: mode, Size: int64(len(data))}, data: data})
}

func (t *tree) symlink(p, target string) {
	t.add(p, &tnode{hdr: tar.Header{Typeflag: tar.TypeSymlink, Mode: 0o777, Linkname: target}})
}

// hostFile adds a copy of a host file (symlinks on the host are followed).
func (t *tree) hostFile(p, src string, mode int64) error {
	st, err := os.Stat(src)
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", src)
	}
	t.add(p, &tnode{hdr: tar.Header{Typeflag: tar.TypeReg, Mode: mode, Size: st.Size()}, src: src})
	return nil
}

// copyOptions shape a host tree copy.
type copyOptions struct {
	skip  func(rel string, d fs.DirEntry) bool // rel is slash-separated, relative to the source
	mtime time.Time                            // zero: fixedTime()
	// hostMtime keeps each file's host mtime (Python checks its bytecode against them).
	hostMtime bool
}

// hostTree adds the host directory src at dst: directories, regular files and symlinks with
// their permission bits, owned by root.
func (t *tree) hostTree(ctx context.Context, dst, src string, opt copyOptions) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if rel != "." && opt.skip != nil && opt.skip(rel, d) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		n := &tnode{hdr: tar.Header{Mode: int64(info.Mode().Perm()), ModTime: opt.mtime}}
		if opt.hostMtime {
			n.hdr.ModTime = info.ModTime().UTC().Truncate(time.Second)
		}
		switch {
		case d.IsDir():
			n.hdr.Typeflag = tar.TypeDir
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			n.hdr.Typeflag, n.hdr.Linkname, n.hdr.Mode = tar.TypeSymlink, target, 0o777
		case d.Type().IsRegular():
			n.hdr.Typeflag, n.hdr.Size, n.src = tar.TypeReg, info.Size(), p
		default:
			return nil // sockets, devices: nothing an image needs
		}
		t.add(path.Join(dst, rel), n)
		return nil
	})
}

// layer is a written layer blob and what its image config needs.
type layer struct {
	desc             ocispec.Descriptor
	diffID           digest.Digest
	uncompressedSize int64
	createdBy        string
}

// blobStore writes content-addressed blobs into an OCI layout's blobs/sha256.
type blobStore struct {
	dir  string // the layout
	gzip bool   // compress layers (see compressLayers)
}

func (s blobStore) path(d digest.Digest) string {
	return filepath.Join(s.dir, "blobs", d.Algorithm().String(), d.Encoded())
}

func (s blobStore) putBytes(b []byte) (digest.Digest, error) {
	d := digest.FromBytes(b)
	if err := os.MkdirAll(filepath.Dir(s.path(d)), 0o755); err != nil {
		return "", err
	}
	return d, os.WriteFile(s.path(d), b, 0o644)
}

// writeLayer writes the tree as a tar layer: entries sorted by path, root-owned unless the
// tree says otherwise, no user or group names, fixed times. Both digests are computed while
// streaming, so a 200 MB toolchain is read from the host once and never held in memory.
func (s blobStore) writeLayer(ctx context.Context, t *tree, createdBy string) (layer, error) {
	blobs := filepath.Join(s.dir, "blobs", "sha256")
	if err := os.MkdirAll(blobs, 0o755); err != nil {
		return layer{}, err
	}
	tmp, err := os.CreateTemp(blobs, ".layer-*")
	if err != nil {
		return layer{}, err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()

	blobHash := digest.Canonical.Digester()
	fileW := bufio.NewWriterSize(tmp, 1<<20)
	blobW := &countWriter{w: io.MultiWriter(fileW, blobHash.Hash())}
	var zw *gzip.Writer
	var tarOut io.Writer = blobW
	if s.gzip {
		zw, _ = gzip.NewWriterLevel(blobW, gzip.BestSpeed)
		tarOut = zw
	}
	diffHash := digest.Canonical.Digester()
	tarW := &countWriter{w: io.MultiWriter(tarOut, diffHash.Hash())}
	tw := tar.NewWriter(tarW)

	names := make([]string, 0, len(t.nodes))
	for p := range t.nodes {
		names = append(names, p)
	}
	sort.Strings(names)
	for _, p := range names {
		if err := ctx.Err(); err != nil {
			return layer{}, err
		}
		n := t.nodes[p]
		h := n.hdr
		if h.Typeflag == tar.TypeDir {
			h.Name += "/"
		}
		if err := tw.WriteHeader(&h); err != nil {
			return layer{}, fmt.Errorf("writing %s: %w", p, err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		if n.src == "" {
			if _, err := tw.Write(n.data); err != nil {
				return layer{}, err
			}
			continue
		}
		if err := copyHostFile(tw, n.src, h.Size); err != nil {
			return layer{}, err
		}
	}
	if err := tw.Close(); err != nil {
		return layer{}, err
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			return layer{}, err
		}
	}
	if err := fileW.Flush(); err != nil {
		return layer{}, err
	}
	if err := tmp.Close(); err != nil {
		return layer{}, err
	}
	d := blobHash.Digest()
	if err := os.Rename(tmp.Name(), s.path(d)); err != nil {
		return layer{}, err
	}
	mt := ocispec.MediaTypeImageLayer
	if s.gzip {
		mt = ocispec.MediaTypeImageLayerGzip
	}
	return layer{
		desc:             ocispec.Descriptor{MediaType: mt, Digest: d, Size: blobW.n},
		diffID:           diffHash.Digest(),
		uncompressedSize: tarW.n,
		createdBy:        createdBy,
	}, nil
}

func copyHostFile(w io.Writer, src string, size int64) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	n, err := io.Copy(w, io.LimitReader(f, size))
	if err != nil {
		return fmt.Errorf("copying %s: %w", src, err)
	}
	if n != size {
		return fmt.Errorf("copying %s: it changed size while the catalog was built", src)
	}
	return nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
