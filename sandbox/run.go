package sandbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/containerd/containerd/v2/core/content"
	"github.com/moby/buildkit/client"
	"github.com/moby/buildkit/client/llb"
	gatewaypb "github.com/moby/buildkit/frontend/gateway/pb"
	digest "github.com/opencontainers/go-digest"

	"github.com/stagecraft/stagecraft/sandbox/image"
)

// ExportStoreID names the export store in BuildKit sessions when an exported image is used
// again as a source (to run a command in it).
const ExportStoreID = "stagecraft-images"

// RunResult is a command run in a built image.
type RunResult struct {
	Args     []string
	Stdout   string
	Stderr   string
	ExitCode int  // -1 when it did not run to an exit
	TimedOut bool // stopped after the timeout
	// StartError is set when the process could not start at all (missing binary, a
	// dynamically linked binary without its loader).
	StartError string
	// Limit names the sandbox limit that stopped the command ("memory", "pids", "disk").
	Limit string
}

// Run runs args in an image the sandbox exported, with the image's env, working dir and user,
// no network, and a timeout. It runs through BuildKit, so it works for scratch images too.
func (s *Sandbox) Run(ctx context.Context, manifest digest.Digest, cfg image.Config, args []string, timeout time.Duration) (*RunResult, error) {
	return s.RunAs(ctx, "", manifest, cfg, args, timeout)
}

// RunAs is Run in the tenant's cgroup, under the same memory, CPU, process and disk limits as
// the tenant's builds: the learner's program is as untrusted as their RUN steps. extra adds
// options to the exec, such as a mount of the service probe.
func (s *Sandbox) RunAs(ctx context.Context, tenant string, manifest digest.Digest, cfg image.Config, args []string, timeout time.Duration, extra ...llb.RunOption) (res *RunResult, err error) {
	c, err := s.Client(ctx)
	if err != nil {
		return nil, err
	}
	store, err := s.ExportStore()
	if err != nil {
		return nil, err
	}
	opts := []llb.RunOption{
		llb.Args(args),
		llb.Network(llb.NetModeNone),
		llb.IgnoreCache, // a check must see the command run, not a cached result
		llb.WithCustomName("stagecraft: run " + strings.Join(args, " ")),
	}
	opts = append(opts, extra...)
	for _, e := range cfg.Env {
		k, v, _ := strings.Cut(e, "=")
		opts = append(opts, llb.AddEnv(k, v))
	}
	if cfg.WorkingDir != "" {
		opts = append(opts, llb.Dir(cfg.WorkingDir))
	}
	if cfg.User != "" {
		opts = append(opts, llb.User(cfg.User))
	}
	if s.Endpoint.Local() {
		if cl, _, err := setupCgroup(s.Policy, tenant); err == nil && cl != nil {
			defer cl.release()
			opts = append(opts, llb.WithCgroupParent(cl.parent))
			if s.Policy.DiskBytes > 0 {
				opts = append(opts, llb.AddUlimit(llb.UlimitFsize, s.Policy.DiskBytes, s.Policy.DiskBytes))
			}
			w := watchSteps(cl, s.Policy.DiskBytes)
			defer func() {
				reason, _ := w.end()
				if res == nil || res.ExitCode != 137 {
					return
				}
				switch {
				case reason != "":
					res.Limit = reason
				case cl.oomKilled() || cl.memLimitHit():
					res.Limit = "memory"
				}
			}()
		}
	}
	// The reference only names the image in BuildKit's logs (as the Dockerfile frontend does
	// for oci-layout contexts); the store ID is what finds it.
	st := llb.OCILayout("docker.io/stagecraft/submission@"+manifest.String(), llb.OCIStore("", ExportStoreID)).Run(opts...)
	def, err := st.Root().Marshal(ctx)
	if err != nil {
		return nil, fmt.Errorf("preparing the run: %w", err)
	}
	rctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	ch := make(chan *client.SolveStatus)
	var stdout, stderr bytes.Buffer
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ss := range ch {
			for _, l := range ss.Logs {
				switch l.Stream {
				case 1:
					stdout.Write(l.Data)
				case 2:
					stderr.Write(l.Data)
				}
			}
		}
	}()
	_, err = c.Solve(rctx, def, client.SolveOpt{OCIStores: map[string]content.Store{ExportStoreID: store}}, ch)
	<-done
	res = &RunResult{Args: args, Stdout: capText(stdout.String()), Stderr: capText(stderr.String()), ExitCode: 0}
	if err == nil {
		return res, nil
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if rctx.Err() != nil {
		res.ExitCode, res.TimedOut = -1, true
		return res, nil
	}
	// runc reports a process it could not start (missing file, no execute bit, no loader for a
	// dynamic binary) as a failed run, not as the program's exit.
	if msg := err.Error(); strings.Contains(msg, "runc run failed") || strings.Contains(msg, "exec format error") {
		res.ExitCode = -1
		res.StartError = msg
		return res, nil
	}
	var ee *gatewaypb.ExitError
	if errors.As(err, &ee) && ee.ExitCode != gatewaypb.UnknownExitStatus {
		res.ExitCode = int(ee.ExitCode)
		return res, nil
	}
	if isEnvFault(err) {
		return nil, &EnvError{What: "BuildKit failed while running a command in the image", Err: err}
	}
	res.ExitCode = -1
	res.StartError = err.Error()
	return res, nil
}

func capText(s string) string {
	const max = 16 << 10
	if len(s) > max {
		return s[:max] + "\n… (output cut)"
	}
	return s
}
