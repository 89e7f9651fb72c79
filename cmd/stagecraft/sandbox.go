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
)

// sandboxFlags are the flags of commands that build: the sandbox policy a user may tighten or
// loosen, and mTLS for tcp:// daemons.
type sandboxFlags struct {
	Timeout         time.Duration
	MaxInstructions int
	TLS             sandbox.TLS
}

func (f *sandboxFlags) register(fs *pflag.FlagSet) {
	fs.DurationVar(&f.Timeout, "timeout", sandbox.DefaultPolicy().Timeout, "wall-clock limit for one build")
	f.MaxInstructions = sandbox.DefaultMaxInstructions
	fs.Var((*instructionCap)(&f.MaxInstructions), "max-instructions", "most instructions a Dockerfile may have, refused before building (0: no limit)")
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

// cacheDir is where the catalog, exported images and the managed daemon live. Tests point it
// at a shared dir with STAGECRAFT_CACHE so the catalog is built once.
func cacheDir() (string, error) {
	if d := os.Getenv("STAGECRAFT_CACHE"); d != "" {
		return d, nil
	}
	return sandbox.CacheDir()
}

// endpoints chooses the daemons in the order of DESIGN.md.
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
	pol := sandbox.DefaultPolicy()
	if f.Timeout > 0 {
		pol.Timeout = f.Timeout
	}
	pol.MaxInstructions = f.MaxInstructions
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
