package catalog

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// compressLayers: the catalog's layers are gzip at BestSpeed. Measured on this project's
// 2-core machine, which is shared (so runs vary by ±30%; each pair below ran side by side) with
// BenchmarkLayerCompression and BenchmarkGolangOnBuildKit:
//
//   - writing the 178 MiB toolchain layer: 1.0 s as tar, 2.9 s as gzip (61 MiB, 34%). The
//     golang image is ~145 MiB instead of ~423 MiB, in the catalog and again in BuildKit's
//     content store;
//   - first build FROM golang on a fresh daemon (load the image, go build): 20.1 s from tar,
//     21.2 s from gzip (BuildKit decompresses while unpacking): a wash;
//   - the same plus an OCI export of the image, as a check of a single-stage starter does:
//     13.6 s from tar (BuildKit must gzip the base layers to export them), 9.6 s from gzip
//     (the catalog's blobs are exported as they are).
//
// About 5 s more for a catalog build (which compiles the standard library anyway, ~1.5 min)
// buy a third of the disk and faster exports; nothing goes over a network either way.
const compressLayers = true

// Report says what Build did.
type Report struct {
	UpToDate bool    // the built catalog already matched the host: nothing was written
	Store    string  // the OCI layout
	Images   []Entry // the catalog after the build
	Skipped  []Skip  // images the host cannot provide
	Duration time.Duration
}

// Skip is an image Build could not make, and how to get what it needs.
type Skip struct {
	Image  string `json:"image"`
	Reason string `json:"reason"`
}

// Build makes the catalog from the host's busybox, Go, CA certificates and tzdata, unless the
// built catalog already matches them (then it returns at once with UpToDate). It builds in a
// temporary directory and renames the finished store into place, so an interrupted build leaves
// the previous catalog (or none), never half of one; a flock makes concurrent Builds from
// several processes wait for one another and end with one catalog. Progress goes to w.
func (c *Catalog) Build(ctx context.Context, w io.Writer) (Report, error) {
	if w == nil {
		w = io.Discard
	}
	start := time.Now()
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return Report{}, fmt.Errorf("creating the catalog dir: %w", err)
	}
	unlock, err := lockFile(ctx, filepath.Join(c.dir, "lock"), func() {
		fmt.Fprintln(w, "catalog: another stagecraft process is building the catalog; waiting for it")
	})
	if err != nil {
		return Report{}, fmt.Errorf("locking the catalog: %w", err)
	}
	defer unlock()

	in := detect(ctx, c.host)
	st := in.stamp(c.gzip)
	done := func() (Report, error) {
		store, m, err := c.current()
		if err != nil {
			return Report{}, err
		}
		return Report{Store: store, Images: c.List(), Skipped: m.Skipped, Duration: time.Since(start)}, nil
	}
	if _, m, err := c.current(); err == nil && m.Stamp == st {
		r, err := done()
		r.UpToDate = true
		return r, err
	}

	key := st.key()
	final := filepath.Join(c.dir, "store-"+key)
	// A finished store that an interrupted build did not get to point at is used as it is.
	// The catalog in use stays until the new one is in place; anything else is a leftover.
	if m, err := readMeta(final); err != nil || m.Stamp != st {
		inUse, _, _ := c.current()
		if err := c.removeStores(filepath.Base(inUse)); err != nil {
			return Report{}, fmt.Errorf("removing leftovers of an interrupted build: %w", err)
		}
		if err := c.buildStore(ctx, w, in, st, final); err != nil {
			return Report{}, err
		}
	}
	if err := c.point(final); err != nil {
		return Report{}, err
	}
	if err := c.removeStores(filepath.Base(final)); err != nil {
		fmt.Fprintf(w, "catalog: could not remove an old catalog: %v\n", err)
	}
	return done()
}

// buildStore builds every image into a temporary layout and renames it to final.
func (c *Catalog) buildStore(ctx context.Context, w io.Writer, in inputs, st stamp, final string) error {
	tmp, err := os.MkdirTemp(c.dir, ".tmp-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	b := &builder{
		store: blobStore{dir: filepath.Join(tmp, "store"), gzip: c.gzip},
		work:  filepath.Join(tmp, "work"),
		w:     w,
		in:    in,
	}
	steps := []struct {
		name string
		fn   func(context.Context) error
	}{
		{Busybox, b.buildBusybox},
		{Alpine, b.buildAlpine},
		{Static, b.buildStatic},
		{Base, b.buildBase},
		{DebianSlim, b.buildDebianSlim},
		{Golang, b.buildGolang},
		{Node, b.buildNode},
		{Nodejs, b.buildNodejs},
		{Python, b.buildPython},
	}
	var skipped []Skip
	for _, s := range steps {
		stepStart := time.Now()
		err := s.fn(ctx)
		if ctxErr := ctx.Err(); ctxErr != nil {
			return fmt.Errorf("building the catalog: %w", ctxErr)
		}
		var miss *missingError
		if errors.As(err, &miss) {
			skipped = append(skipped, Skip{Image: s.name, Reason: miss.Error()})
			fmt.Fprintf(w, "catalog: skipping %s: %v\n", s.name, miss)
			continue
		}
		if err != nil {
			return fmt.Errorf("building the %s image: %w", s.name, err)
		}
		fmt.Fprintf(w, "catalog: %s done in %s\n", s.name, time.Since(stepStart).Round(100*time.Millisecond))
	}
	if len(b.entries) == 0 {
		return fmt.Errorf("the catalog has no image this machine can build: %v", skipped)
	}
	if err := b.writeIndex(); err != nil {
		return err
	}
	m := meta{Stamp: st, Built: time.Now().UTC().Truncate(time.Second), Skipped: skipped}
	for _, e := range b.entries {
		m.Images = append(m.Images, metaImage{Name: e.Name, Digest: e.Digest, Size: e.Size, CompressedSize: e.CompressedSize, Variants: e.Variants})
	}
	mb, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(b.store.dir, metaFile), mb, 0o644); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("building the catalog: %w", err)
	}
	if err := os.Rename(b.store.dir, final); err != nil {
		return fmt.Errorf("moving the catalog into place: %w", err)
	}
	return nil
}

// point makes "current" name store, atomically (a new symlink renamed over the old one).
func (c *Catalog) point(store string) error {
	tmp := filepath.Join(c.dir, ".current.tmp")
	os.Remove(tmp)
	if err := os.Symlink(filepath.Base(store), tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(c.dir, "current")); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}
