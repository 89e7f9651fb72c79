package sandbox

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/moby/buildkit/client"
	// Register the connection helpers so docker-container://, kube-pod:// and ssh:// addresses
	// work as they do with buildctl.
	_ "github.com/moby/buildkit/client/connhelper/dockercontainer"
	_ "github.com/moby/buildkit/client/connhelper/kubepod"
	_ "github.com/moby/buildkit/client/connhelper/ssh"
)

// Endpoint is one way to reach a BuildKit daemon, in the spirit of buildx drivers.
type Endpoint interface {
	// Address is what the user would write to reach it (for messages).
	Address() string
	// Client returns a connected, healthy client, or an *EnvError saying what to do.
	Client(ctx context.Context) (*client.Client, error)
	// Local reports whether the daemon runs on this host as root, so the sandbox may put its
	// builds under a cgroup with memory and CPU limits.
	Local() bool
}

// TLS holds the mTLS flags for tcp:// daemons (as buildctl's --tlscacert, --tlscert, --tlskey).
type TLS struct {
	ServerName string
	CACert     string
	Cert, Key  string
}

// EnvError is an environment fault: BuildKit missing or unreachable, a daemon error. It is never
// the learner's fault and never scored. Fix says what to do, as commands where possible.
type EnvError struct {
	What string // what went wrong, one line
	Fix  string // what to do about it, possibly several lines
	Err  error
}

func (e *EnvError) Error() string {
	var b strings.Builder
	b.WriteString(e.What)
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	if e.Fix != "" {
		b.WriteString("\n")
		b.WriteString(e.Fix)
	}
	return b.String()
}

func (e *EnvError) Unwrap() error { return e.Err }

// IsEnvError reports whether err is (or wraps) an environment fault.
func IsEnvError(err error) bool {
	var e *EnvError
	return errors.As(err, &e)
}

// AddrEndpoint is a daemon at an address given by --buildkit or BUILDKIT_HOST.
type AddrEndpoint struct {
	Addr string
	TLS  TLS
}

func (e *AddrEndpoint) Address() string { return e.Addr }

func (e *AddrEndpoint) Local() bool {
	u, err := url.Parse(e.Addr)
	return err == nil && u.Scheme == "unix" && isRoot()
}

func (e *AddrEndpoint) Client(ctx context.Context) (*client.Client, error) {
	var opts []client.ClientOpt
	if e.TLS.CACert != "" {
		opts = append(opts, client.WithServerConfig(e.TLS.ServerName, e.TLS.CACert))
	}
	if e.TLS.Cert != "" || e.TLS.Key != "" {
		opts = append(opts, client.WithCredentials(e.TLS.Cert, e.TLS.Key))
	}
	return connect(ctx, e.Addr, opts, "Check that the daemon is running and the address is right (--buildkit or BUILDKIT_HOST).")
}

// connect dials addr and proves the daemon answers before handing the client out, so a dead
// socket is reported as an environment fault up front rather than as a failed build.
func connect(ctx context.Context, addr string, opts []client.ClientOpt, fix string) (*client.Client, error) {
	c, err := client.New(ctx, addr, opts...)
	if err != nil {
		return nil, &EnvError{What: "cannot reach BuildKit at " + addr, Fix: fix, Err: err}
	}
	hctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := c.Info(hctx); err != nil {
		c.Close()
		return nil, &EnvError{What: "BuildKit at " + addr + " does not answer", Fix: fix, Err: err}
	}
	return c, nil
}

// Choose picks the endpoints in order: explicit addresses, then BUILDKIT_HOST, then the
// managed daemon (which may be nil when the caller cannot offer one).
func Choose(addrs []string, buildkitHost string, tls TLS, managed *Daemon) ([]Endpoint, error) {
	var eps []Endpoint
	for _, a := range addrs {
		if err := validAddr(a); err != nil {
			return nil, err
		}
		eps = append(eps, &AddrEndpoint{Addr: a, TLS: tls})
	}
	if len(eps) == 0 && buildkitHost != "" {
		if err := validAddr(buildkitHost); err != nil {
			return nil, fmt.Errorf("BUILDKIT_HOST: %w", err)
		}
		eps = append(eps, &AddrEndpoint{Addr: buildkitHost, TLS: tls})
	}
	if len(eps) == 0 && managed != nil {
		eps = append(eps, managed)
	}
	if len(eps) == 0 {
		return nil, &EnvError{What: "no BuildKit daemon configured", Fix: managedFix}
	}
	return eps, nil
}

var knownSchemes = []string{"unix", "tcp", "docker-container", "kube-pod", "ssh", "npipe", "podman-container", "nerdctl-container"}

func validAddr(a string) error {
	u, err := url.Parse(a)
	if err != nil || u.Scheme == "" {
		return fmt.Errorf("%q is not a BuildKit address: use unix:///path/buildkitd.sock, tcp://host:1234, docker-container://name, kube-pod://pod or ssh://user@host", a)
	}
	for _, s := range knownSchemes {
		if u.Scheme == s {
			return nil
		}
	}
	return fmt.Errorf("%q: unknown scheme %q (known: %s)", a, u.Scheme, strings.Join(knownSchemes, ", "))
}
