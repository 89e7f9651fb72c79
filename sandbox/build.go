package sandbox

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/containerd/containerd/v2/core/content"
	"github.com/moby/buildkit/client"
	"github.com/moby/buildkit/identity"
	"github.com/moby/buildkit/session"
	"github.com/moby/buildkit/session/secrets/secretsprovider"
	"github.com/moby/buildkit/util/grpcerrors"
	digest "github.com/opencontainers/go-digest"
	"github.com/tonistiigi/fsutil"
	"google.golang.org/grpc/codes"
)

// Request is one build of a Dockerfile in the sandbox.
type Request struct {
	Dockerfile []byte
	Filename   string // how the submitter knows the file, for messages; default "Dockerfile"
	ContextDir string // build context; empty means an empty context
	Target     string
	// Platform is the target platform (os/arch[/variant], such as linux/arm64): what a stage
	// without FROM --platform is built for and what $TARGETOS/$TARGETARCH say, while
	// $BUILDPLATFORM stays the daemon's. Empty means the daemon's platform.
	Platform  string
	BuildArgs map[string]string
	Secrets   map[string][]byte // id → value, for RUN --mount=type=secret
	NoCache   bool
	Tenant    string // who the build belongs to (a student, a learner): its cgroup and cache-mount namespace
	// Export asks for the final image, read back for inspection (sizes, files, config).
	Export bool
	// Lint runs BuildKit's linter on the Dockerfile while it builds (Result.Lint): the same
	// answer as Lint, without waiting for it before the build starts.
	Lint bool
	// Status, when set, receives every raw status message (for progressui or a TUI); Build
	// closes it when the build ends.
	Status chan<- *client.SolveStatus
}

// Result is what a build produced. A build that fails because of the Dockerfile is a Result
// with Failure set, not an error: errors are for environment faults and refused input.
type Result struct {
	Steps        []Step            `json:"steps"`
	TotalSteps   int               `json:"total_steps"`
	CachedSteps  int               `json:"cached_steps"`
	Duration     time.Duration     `json:"duration"`
	Failure      *Failure          `json:"failure,omitempty"`
	Manifest     digest.Digest     `json:"manifest,omitempty"`
	Limits       string            `json:"limits"` // what the policy enforced on RUN steps
	ExporterResp map[string]string `json:"-"`
	// Lint and LintFailure are what Lint would have said of the Dockerfile, when Request.Lint
	// asked for it.
	Lint        []LintFinding `json:"-"`
	LintFailure *Failure      `json:"-"`
	// drained is how long the build's steps took to have no process left after a timeout.
	drained time.Duration
	// ref is the build's id on the daemon (its build history), to tell whether it still runs.
	ref string
}

// Failure says why a build failed, in the learner's terms.
type Failure struct {
	Kind    string   `json:"kind"` // run, timeout, memory, pids, disk, killed, network, image, syntax, frontend, limit, cache, platform
	Step    string   `json:"step,omitempty"`
	Line    int      `json:"line,omitempty"`
	Message string   `json:"message"`
	Hint    string   `json:"hint,omitempty"`
	LogTail []string `json:"log_tail,omitempty"`
}

func (f *Failure) Error() string { return f.Message }

// setup is what one solve needs: the Dockerfile and context as local mounts, the frontend
// attributes of the policy, and the named contexts of the catalog.
type setup struct {
	opt     client.SolveOpt
	cleanup func()
	// lintKey names everything BuildKit's linter reads of this solve, when all of it is fixed
	// by content (every external image pinned by digest): the same key, the same lint.
	lintKey string
}

