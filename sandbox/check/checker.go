package check

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/moby/buildkit/client"

	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/sandbox/check/spec"
	"github.com/stagecraft/stagecraft/sandbox/dockerfile"
	"github.com/stagecraft/stagecraft/sandbox/image"
)

// parseCheckID is the check a Dockerfile that does not parse fails.
const parseCheckID = "dockerfile-parses"

// Run checks a submission, building it on the sandbox s. It returns a report whenever the
// submission could be evaluated, even if it fails; on an environment fault it returns a report
// with Gradable false and the error, and the submission is never scored.
//
// The policy's time limit bounds the whole check — lint, every build, export and probes — and
// when it passes, the daemon's work for the check is cancelled with it.
func Run(ctx context.Context, s *sandbox.Sandbox, plan Plan, sub Submission, events chan<- Event) (*Report, error) {
	ctx, cancel := s.Policy.WithTimeLimit(ctx)
	defer cancel()
	emit := func(ev Event) {
		if events != nil {
			select {
			case events <- ev:
			case <-ctx.Done():
			}
		}
	}
	if sub.Filename == "" {
		sub.Filename = "Dockerfile"
	}
	if sub.ContextDir == "" {
		sub.ContextDir = plan.ContextDir
	}
	rep := &Report{Schema: ReportSchema, Exercise: plan.Exercise, Gradable: true,
		Checks: []CheckResult{}, Stages: []sandbox.StageInfo{}, Findings: []sandbox.FindingInfo{}, Lint: []sandbox.LintFinding{}}
	results := map[string]string{}
	add := func(r CheckResult) {
		rep.Checks = append(rep.Checks, r)
		results[r.ID] = r.Status
		emit(Event{Check: &rep.Checks[len(rep.Checks)-1]})
	}

	req := sandbox.Request{Dockerfile: sub.Dockerfile, Filename: sub.Filename, ContextDir: sub.ContextDir, Target: sub.Target, BuildArgs: sub.BuildArgs, Tenant: sub.Tenant, Platform: plan.Platform}
	a, err := sandbox.Analyze(req)
	if err != nil {
		// Nothing is built: the parse error is the failed check, with its line.
		f := sandbox.ParseFailure(err)
		rep.Checks = append(rep.Checks, CheckResult{ID: parseCheckID, Kind: "parse", Status: StatusFail, Message: f.Message, Line: f.Line})
		for _, c := range plan.Checks {
			rep.Checks = append(rep.Checks, CheckResult{ID: c.ID, Kind: c.Kind, Status: StatusSkipped, MaxPoints: c.Points,
				Message: "not checked: the Dockerfile does not parse"})
		}
		rep.Findings = lintBefore(req, f.Line)
		rep.total()
		emit(Event{Static: &StaticResult{Checks: rep.Checks, Findings: rep.Findings}})
		return rep, nil
	}
	rep.Stages = sandbox.StagesOf(a)
	rep.Findings = sandbox.FindingsOf(a)

	// Static checks first: the learner sees them before the build starts.
	var static []CheckResult
	dynamic := false
	for _, c := range plan.Checks {
		if !spec.Static(c.Kind) {
			dynamic = true
			continue
		}
		r := newResult(c)
		if why, skip := blocked(c, plan.Checks, results); skip {
			r.Status, r.Message = StatusSkipped, why
		} else {
			ok, detail, line := staticCheck(c, a)
			if c.Kind == spec.KindBaseFromArg {
				ok, detail, line = baseFromArg(c, a, req)
			}
			r.decide(c, ok, detail)
			r.Line = line
		}
		results[c.ID] = r.Status
		static = append(static, r)
	}
	rep.Checks = append(rep.Checks, static...)
	emit(Event{Static: &StaticResult{Stages: rep.Stages, Findings: rep.Findings, Checks: static, Analysis: a}})
	if !dynamic {
		rep.Checks = ordered(plan.Checks, rep.Checks)
		rep.total()
		return rep, nil
	}

	envFault := func(err error) (*Report, error) {
		rep.Gradable = false
		rep.Error = err.Error()
		rep.Passed = false
		return rep, err
	}
	run := &runState{sb: s, plan: plan, sub: sub, req: req, a: a, emit: emit}

	// Build the submission with every secret a check declares mounted, and BuildKit's lint of
	// it alongside.
	for _, c := range plan.Checks {
		if c.Kind == spec.KindSecretAbsent {
			if req.Secrets == nil {
				req.Secrets = map[string][]byte{}
			}
			req.Secrets[c.Secret.ID] = []byte(c.Secret.Value)
		}
	}
	req.Export = true
	run.req = req
	req.Lint = true
	res, err := run.build(ctx, "building your Dockerfile", req)
	if err != nil {
		return envFault(err)
	}
	if res.LintFailure != nil {
		run.lintFailure = res.LintFailure
	} else {
		rep.Lint = res.Lint
		if rep.Lint == nil {
			rep.Lint = []sandbox.LintFinding{}
		}
		rep.Findings = sandbox.MergeLint(rep.Findings, res.Lint)
	}
	run.lint = rep.Lint
	rep.Build = sandbox.BuildInfoOf(res)
	run.res = res
	if res.Failure == nil {
		im, err := s.OpenImage(res.Manifest)
		if err != nil {
			return envFault(&sandbox.EnvError{What: "reading the built image", Err: err})
		}
		run.img = im
		if rep.Image, err = sandbox.ImageInfoOf(im, 10); err != nil {
			return envFault(&sandbox.EnvError{What: "reading the built image", Err: err})
		}
	}
	// The starter and the reference, for size_reduction and for "par" on the size panel.
	if len(plan.Starter) > 0 && (res.Failure == nil || needsKind(plan.Checks, spec.KindSizeReduction)) {
		info, err := run.sizeOf(ctx, "building the starter", plan.Starter)
		if err != nil {
			return envFault(err)
		}
		rep.Starter = info
		run.starter = info
	}
	if len(plan.Reference) > 0 && res.Failure == nil {
		info, err := run.sizeOf(ctx, "building the reference solution", plan.Reference)
		if err != nil {
			return envFault(err)
		}
		rep.Reference = info
	}

	for _, c := range plan.Checks {
		if spec.Static(c.Kind) {
			continue
		}
		r := newResult(c)
		if why, skip := blocked(c, plan.Checks, results); skip {
			r.Status, r.Message = StatusSkipped, why
		} else if res.Failure != nil && c.Kind != spec.KindBuilds && c.Kind != spec.KindLint {
			r.decide(c, false, "not checked: the image did not build")
		} else {
			ok, detail, line, err := run.dynamic(ctx, c)
			if err != nil && sandbox.TimedOut(ctx) {
				r.decide(c, false, fmt.Sprintf("not checked: the check's time limit (%s) passed first", s.Policy.Timeout))
			} else if err != nil {
				if sandbox.IsEnvError(err) || errors.Is(err, context.Canceled) {
					return envFault(err)
				}
				r.Status, r.Message = StatusError, err.Error()
			} else {
				r.decide(c, ok, detail)
				r.Line = line
			}
		}
		add(r)
	}
	rep.Checks = ordered(plan.Checks, rep.Checks)
	rep.total()
	return rep, nil
}

