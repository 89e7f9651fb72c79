// Package catalog owns stagecraft's offline base images: a busybox shell image, an alpine
// stand-in, a golang image (busybox + the host's Go toolchain + a warm build cache) and a
// distroless-like static image, built once from what the machine has into one OCI layout under
// the cache dir. A FROM that names one of them (any tag) is served from the layout through a
// BuildKit named context, so classrooms and CI need no registry.
//
// Layout of the catalog directory:
//
//	lock              flock held while building or pruning
//	current           symlink to the store in use
//	store-<key>/      the OCI layout (oci-layout, index.json, blobs/sha256/…) and catalog.json
//	.tmp-*/           a build in progress; never read, removed by the next Build
package catalog

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/opencontainers/go-digest"
)

// StoreID names the catalog's content store in a solve: the key of client.SolveOpt.OCIStores
// and the name in "oci-layout://stagecraft-catalog@sha256:…".
const StoreID = "stagecraft-catalog"

// Catalog is the image catalog in one directory.
type Catalog struct {
	dir  string
	host hostPaths
	gzip bool
}

// Open returns the catalog kept in dir (the caller picks it under the user cache dir). Nothing
// is read or created until a method needs it.
func Open(dir string) *Catalog {
	return &Catalog{dir: dir, host: defaultHostPaths(), gzip: compressLayers}
}

// Entry is one catalog image.
type Entry struct {
	Name        string   // "golang", "busybox", "alpine", "static", "static:nonroot", "scratch"
	StandsIn    []string // the FROM names it answers to, as patterns ("golang:*")
	Description string
	BuiltIn     bool // scratch: BuildKit's own empty image; no context is needed
	Built       bool // present in the built catalog (always true for scratch)

	// Set when Built (and not BuiltIn).
	Store          string        // the OCI layout: open it with containerd's content/local store
	Digest         digest.Digest // the image manifest
	Size           int64         // sum of uncompressed layer sizes
	CompressedSize int64         // sum of layer blob sizes

	// Platforms lists the platforms the image is served for, this machine's first; an image
	// with programs is served for this machine's only. Variants are the manifests of the
	// other platforms (same layers, another platform in the config), by normalized platform.
	Platforms []string
	Variants  map[string]digest.Digest `json:",omitempty"`
}

// Context is the value of the named context that serves this image in a build
// ("oci-layout://stagecraft-catalog@sha256:…"), or "" when none is needed or it is not built.
func (e Entry) Context() string {
	if e.BuiltIn || !e.Built {
		return ""
	}
	return "oci-layout://" + StoreID + "@" + e.Digest.String()
}

// meta is catalog.json, written into the store as the last step of a build.
type meta struct {
	Stamp   stamp       `json:"stamp"`
	Built   time.Time   `json:"built"`
	Images  []metaImage `json:"images"`
	Skipped []Skip      `json:"skipped,omitempty"`
}

type metaImage struct {
	Name           string        `json:"name"`
	Digest         digest.Digest `json:"digest"`
	Size           int64         `json:"size"`
	CompressedSize int64         `json:"compressed_size"`
	// Variants: the same image for other platforms (an image without programs only).
	Variants map[string]digest.Digest `json:"variants,omitempty"`
}

const metaFile = "catalog.json"

// current reads the store "current" points at; an error means there is no built catalog.
func (c *Catalog) current() (string, *meta, error) {
	target, err := os.Readlink(filepath.Join(c.dir, "current"))
	if err != nil {
		return "", nil, err
	}
	store := filepath.Join(c.dir, target)
	m, err := readMeta(store)
	return store, m, err
}

func readMeta(store string) (*meta, error) {
	b, err := os.ReadFile(filepath.Join(store, metaFile))
	if err != nil {
		return nil, err
	}
	var m meta
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(store, metaFile), err)
	}
	return &m, nil
}

// StoreDir is the OCI layout of the built catalog, or "" when none is built.
func (c *Catalog) StoreDir() string {
	store, _, err := c.current()
	if err != nil {
		return ""
	}
	return store
}

// List describes every catalog image, built or not, in a fixed order.
func (c *Catalog) List() []Entry {
	store, m, err := c.current()
	if err != nil {
		m = nil
	}
	var out []Entry
	for _, sp := range specs() {
		e := Entry{Name: sp.name, StandsIn: sp.standsIn, Description: sp.description}
		if sp.name == Scratch {
			e.BuiltIn, e.Built = true, true
		}
		if m != nil {
			for _, im := range m.Images {
				if im.Name == sp.name {
					e.Built, e.Store, e.Digest, e.Size, e.CompressedSize = true, store, im.Digest, im.Size, im.CompressedSize
					e.Variants = im.Variants
				}
			}
		}
		e.Platforms = servedPlatforms(e.Variants)
		if e.BuiltIn {
			e.Platforms = []string{"any"}
		}
		out = append(out, e)
	}
	return out
}

// Resolve maps a FROM image reference to the catalog image that stands in for it:
// "golang:1.22-alpine", "docker.io/library/golang", "golang@sha256:…" → golang;
// "gcr.io/distroless/static-debian12:nonroot" → static:nonroot; "scratch" → scratch (BuiltIn).
// ok is false for names the catalog does not serve ("node:20", "debian"); such images come
// from their registry. A resolved entry may not be built yet (Entry.Built).
func (c *Catalog) Resolve(ref string) (Entry, bool) {
	name, ok := match(ref)
	if !ok {
		return Entry{}, false
	}
	for _, e := range c.List() {
		if e.Name == name {
			return e, true
		}
	}
	return Entry{}, false
}

// NamedContexts returns the frontend attributes that serve the given FROM references from the
// catalog: ContextKey(ref) → Entry.Context(). References the catalog does not serve, scratch,
// and images not built are left out (BuildKit then resolves them as usual). Pass image
// references only, after ARG expansion, not stage names.
func (c *Catalog) NamedContexts(refs []string) map[string]string {
	attrs := map[string]string{}
	for _, ref := range refs {
		e, ok := c.Resolve(ref)
		if !ok || e.Context() == "" {
			continue
		}
		key, err := ContextKey(ref)
		if err != nil {
			continue
		}
		attrs[key] = e.Context()
	}
	return attrs
}

// Prune removes the built catalog and any interrupted build, waiting for a build in progress.
func (c *Catalog) Prune() error {
	if _, err := os.Stat(c.dir); os.IsNotExist(err) {
		return nil
	}
	unlock, err := lockFile(context.Background(), filepath.Join(c.dir, "lock"), nil)
	if err != nil {
		return fmt.Errorf("locking the catalog: %w", err)
	}
	defer unlock()
	if err := os.Remove(filepath.Join(c.dir, "current")); err != nil && !os.IsNotExist(err) {
		return err
	}
	return c.removeStores()
}

// removeStores deletes every store and temporary build dir except those named in keep.
func (c *Catalog) removeStores(keep ...string) error {
	ents, err := os.ReadDir(c.dir)
	if err != nil {
		return err
	}
	var firstErr error
	for _, e := range ents {
		n := e.Name()
		if slices.Contains(keep, n) || !(strings.HasPrefix(n, "store-") || strings.HasPrefix(n, ".tmp-")) {
			continue
		}
		if err := os.RemoveAll(filepath.Join(c.dir, n)); err != nil && firstErr == nil {
			firstErr = err
		}
	}
	return firstErr
}