// prepareSolve checks the request against the policy and lays out the solve. A Dockerfile that
// BuildKit would refuse comes back as a Failure, without contacting the daemon.
func (s *Sandbox) prepareSolve(ctx context.Context, req *Request) (*setup, *Failure, error) {
	if err := s.Prepare(req); err != nil {
		return nil, nil, err
	}
	needed, a, err := neededImages(*req, s.Policy.MaxInstructions)
	if err != nil {
		return nil, ParseFailure(err), nil
	}
	if f := s.admit(ctx, a); f != nil {
		return nil, f, nil
	}
	tmp, err := os.MkdirTemp("", "stagecraft-build-")
	if err != nil {
		return nil, nil, fmt.Errorf("creating a temp dir for the build: %w", err)
	}
	su := &setup{cleanup: func() { os.RemoveAll(tmp) }}
	fail := func(err error) (*setup, *Failure, error) { su.cleanup(); return nil, nil, err }
	dfDir := filepath.Join(tmp, "dockerfile")
	ctxDir := req.ContextDir
	if ctxDir == "" {
		ctxDir = filepath.Join(tmp, "context")
		if err := os.Mkdir(ctxDir, 0o755); err != nil {
			return fail(err)
		}
	}
	if err := os.Mkdir(dfDir, 0o755); err != nil {
		return fail(err)
	}
	if err := os.WriteFile(filepath.Join(dfDir, "Dockerfile"), req.Dockerfile, 0o644); err != nil {
		return fail(err)
	}
	dfFS, err := fsutil.NewFS(dfDir)
	if err != nil {
		return fail(err)
	}
	ctxFS, err := fsutil.NewFS(ctxDir)
	if err != nil {
		return fail(err)
	}
	attrs := map[string]string{}
	for k, v := range req.BuildArgs {
		attrs["build-arg:"+k] = v
	}
	// The policy's attributes go in last: no build arg may override them.
	for k, v := range map[string]string{
		"filename":           "Dockerfile",
		"force-network-mode": "none",
		// Lint always runs and is never fatal: a learner's `# check=skip=all` cannot hide it.
		"build-arg:BUILDKIT_DOCKERFILE_CHECK": "skip=;error=false",
		// Cache mounts are keyed "<namespace>/<id>" on the daemon: one namespace per tenant
		// keeps one learner's cache out of another's builds.
		"build-arg:BUILDKIT_CACHE_MOUNT_NS": CacheNamespace(req.Tenant),
		// The built-in frontend hands the build to a # syntax= (or BUILDKIT_SYNTAX) image
		// unless cmdline is set: set, it never runs a frontend image, whatever the file says.
		"cmdline": "",
	} {
		attrs[k] = v
	}
	delete(attrs, "build-arg:BUILDKIT_SYNTAX")
	if req.Target != "" {
		attrs["target"] = req.Target
	}
	if req.Platform != "" {
		attrs["platform"] = req.Platform
	}
	if req.NoCache {
		attrs["no-cache"] = ""
	}
	var stores map[string]content.Store
	if s.Contexts != nil && len(needed) > 0 {
		ca, cs, err := s.Contexts.NamedContexts(ctx, needed)
		if err != nil {
			su.cleanup()
			if IsEnvError(err) {
				return nil, nil, err
			}
			var f *Failure
			if errors.As(err, &f) {
				return nil, f, nil
			}
			return nil, &Failure{Kind: "image", Message: err.Error(), Line: lineOfErr(err)}, nil
		}
		for k, v := range ca {
			attrs[k] = v
		}
		stores = cs
	}
	var attachables []session.Attachable
	if len(req.Secrets) > 0 {
		attachables = append(attachables, secretsprovider.FromMap(req.Secrets))
	}
	su.opt = client.SolveOpt{
		Frontend:      "dockerfile.v0",
		FrontendAttrs: attrs,
		LocalMounts:   map[string]fsutil.FS{"context": ctxFS, "dockerfile": dfFS},
		OCIStores:     stores,
		Session:       attachables,
		// No entitlements: no network.host, no security.insecure, whatever the Dockerfile asks.
		AllowedEntitlements: nil,
	}
	su.lintKey = lintKey(*req, needed, attrs)
	return su, nil, nil
}

// Build runs one build under the policy. It returns an error only for refused input
// (*LimitError) and environment faults (*EnvError); a Dockerfile that does not build — a parse
// error, a failing RUN, a timeout — is a Result with Failure set.
func (s *Sandbox) Build(ctx context.Context, req Request) (res *Result, err error) {
	pumping := false // once the status pump runs, it closes req.Status
	if req.Status != nil {
		defer func() {
			if !pumping {
				close(req.Status)
			}
		}()
	}
	if TimedOut(ctx) {
		// The check's time limit passed before this build could start.
		f := s.Policy.timeoutFailure()
		return &Result{Failure: f, LintFailure: lintOnly(req, f)}, nil
	}
	su, failure, err := s.prepareSolve(ctx, &req)
	if err != nil {
		return nil, err
	}
	if failure != nil {
		// Refused before the daemon sees it: the linter would not get to see it either.
		return &Result{Failure: failure, LintFailure: lintOnly(req, failure)}, nil
	}
	defer su.cleanup()
	c, err := s.Client(ctx)
	if err != nil {
		return nil, err
	}
	if req.Lint {
		l := s.startLint(ctx, c, su)
		// Deferred after su.cleanup, so it runs first: the lint reads the laid-out Dockerfile.
		defer func() {
			findings, failure, lerr := l.wait()
			if lerr != nil {
				res, err = nil, lerr
				return
			}
			if res != nil {
				res.Lint, res.LintFailure = findings, failure
			}
		}()
	}
	opt := su.opt
	opt.FrontendAttrs = maps.Clone(su.opt.FrontendAttrs)
	enf, limits := s.enforce(req.Tenant, opt.FrontendAttrs)
	defer enf.release()
	if req.Export {
		st, err := s.ExportStore()
		if err != nil {
			return nil, err
		}
		opt.Exports = []client.ExportEntry{{
			Type:        client.ExporterOCI,
			Attrs:       map[string]string{"tar": "false", "oci-mediatypes": "true"},
			OutputStore: st,
		}}
	}

	bctx, cancel := s.Policy.WithTimeLimit(ctx)
	defer cancel()
	pumping = true
	tracker, sres, start, serr := s.solveRetrying(ctx, bctx, c, opt, req.Status)
	enf.end(serr != nil && TimedOut(bctx))
	res = &Result{Duration: time.Since(start), Limits: limits, drained: enf.drained, ref: tracker.ref}
	res.Steps = tracker.Steps()
	res.TotalSteps, res.CachedSteps = tracker.Counts()
	if serr == nil {
		// BuildKit does not even load a step whose result a later step has in cache: such a
		// step never starts, and is as good as cached.
		for i := range res.Steps {
			st := &res.Steps[i]
			if !st.Internal && st.Started == nil && st.Error == "" {
				st.Cached = true
			}
		}
		res.CachedSteps = 0
		for _, st := range res.Steps {
			if !st.Internal && st.Cached {
				res.CachedSteps++
			}
		}
		res.ExporterResp = sres.ExporterResponse
		if d := sres.ExporterResponse["containerimage.digest"]; d != "" {
			res.Manifest = digest.Digest(d)
		}
		return res, nil
	}
	if TimedOut(bctx) {
		f := s.Policy.timeoutFailure()
		if st, ok := runningStep(res.Steps); ok {
			f.Step, f.LogTail = st.Name, tail(st.Log, 10)
		}
		res.Failure = f
		return res, nil
	}
	if ctx.Err() != nil {
		return nil, ctx.Err() // the caller cancelled (the learner left the screen)
	}
	if isEnvFault(serr) {
		return nil, &EnvError{What: "BuildKit failed during the build", Err: serr,
			Fix: "This is not your Dockerfile's fault. Check the daemon (stagecraft doctor) and try again."}
	}
	res.Failure = solveFailure(serr, tracker)
	enf.attribute(res.Failure)
	return res, nil
}