// lintBefore is BuildKit's lint of the lines above a parse error, as BuildKit itself reports
// both: a learner fixing the error should not lose the warnings on the lines that did parse.
// Only the linter's findings are kept: ours would judge a Dockerfile cut short (a stage
// referenced below the cut would look undefined).
func lintBefore(req sandbox.Request, line int) []sandbox.FindingInfo {
	out := []sandbox.FindingInfo{}
	if line <= 1 {
		return out
	}
	lines := strings.SplitAfter(string(req.Dockerfile), "\n")
	if line-1 > len(lines) {
		return out
	}
	req.Dockerfile = []byte(strings.Join(lines[:line-1], ""))
	a, err := sandbox.Analyze(req)
	if err != nil {
		return out
	}
	for _, f := range sandbox.FindingsOf(a) {
		if f.Source == dockerfile.SourceBuildKit && f.Line < line {
			out = append(out, f)
		}
	}
	return out
}

func newResult(c spec.Check) CheckResult {
	return CheckResult{ID: c.ID, Kind: c.Kind, MaxPoints: c.Points}
}

// decide records a verdict: on a pass the detail says what was found; on a failure the
// exercise's message comes first, then what was found.
func (r *CheckResult) decide(c spec.Check, ok bool, detail string) {
	if ok {
		r.Status, r.Points, r.Message = StatusPass, c.Points, detail
		return
	}
	r.Status, r.Points = StatusFail, 0
	switch {
	case c.Message == "":
		r.Message = detail
	case detail == "":
		r.Message = c.Message
	default:
		r.Message = c.Message + " — " + detail
	}
}

