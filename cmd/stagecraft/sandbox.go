package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/spf13/pflag"

	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/sandbox/check/spec"
)

// sandboxFlags are the flags of commands that build: the sandbox policy a user may tighten or
// loosen, and mTLS for tcp:// daemons.
type sandboxFlags struct {
	Timeout time.Duration
	// MaxInstructions is --max-instructions; nil (a command without the flag, the course) keeps
	// the policy's default.
	MaxInstructions *int
	TLS             sandbox.TLS
	Limits          *limitFlags // nil: the default limits
}

// limitFlags are the per-build resource limits of commands that check untrusted Dockerfiles.
type limitFlags struct {
	Memory string
	CPUs   float64
	Pids   int64
	Disk   string
}

func (f *sandboxFlags) register(fs *pflag.FlagSet) {
	fs.DurationVar(&f.Timeout, "timeout", sandbox.DefaultPolicy().Timeout, "wall-clock limit for one check (lint, builds, probes) or build")
	f.MaxInstructions = new(int)
	*f.MaxInstructions = sandbox.DefaultMaxInstructions
	fs.Var((*instructionCap)(f.MaxInstructions), "max-instructions", "most instructions a Dockerfile may have, refused before building (0: no limit)")
	fs.StringVar(&f.TLS.CACert, "tlscacert", "", "CA certificate for a tcp:// BuildKit daemon")
	fs.StringVar(&f.TLS.Cert, "tlscert", "", "client certificate for a tcp:// BuildKit daemon")
	fs.StringVar(&f.TLS.Key, "tlskey", "", "client key for a tcp:// BuildKit daemon")
	fs.StringVar(&f.TLS.ServerName, "tlsservername", "", "server name to verify on a tcp:// BuildKit daemon")
}

// instructionCap is --max-instructions: a count, refused when the flag is parsed if negative.
type instructionCap int

func (c *instructionCap) String() string { return strconv.Itoa(int(*c)) }
func (c *instructionCap) Type() string   { return "int" }
func (c *instructionCap) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return fmt.Errorf("give the most instructions a Dockerfile may have (a whole number), or 0 for no limit")
	}
	*c = instructionCap(n)
	return nil
}

// registerLimits adds the resource limit flags (local daemons) to a command that builds.
func (f *sandboxFlags) registerLimits(fs *pflag.FlagSet) {
	d := sandbox.DefaultPolicy()
	f.Limits = &limitFlags{}
	fs.StringVar(&f.Limits.Memory, "memory", "2GiB", "memory limit for one build's RUN steps (0: none)")
	fs.Float64Var(&f.Limits.CPUs, "cpus", d.CPUs, "CPU limit for one build's RUN steps, in cores (0: none)")
	fs.Int64Var(&f.Limits.Pids, "pids", d.Pids, "process limit for one build's RUN steps (0: none)")
	fs.StringVar(&f.Limits.Disk, "disk", "2GiB", "how much one RUN step may write (0: no limit)")
}

// policy is the sandbox policy the flags ask for.
func (f sandboxFlags) policy() (sandbox.Policy, error) {
	pol := sandbox.DefaultPolicy()
	if f.Timeout > 0 {
		pol.Timeout = f.Timeout
	}
	if f.MaxInstructions != nil {
		pol.MaxInstructions = *f.MaxInstructions
	}
	l := f.Limits
	if l == nil {
		return pol, nil
	}
	var err error
	if pol.MemoryBytes, err = spec.ParseSize(l.Memory); err != nil {
		return pol, usageErr("--memory: %v", err)
	}
	if pol.MemoryBytes > 0 && pol.MemoryBytes < 64<<20 {
		return pol, usageErr("--memory %s: at least 64MiB (or 0 for no limit)", l.Memory)
	}
	if pol.DiskBytes, err = spec.ParseSize(l.Disk); err != nil {
		return pol, usageErr("--disk: %v", err)
	}
	if l.CPUs < 0 || l.Pids < 0 {
		return pol, usageErr("--cpus and --pids cannot be negative (0 turns a limit off)")
	}
	if l.Pids > 0 && l.Pids < 16 {
		return pol, usageErr("--pids %d: a build needs at least 16 processes (or 0 for no limit)", l.Pids)
	}
	pol.CPUs, pol.Pids = l.CPUs, l.Pids
	return pol, nil
}

// cacheDir is where the catalog, exported images and the managed daemon live. Tests point it
// at a shared dir with STAGECRAFT_CACHE so the catalog is built once.
func cacheDir() (string, error) {
	if d := os.Getenv("STAGECRAFT_CACHE"); d != "" {
		return d, nil
	}
	return sandbox.CacheDir()
}

// endpoints chooses the daemons in order: --buildkit, BUILDKIT_HOST, then the managed daemon.
func (g *globalOptions) endpoints(tls sandbox.TLS) ([]sandbox.Endpoint, error) {
	d, err := sandbox.DefaultDaemon()
	if err != nil {
		return nil, err
	}
	return sandbox.Choose(g.BuildKit, env("BUILDKIT_HOST"), tls, d)
}

// openSandbox wires a sandbox on the first endpoint, with the catalog per --images.
func (g *globalOptions) openSandbox(ctx context.Context, f sandboxFlags) (*sandbox.Sandbox, error) {
	eps, err := g.endpoints(f.TLS)
	if err != nil {
		return nil, err
	}
	return g.sandboxOn(ctx, eps[0], f)
}

func (g *globalOptions) sandboxOn(ctx context.Context, ep sandbox.Endpoint, f sandboxFlags) (*sandbox.Sandbox, error) {
	cache, err := cacheDir()
	if err != nil {
		return nil, err
	}
	pol, err := f.policy()
	if err != nil {
		return nil, err
	}
	sb := &sandbox.Sandbox{Endpoint: ep, Policy: pol, StoreDir: filepath.Join(cache, "store")}
	res, err := g.contextResolver(ctx, cache)
	if err != nil {
		return nil, err
	}
	if res != nil {
		sb.Contexts = res
	}
	return sb, nil
}

func (g *globalOptions) imagesMode() (string, error) {
	switch g.Images {
	case "", "auto":
		return "auto", nil
	case "catalog", "registry":
		return g.Images, nil
	}
	return "", usageErr("--images %q: use auto, catalog or registry", g.Images)
}