// lintOnly is f for the lint of a request that asked for one.
func lintOnly(req Request, f *Failure) *Failure {
	if !req.Lint {
		return nil
	}
	c := *f
	return &c
}

// isEnvFault tells a broken daemon or connection from a build that failed on its own terms.
func isEnvFault(err error) bool {
	switch grpcerrors.Code(err) {
	case codes.Unavailable, codes.Internal, codes.DataLoss, codes.ResourceExhausted:
		msg := err.Error()
		// A RUN that exits non-zero surfaces as Unknown; Internal errors that carry a
		// process exit are the learner's.
		return !strings.Contains(msg, "exit code") && !strings.Contains(msg, "did not complete successfully")
	}
	msg := err.Error()
	return strings.Contains(msg, "connection refused") || strings.Contains(msg, "transport is closing") ||
		strings.Contains(msg, "error reading from server: EOF")
}

func runningStep(steps []Step) (Step, bool) {
	for i := len(steps) - 1; i >= 0; i-- {
		if steps[i].Running() {
			return steps[i], true
		}
	}
	for i := len(steps) - 1; i >= 0; i-- {
		if steps[i].Error != "" {
			return steps[i], true
		}
	}
	return Step{}, false
}

func tail(lines []string, n int) []string {
	if len(lines) > n {
		return lines[len(lines)-n:]
	}
	return lines
}

// solveRetrying runs the solve, forwarding progress, and retries it when two solves raced to
// copy the same catalog blob into a fresh daemon: the loser finds a half-written ingest and
// fails with "unsupported offset"; by the retry the blob is complete. It closes status.
func (s *Sandbox) solveRetrying(ctx, bctx context.Context, c *client.Client, opt client.SolveOpt, status chan<- *client.SolveStatus) (*StepTracker, *client.SolveResponse, time.Time, error) {
	defer func() {
		if status != nil {
			close(status)
		}
	}()
	for attempt := 0; ; attempt++ {
		tracker := NewStepTracker()
		opt.Ref = identity.NewID() // each attempt is a build of its own in the daemon's history
		tracker.ref = opt.Ref
		ch := make(chan *client.SolveStatus)
		done := make(chan struct{})
		go func() {
			defer close(done)
			for ss := range ch {
				tracker.Update(ss)
				if status != nil {
					select {
					case status <- ss:
					case <-ctx.Done():
					}
				}
			}
		}()
		start := time.Now()
		sres, serr := c.Solve(bctx, nil, opt, ch)
		<-done
		if serr == nil || attempt == 2 || !isIngestRace(serr) || bctx.Err() != nil {
			return tracker, sres, start, serr
		}
		select {
		case <-bctx.Done():
			return tracker, sres, start, serr
		case <-time.After(time.Duration(attempt+1) * 500 * time.Millisecond):
		}
	}
}

func isIngestRace(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "unsupported offset") || strings.Contains(msg, "already exists") && strings.Contains(msg, "ref ")
}