// blocked says whether a check's needs did not all pass. The reason names the needed check by
// what the learner reads for it (its message), not by its id, which is never on screen.
func blocked(c spec.Check, specs []spec.Check, results map[string]string) (string, bool) {
	for _, n := range c.Needs {
		if results[n] != StatusPass {
			return "skipped: needs this to pass first: " + titleOf(n, specs), true
		}
	}
	return "", false
}

// titleOf is how a check is shown: its message, or its kind and id when it has none.
func titleOf(id string, specs []spec.Check) string {
	for _, s := range specs {
		if s.ID == id {
			if s.Message != "" {
				return s.Message
			}
			return fmt.Sprintf("the %s check %q", s.Kind, id)
		}
	}
	if id == parseCheckID {
		return "the Dockerfile parses"
	}
	return fmt.Sprintf("%q", id)
}

func needsKind(checks []spec.Check, kind string) bool {
	for _, c := range checks {
		if c.Kind == kind {
			return true
		}
	}
	return false
}

// ordered puts results in the order the exercise declares its checks (parse check first).
func ordered(specs []spec.Check, rs []CheckResult) []CheckResult {
	pos := map[string]int{}
	for i, c := range specs {
		pos[c.ID] = i
	}
	out := make([]CheckResult, 0, len(rs))
	for _, r := range rs {
		if _, ok := pos[r.ID]; !ok {
			out = append(out, r)
		}
	}
	byID := map[string]CheckResult{}
	for _, r := range rs {
		byID[r.ID] = r
	}
	for _, c := range specs {
		if r, ok := byID[c.ID]; ok {
			out = append(out, r)
		}
	}
	return out
}

// runState carries one check's builds and image between the dynamic checks.
type runState struct {
	sb      *sandbox.Sandbox
	plan    Plan
	sub     Submission
	req     sandbox.Request
	a       *dockerfile.Analysis
	res     *sandbox.Result
	img     *image.Image
	starter *sandbox.ImageInfo
	lint    []sandbox.LintFinding
	// lintFailure is set when BuildKit's linter could not run on the Dockerfile (an image it
	// cannot resolve, say): a lint check must not pass on silence.
	lintFailure *sandbox.Failure
	emit        func(Event)
}

// build runs one build, forwarding its progress as events under a phase name.
func (r *runState) build(ctx context.Context, phase string, req sandbox.Request) (*sandbox.Result, error) {
	r.emit(Event{Phase: phase})
	ch := make(chan *client.SolveStatus)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ss := range ch {
			r.emit(Event{Status: ss})
		}
	}()
	req.Status = ch
	res, err := r.sb.Build(ctx, req)
	<-done
	return res, err
}

func (r *runState) sizeOf(ctx context.Context, phase string, df []byte) (*sandbox.ImageInfo, error) {
	res, err := r.build(ctx, phase, sandbox.Request{Dockerfile: df, Filename: "starter.Dockerfile", ContextDir: r.plan.ContextDir, Platform: r.plan.Platform, Export: true})
	if err != nil {
		return nil, err
	}
	if res.Failure != nil {
		return nil, nil // an exercise whose starter does not build has no size to compare with
	}
	im, err := r.sb.OpenImage(res.Manifest)
	if err != nil {
		return nil, &sandbox.EnvError{What: "reading the starter image", Err: err}
	}
	return sandbox.ImageInfoOf(im, 0)
}
