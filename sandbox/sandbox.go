package sandbox

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/containerd/containerd/v2/core/content"
	"github.com/moby/buildkit/client"
)

// Sandbox builds Dockerfiles on one BuildKit endpoint under a policy.
type Sandbox struct {
	Endpoint Endpoint
	Policy   Policy
	// Contexts maps base images to named contexts (the offline catalog); nil means every
	// image comes from its registry.
	Contexts ContextResolver
	// StoreDir holds exported images (a content store shared by every build, so unchanged
	// layers are not copied twice) and facts cached about them.
	StoreDir string

	mu     sync.Mutex
	client *client.Client
	store  content.Store
	lints  lintCache
}

// ContextResolver turns the external images a Dockerfile names into BuildKit named contexts.
type ContextResolver interface {
	// NamedContexts returns frontend attributes (context:NAME=oci-layout://…) and the OCI
	// stores they refer to, for the images it can serve. Refs it cannot serve are left out
	// (they are pulled from their registry) unless it is strict, when it returns an error.
	NamedContexts(ctx context.Context, refs []ImageRef) (attrs map[string]string, stores map[string]content.Store, err error)
}

// ImageRef is an external image a build needs, as the Dockerfile names it after ARG expansion.
type ImageRef struct {
	Ref  string
	Line int
	// Platform is what the image is needed for (normalized os/arch[/variant]): the platform
	// of the stage that names it.
	Platform string
}

// Client returns the sandbox's client, connecting on first use.
func (s *Sandbox) Client(ctx context.Context) (*client.Client, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.client != nil {
		return s.client, nil
	}
	c, err := s.Endpoint.Client(ctx)
	if err != nil {
		return nil, err
	}
	s.client = c
	return c, nil
}

// Warm gets the sandbox ready for its first build: it connects to the daemon (starting the
// managed one if needed) and builds what the sandbox serves offline, if its resolver can.
func (s *Sandbox) Warm(ctx context.Context) error {
	if _, err := s.Client(ctx); err != nil {
		return err
	}
	if w, ok := s.Contexts.(interface{ Warm(context.Context) error }); ok {
		return w.Warm(ctx)
	}
	return nil
}

// Close releases the client.
func (s *Sandbox) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.client == nil {
		return nil
	}
	err := s.client.Close()
	s.client = nil
	s.lints.reset() // another daemon may lint differently
	return err
}

// ExportStore is the content store final images are exported into.
func (s *Sandbox) ExportStore() (content.Store, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.store != nil {
		return s.store, nil
	}
	if s.StoreDir == "" {
		return nil, errors.New("sandbox: no StoreDir to export images into")
	}
	st, err := newLocalStore(filepath.Join(s.StoreDir, "images"))
	if err != nil {
		return nil, err
	}
	s.store = st
	return st, nil
}

// ImagesDir is the OCI layout directory exported images land in.
func (s *Sandbox) ImagesDir() string { return filepath.Join(s.StoreDir, "images") }

// Prepare checks a request against the policy before anything is sent to BuildKit.
func (s *Sandbox) Prepare(req *Request) error {
	if req.Filename == "" {
		req.Filename = "Dockerfile"
	}
	if req.Platform != "" {
		p, err := ParsePlatform(req.Platform)
		if err != nil {
			return err
		}
		req.Platform = p
	}
	if lim := s.Policy.MaxDockerfileBytes; lim > 0 && int64(len(req.Dockerfile)) > lim {
		return &LimitError{What: "Dockerfile", Size: int64(len(req.Dockerfile)), Limit: lim, Path: req.Filename}
	}
	if req.ContextDir != "" {
		st, err := os.Stat(req.ContextDir)
		if err != nil {
			return fmt.Errorf("build context: %w", err)
		}
		if !st.IsDir() {
			return fmt.Errorf("build context %s is not a directory", req.ContextDir)
		}
		if _, err := ContextSize(req.ContextDir, s.Policy.MaxContextBytes); err != nil {
			return err
		}
	}
	return nil
}
