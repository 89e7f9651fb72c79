package grade

import (
	"bytes"
	"context"
	"sync/atomic"
	"time"

	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/sandbox/check"
)

// Backend is one BuildKit daemon the class is spread over. Check is called from several
// goroutines at once.
type Backend interface {
	// Address names the daemon in reports and messages.
	Address() string
	// Warm builds the exercise's starter and reference once, before the first check, so every
	// check on this daemon finds them in its cache.
	Warm(ctx context.Context, plan check.Plan) error
	// Check grades one submission, as check.Run.
	Check(ctx context.Context, plan check.Plan, sub check.Submission) (*check.Report, error)
	// Healthy dials the daemon afresh and reports whether it answers.
	Healthy(ctx context.Context) error
}

// SandboxBackend runs checks on a sandbox. Its builds share the sandbox's one client.
//
// Warm builds the starter and the reference once. The starter is built again by every check
// (size_reduction compares with it; BuildKit answers from its cache). The reference only feeds
// the report's "par" (Report.Reference), so once warm a check skips it and the report gets the
// reference's image as warm-up read it: the same image, the same report, one build fewer.
type SandboxBackend struct {
	Sandbox *sandbox.Sandbox
	// WarmTimeout bounds each warm-up build when it is longer than the sandbox's own timeout:
	// a short --timeout is meant for students' builds, and a cold daemon compiles the starter
	// and the reference from nothing.
	WarmTimeout time.Duration

	reference atomic.Pointer[warmReference] // set by Warm
}

// warmReference is the reference solution's image as warm-up built it (nil Info: it did not build).
type warmReference struct {
	Dockerfile []byte
	Info       *sandbox.ImageInfo
}

func (b *SandboxBackend) Address() string { return b.Sandbox.Endpoint.Address() }

func (b *SandboxBackend) Warm(ctx context.Context, plan check.Plan) error {
	sb := b.Sandbox
	if b.WarmTimeout > sb.Policy.Timeout {
		// The same endpoint, catalog, store and limits (the cgroup is part of RUN cache keys),
		// only a longer clock.
		pol := sb.Policy
		pol.Timeout = b.WarmTimeout
		sb = &sandbox.Sandbox{Endpoint: sb.Endpoint, Policy: pol, Contexts: sb.Contexts, StoreDir: sb.StoreDir}
		defer sb.Close()
	}
	// The requests Check makes for the starter's and the reference's sizes: the same cache
	// keys, the same export.
	build := func(df []byte) (*sandbox.ImageInfo, error) {
		res, err := sb.Build(ctx, sandbox.Request{Dockerfile: df, Filename: "starter.Dockerfile", ContextDir: plan.ContextDir, Export: true})
		if err != nil || res.Failure != nil {
			return nil, err
		}
		im, err := sb.OpenImage(res.Manifest)
		if err != nil {
			return nil, &sandbox.EnvError{What: "reading the reference image", Err: err}
		}
		return sandbox.ImageInfoOf(im, 0)
	}
	if len(plan.Starter) > 0 {
		if _, err := build(plan.Starter); err != nil {
			return err
		}
	}
	if len(plan.Reference) > 0 {
		info, err := build(plan.Reference)
		if err != nil {
			return err
		}
		b.reference.Store(&warmReference{Dockerfile: plan.Reference, Info: info})
	}
	return nil
}

func (b *SandboxBackend) Check(ctx context.Context, plan check.Plan, sub check.Submission) (*check.Report, error) {
	ref := b.reference.Load()
	if ref == nil || !bytes.Equal(ref.Dockerfile, plan.Reference) {
		return check.Run(ctx, b.Sandbox, plan, sub, nil)
	}
	plan.Reference = nil
	rep, err := check.Run(ctx, b.Sandbox, plan, sub, nil)
	// Where Check would have built the reference: the submission built.
	if rep != nil && rep.Build != nil && rep.Build.Failure == nil && ref.Info != nil {
		rep.Reference = ref.Info
	}
	return rep, err
}

// Healthy does not touch the sandbox's client: other checks may be using it.
func (b *SandboxBackend) Healthy(ctx context.Context) error {
	c, err := b.Sandbox.Endpoint.Client(ctx)
	if err != nil {
		return err
	}
	return c.Close()
}
