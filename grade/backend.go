package grade

import (
	"context"
	"time"

	"github.com/stagecraft/stagecraft/sandbox"
)

// Backend is one BuildKit daemon the class is spread over. Check is called from several
// goroutines at once.
type Backend interface {
	// Address names the daemon in reports and messages.
	Address() string
	// Warm builds the exercise's starter and reference once, before the first check, so every
	// check on this daemon finds them in its cache.
	Warm(ctx context.Context, plan sandbox.Plan) error
	// Check grades one submission, as sandbox.Check.
	Check(ctx context.Context, plan sandbox.Plan, sub sandbox.Submission) (*sandbox.Report, error)
	// Healthy dials the daemon afresh and reports whether it answers.
	Healthy(ctx context.Context) error
}

// SandboxBackend runs checks on a sandbox. Its builds share the sandbox's one client.
type SandboxBackend struct {
	Sandbox *sandbox.Sandbox
	// WarmTimeout bounds each warm-up build when it is longer than the sandbox's own timeout:
	// a short --timeout is meant for students' builds, and a cold daemon compiles the starter
	// and the reference from nothing.
	WarmTimeout time.Duration
}

func (b *SandboxBackend) Address() string { return b.Sandbox.Endpoint.Address() }

func (b *SandboxBackend) Warm(ctx context.Context, plan sandbox.Plan) error {
	sb := b.Sandbox
	if b.WarmTimeout > sb.Policy.Timeout {
		// The same endpoint, catalog, store and limits (the cgroup is part of RUN cache keys),
		// only a longer clock.
		pol := sb.Policy
		pol.Timeout = b.WarmTimeout
		sb = &sandbox.Sandbox{Endpoint: sb.Endpoint, Policy: pol, Contexts: sb.Contexts, StoreDir: sb.StoreDir}
		defer sb.Close()
	}
	for _, df := range [][]byte{plan.Starter, plan.Reference} {
		if len(df) == 0 {
			continue
		}
		// The request Check makes for the starter's size: the same cache keys, the same export.
		_, err := sb.Build(ctx, sandbox.Request{Dockerfile: df, Filename: "starter.Dockerfile", ContextDir: plan.ContextDir, Export: true})
		if err != nil {
			return err
		}
	}
	return nil
}

func (b *SandboxBackend) Check(ctx context.Context, plan sandbox.Plan, sub sandbox.Submission) (*sandbox.Report, error) {
	return b.Sandbox.Check(ctx, plan, sub, nil)
}

// Healthy does not touch the sandbox's client: other checks may be using it.
func (b *SandboxBackend) Healthy(ctx context.Context) error {
	c, err := b.Sandbox.Endpoint.Client(ctx)
	if err != nil {
		return err
	}
	return c.Close()
}
