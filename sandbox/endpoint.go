package sandbox

import (
	"context"
	"errors"
	"fmt"
	"io"
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

// Endpoint is one way to reach a BuildKit daemon, shaped like buildx's drivers: every kind (the
// managed daemon stagecraft starts, a daemon at an address) says what it is and how it is
// doing, can be brought up and let go, and hands out clients. Callers never need to know which
// kind they hold.
type Endpoint interface {
	// Address is what the user would write to reach it (for messages).
	Address() string
	// Info says what the endpoint is and whether it answers, without starting anything. A
	// daemon that should answer and does not is an *EnvError, with the info known so far.
	Info(ctx context.Context) (EndpointInfo, error)
	// Bootstrap makes the daemon answer: the managed daemon is started if it is not running
	// (saying so on progress, which may be nil); a remote one is only reached.
	Bootstrap(ctx context.Context, progress io.Writer) error
	// Shutdown stops a daemon stagecraft started; a daemon stagecraft does not own is left
	// running, and shutting it down does nothing.
	Shutdown(ctx context.Context) error
	// Client returns a connected, healthy client, bootstrapping first where the endpoint
	// can, or an *EnvError saying what to do.
	Client(ctx context.Context) (*client.Client, error)
	// Local reports whether the daemon runs on this host as root, so the sandbox may put its
	// builds under a cgroup with memory and CPU limits.
	Local() bool
}

// EndpointStatus is how an endpoint is doing when asked.
type EndpointStatus string

const (
	EndpointRunning     EndpointStatus = "running"     // it answers
	EndpointStopped     EndpointStatus = "stopped"     // the managed daemon, not started yet
	EndpointUnreachable EndpointStatus = "unreachable" // it should answer and does not
)

// EndpointInfo is what an endpoint is and what it can do.
type EndpointInfo struct {
	Status  EndpointStatus `json:"status"`
	Address string         `json:"address"`
	// Managed is the daemon stagecraft starts and stops; Root, Log and PID are its own.
	Managed bool   `json:"managed"`
	Root    string `json:"root,omitempty"`
	Log     string `json:"log,omitempty"`
	PID     int    `json:"pid,omitempty"`
	// Rootless: the daemon's workers run steps without root's process sandbox.
	Rootless bool `json:"rootless"`
	// Limits: the sandbox can put builds under memory, CPU, process and disk limits here.
	Limits  bool         `json:"limits"`
	Version string       `json:"version,omitempty"`
	Workers []WorkerInfo `json:"workers,omitempty"`
	// Platforms are what the workers build for, each once.
	Platforms []string `json:"platforms,omitempty"`
	// Prereqs is what starting the managed daemon would need and this machine lacks.
	Prereqs error `json:"-"`
}

// WorkerInfo is one of a daemon's workers.
type WorkerInfo struct {
	ID          string   `json:"id"`
	Executor    string   `json:"executor,omitempty"`    // oci, containerd
	Snapshotter string   `json:"snapshotter,omitempty"` // overlayfs, native, …
	Platforms   []string `json:"platforms"`
	// NoSandbox: steps run without their own PID namespace (buildkitd in rootless mode with
	// --oci-worker-no-process-sandbox).
	NoSandbox bool `json:"no_sandbox,omitempty"`
}

// The labels BuildKit puts on its workers.
const (
	labelExecutor    = "org.mobyproject.buildkit.worker.executor"
	labelSnapshotter = "org.mobyproject.buildkit.worker.snapshotter"
	labelProcessMode = "org.mobyproject.buildkit.worker.oci.process-mode"
)

// describe fills what a connected daemon says of itself: version, workers, platforms.
func describe(ctx context.Context, c *client.Client, info *EndpointInfo) *EnvError {
	bi, err := c.Info(ctx)
	if err != nil {
		return &EnvError{What: "BuildKit at " + info.Address + " does not answer", Err: err}
	}
	info.Version = bi.BuildkitVersion.Version
	ws, err := c.ListWorkers(ctx)
	if err != nil {
		return &EnvError{What: "BuildKit at " + info.Address + " does not list its workers", Err: err}
	}
	seen := map[string]bool{}
	for _, w := range ws {
		wi := WorkerInfo{ID: w.ID, Executor: w.Labels[labelExecutor], Snapshotter: w.Labels[labelSnapshotter],
			NoSandbox: w.Labels[labelProcessMode] == "no-sandbox", Platforms: []string{}}
		for _, p := range w.Platforms {
			ps := p.OS + "/" + p.Architecture
			if p.Variant != "" {
				ps += "/" + p.Variant
			}
			wi.Platforms = append(wi.Platforms, ps)
			if !seen[ps] {
				seen[ps] = true
				info.Platforms = append(info.Platforms, ps)
			}
		}
		info.Rootless = info.Rootless || wi.NoSandbox
		info.Workers = append(info.Workers, wi)
	}
	return nil
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

// Info connects to the daemon and asks what it is.
func (e *AddrEndpoint) Info(ctx context.Context) (EndpointInfo, error) {
	info := EndpointInfo{Status: EndpointUnreachable, Address: e.Addr, Limits: e.Local()}
	c, err := e.Client(ctx)
	if err != nil {
		return info, err
	}
	defer c.Close()
	if e := describe(ctx, c, &info); e != nil {
		return info, e
	}
	info.Status = EndpointRunning
	return info, nil
}

// Bootstrap only reaches the daemon: stagecraft cannot start a daemon it does not own.
func (e *AddrEndpoint) Bootstrap(ctx context.Context, _ io.Writer) error {
	c, err := e.Client(ctx)
	if err != nil {
		return err
	}
	return c.Close()
}

// Shutdown leaves the daemon running: it is not stagecraft's.
func (e *AddrEndpoint) Shutdown(context.Context) error { return nil }

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
