package sandbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/containerd/containerd/v2/core/content"

	"github.com/stagecraft/stagecraft/sandbox/catalog"
)

// Image modes (--images): where base images come from.
const (
	ImagesAuto     = "auto"     // the catalog for the names it serves, the registry for the rest
	ImagesCatalog  = "catalog"  // the catalog only; any other name is an error
	ImagesRegistry = "registry" // every image from its registry
)

// CatalogResolver serves FROM images from the offline catalog through named contexts,
// building the catalog the first time a build needs it.
type CatalogResolver struct {
	Catalog *catalog.Catalog
	Strict  bool      // ImagesCatalog: an image the catalog does not serve is an error
	Log     io.Writer // where "building the catalog" progress goes; nil discards it

	mu sync.Mutex
}

// NamedContexts implements ContextResolver.
func (r *CatalogResolver) NamedContexts(ctx context.Context, refs []ImageRef) (map[string]string, map[string]content.Store, error) {
	needBuild := false
	var names []catalog.Want
	for _, ref := range refs {
		e, ok := r.Catalog.Resolve(ref.Ref)
		if !ok {
			if r.Strict {
				return nil, nil, fmt.Errorf("line %d: FROM %s: not in the offline image catalog (--images catalog); it has: %s",
					ref.Line, ref.Ref, strings.Join(r.standsIn(), ", "))
			}
			continue
		}
		if !e.Built {
			needBuild = true
		}
		names = append(names, catalog.Want{Ref: ref.Ref, Platform: ref.Platform})
	}
	if len(names) == 0 {
		return nil, nil, nil
	}
	if needBuild {
		r.mu.Lock()
		_, err := r.Catalog.Build(ctx, r.Log)
		r.mu.Unlock()
		if err != nil {
			return nil, nil, &EnvError{What: "cannot build the offline image catalog", Err: err,
				Fix: "see `stagecraft images build`; or use --images registry on a machine that reaches a registry"}
		}
	}
	attrs, err := r.Catalog.ContextsFor(names)
	var pe *catalog.PlatformError
	if errors.As(err, &pe) {
		line := 0
		for _, ref := range refs {
			if ref.Ref == pe.Ref && ref.Platform == pe.Platform && line == 0 {
				line = ref.Line
			}
		}
		return nil, nil, &Failure{Kind: "platform", Line: line, Message: fmt.Sprintf("line %d: FROM %s", line, pe.Error()),
			Hint: "FROM --platform=$BUILDPLATFORM " + pe.Ref + " AS build, then RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build …, and FROM scratch (or gcr.io/distroless/static) for the final stage"}
	}
	if err != nil {
		return nil, nil, err
	}
	if len(attrs) == 0 {
		return nil, nil, nil
	}
	st, err := newLocalStore(r.Catalog.StoreDir())
	if err != nil {
		return nil, nil, err
	}
	return attrs, map[string]content.Store{catalog.StoreID: st}, nil
}

func (r *CatalogResolver) standsIn() []string {
	var out []string
	for _, e := range r.Catalog.List() {
		out = append(out, e.StandsIn...)
	}
	return out
}

// Warm builds the catalog now if it is not built yet, so that the first build that needs it
// does not wait (the course starts it in the background as it opens).
func (r *CatalogResolver) Warm(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, err := r.Catalog.Build(ctx, r.Log); err != nil {
		return &EnvError{What: "cannot build the offline image catalog", Err: err,
			Fix: "see `stagecraft images build`; or use --images registry on a machine that reaches a registry"}
	}
	return nil
}
