package image

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/opencontainers/go-digest"
	"golang.org/x/sync/errgroup"
)

// factsVersion changes whenever layerFacts changes shape; older sidecars are recomputed.
const factsVersion = 1

// layerFacts is what one pass over a layer learns; it is the sidecar's content.
type layerFacts struct {
	Version          int           `json:"version"`
	Digest           digest.Digest `json:"digest"`
	CompressedSize   int64         `json:"compressed_size"`
	DiffID           digest.Digest `json:"diff_id"`
	UncompressedSize int64         `json:"uncompressed_size"`
	Entries          []entry       `json:"entries"`
}

// entry is one tar header of a layer, whiteouts included, in archive order.
type entry struct {
	Path string `json:"p"` // absolute and clean: "/usr/bin/env"
	Type byte   `json:"t"` // tar typeflag
	Mode int64  `json:"m"` // permission and setuid/setgid/sticky bits as in the header
	Size int64  `json:"s,omitempty"`
	UID  int    `json:"u,omitempty"`
	GID  int    `json:"g,omitempty"`
	Link string `json:"l,omitempty"` // symlink target or hard link target (absolute for hard links)
}

// loadFacts fills UncompressedSize for every layer, from sidecars or by reading the layers
// (in parallel, one per CPU), and verifies what it reads against the manifest and config.
func (im *Image) loadFacts(cacheDir string) error {
	im.facts = make([]*layerFacts, len(im.Layers))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i := range im.Layers {
		l := im.Layers[i]
		if f := readSidecar(cacheDir, l); f != nil {
			im.facts[i] = f
			continue
		}
		g.Go(func() error {
			f, err := scanLayer(im.Dir, l)
			if err != nil {
				return fmt.Errorf("reading layer %d (%s): %w", i+1, l.Digest, err)
			}
			im.facts[i] = f
			writeSidecar(cacheDir, f)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	for i, f := range im.facts {
		im.Layers[i].UncompressedSize = f.UncompressedSize
	}
	return nil
}

func sidecarPath(cacheDir string, d digest.Digest) string {
	return filepath.Join(cacheDir, d.Algorithm().String()+"-"+d.Encoded()+".json")
}

// readSidecar returns the cached facts for l, or nil when there are none that fit.
func readSidecar(cacheDir string, l Layer) *layerFacts {
	if cacheDir == "" {
		return nil
	}
	b, err := os.ReadFile(sidecarPath(cacheDir, l.Digest))
	if err != nil {
		return nil
	}
	var f layerFacts
	if json.Unmarshal(b, &f) != nil || f.Version != factsVersion || f.Digest != l.Digest ||
		f.CompressedSize != l.CompressedSize || f.DiffID != l.DiffID {
		return nil
	}
	return &f
}

// writeSidecar stores facts atomically; a cache that cannot be written only costs speed.
func writeSidecar(cacheDir string, f *layerFacts) {
	if cacheDir == "" {
		return
	}
	b, err := json.Marshal(f)
	if err != nil {
		return
	}
	if os.MkdirAll(cacheDir, 0o755) != nil {
		return
	}
	tmp, err := os.CreateTemp(cacheDir, ".facts-*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(b)
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), sidecarPath(cacheDir, f.Digest)) != nil {
		os.Remove(tmp.Name())
	}
}

// scanLayer reads a layer once: its file list, its uncompressed size, and both digests.
func scanLayer(dir string, l Layer) (*layerFacts, error) {
	f := &layerFacts{Version: factsVersion, Digest: l.Digest, CompressedSize: l.CompressedSize}
	err := walkLayer(context.Background(), dir, l, func(h *tar.Header, _ io.Reader) error {
		f.Entries = append(f.Entries, headerEntry(h))
		return nil
	}, func(diffID digest.Digest, size int64) {
		f.DiffID, f.UncompressedSize = diffID, size
	})
	if err != nil {
		return nil, err
	}
	if l.DiffID != "" && f.DiffID != l.DiffID {
		return nil, fmt.Errorf("uncompressed content has digest %s, the config says %s", f.DiffID, l.DiffID)
	}
	return f, nil
}

func headerEntry(h *tar.Header) entry {
	e := entry{Path: cleanPath(h.Name), Type: h.Typeflag, Mode: h.Mode & 0o7777, Size: h.Size, UID: h.Uid, GID: h.Gid}
	switch h.Typeflag {
	case tar.TypeSymlink:
		e.Link = h.Linkname
	case tar.TypeLink:
		e.Link = cleanPath(h.Linkname)
	}
	if h.Typeflag == tar.TypeRegA {
		e.Type = tar.TypeReg
	}
	if e.Type != tar.TypeReg {
		e.Size = 0
	}
	return e
}

// cleanPath turns a tar name ("./usr/bin/", "usr/bin") into "/usr/bin".
func cleanPath(name string) string {
	return path.Clean("/" + name)
}

// walkLayer streams the layer's tar entries to fn (the reader holds the entry's content) and,
// after the archive is read to its very end, reports the tar's digest and size to done. The blob
// is verified against its digest, so a layer that does not match its manifest is an error.
func walkLayer(ctx context.Context, dir string, l Layer, fn func(*tar.Header, io.Reader) error, done func(digest.Digest, int64)) error {
	blob, err := os.Open(blobPath(dir, l.Digest))
	if err != nil {
		return err
	}
	defer blob.Close()
	blobHash := l.Digest.Algorithm().Hash()
	raw := bufio.NewReaderSize(io.TeeReader(blob, blobHash), 1<<20)

	rc, err := decompress(raw, l.MediaType)
	if err != nil {
		return err
	}
	defer rc.Close()
	diffHash := digest.Canonical.Hash()
	counted := &countingReader{r: io.TeeReader(rc, diffHash)}

	tr := tar.NewReader(counted)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("reading tar: %w", err)
		}
		if err := fn(h, tr); err != nil {
			return err
		}
	}
	// The diff ID covers the whole stream, end-of-archive blocks and padding included.
	if _, err := io.Copy(io.Discard, counted); err != nil {
		return fmt.Errorf("reading tar: %w", err)
	}
	// Drain what the decompressor did not need (gzip trailers are read by it; this is for
	// blobs with trailing bytes), so the blob digest covers the whole file.
	if _, err := io.Copy(io.Discard, raw); err != nil {
		return err
	}
	if got := digestOf(l.Digest.Algorithm(), blobHash); got != l.Digest {
		return fmt.Errorf("blob has digest %s: the layout is corrupt", got)
	}
	if done != nil {
		done(digestOf(digest.Canonical, diffHash), counted.n)
	}
	return nil
}

func digestOf(alg digest.Algorithm, h hash.Hash) digest.Digest {
	return digest.NewDigestFromBytes(alg, h.Sum(nil))
}

// decompress picks the decoder from the content's magic bytes, falling back to the media type;
// Docker-era layouts sometimes call a plain tar "gzip" and the reverse.
func decompress(r *bufio.Reader, mediaType string) (io.ReadCloser, error) {
	magic, _ := r.Peek(4)
	switch {
	case bytes.HasPrefix(magic, []byte{0x1f, 0x8b}):
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		return zr, nil
	case bytes.HasPrefix(magic, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		zr, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1))
		if err != nil {
			return nil, fmt.Errorf("zstd: %w", err)
		}
		return zr.IOReadCloser(), nil
	}
	if strings.HasSuffix(mediaType, "+gzip") || strings.HasSuffix(mediaType, ".gzip") || strings.HasSuffix(mediaType, "+zstd") {
		return nil, fmt.Errorf("layer media type %s but the content is not compressed that way", mediaType)
	}
	return io.NopCloser(r), nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// errStop ends a walk early without being an error to the caller.
var errStop = errors.New("stop")
