package sandbox

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"sort"

	"github.com/moby/buildkit/client"

	gateway "github.com/moby/buildkit/frontend/gateway/client"
	"github.com/moby/buildkit/frontend/subrequests/lint"
)

// LintFinding is one of BuildKit's own lint rules firing, as the frontend.lint subrequest
// reports it.
type LintFinding struct {
	Rule    string `json:"rule"`
	Line    int    `json:"line"`
	Message string `json:"message"`
	URL     string `json:"url,omitempty"`
}

// Lint runs BuildKit's Dockerfile linter on the daemon (every rule, whatever `# check=` says)
// without building. A Dockerfile that does not parse comes back as a Failure.
//
// Lint is bounded by the policy's time limit (or the caller's, when shorter): a huge Dockerfile
// must not keep the daemon's frontend busy past it.
func (s *Sandbox) Lint(ctx context.Context, req Request) ([]LintFinding, *Failure, error) {
	ctx, cancel := s.Policy.WithTimeLimit(ctx)
	defer cancel()
	su, failure, err := s.prepareSolve(ctx, &req)
	if err != nil || failure != nil {
		return nil, failure, err
	}
	defer su.cleanup()
	c, err := s.Client(ctx)
	if err != nil {
		return nil, nil, err
	}
	return s.lintCached(ctx, c, su)
}

// lintRun is a lint running beside a build (Request.Lint): the two ask the daemon for
// different things, so neither needs to wait for the other.
type lintRun struct {
	done     chan struct{}
	findings []LintFinding
	failure  *Failure
	err      error
}

// startLint lints the Dockerfile of a laid-out solve in the background. It takes its own copy
// of the frontend attributes (the build adds its cgroup and ulimit to the original) and leaves
// the build's secrets out: the linter never runs a step.
func (s *Sandbox) startLint(ctx context.Context, c *client.Client, su *setup) *lintRun {
	lsu := *su
	lsu.opt.FrontendAttrs = maps.Clone(su.opt.FrontendAttrs)
	lsu.opt.Session = nil
	l := &lintRun{done: make(chan struct{})}
	go func() {
		defer close(l.done)
		lctx, cancel := s.Policy.WithTimeLimit(ctx)
		defer cancel()
		l.findings, l.failure, l.err = s.lintCached(lctx, c, &lsu)
	}()
	return l
}

// lintCached is lintWith, answered from the sandbox's cache when the same Dockerfile was
// linted with the same inputs before: a warm re-check of an unchanged Dockerfile does not ask
// the daemon again. Only clean answers are kept; a failure or an error is asked again.
func (s *Sandbox) lintCached(ctx context.Context, c *client.Client, su *setup) ([]LintFinding, *Failure, error) {
	if found, ok := s.lints.get(su.lintKey); ok {
		return found, nil, nil
	}
	found, failure, err := s.lintWith(ctx, c, su.opt)
	if err == nil && failure == nil {
		s.lints.put(su.lintKey, found)
	}
	return found, failure, err
}

func (l *lintRun) wait() ([]LintFinding, *Failure, error) {
	<-l.done
	return l.findings, l.failure, l.err
}

// lintWith asks the daemon's Dockerfile frontend for its lint of the solve opt's Dockerfile.
func (s *Sandbox) lintWith(ctx context.Context, c *client.Client, opt client.SolveOpt) ([]LintFinding, *Failure, error) {
	attrs := map[string]string{"requestid": lint.RequestLint}
	for k, v := range opt.FrontendAttrs {
		attrs[k] = v
	}
	var results lint.LintResults
	_, err := c.Build(ctx, opt, "stagecraft", func(ctx context.Context, gwc gateway.Client) (*gateway.Result, error) {
		res, err := gwc.Solve(ctx, gateway.SolveRequest{Frontend: opt.Frontend, FrontendOpt: attrs})
		if err != nil {
			return nil, err
		}
		dt, ok := res.Metadata["result.json"]
		if !ok {
			return nil, fmt.Errorf("the daemon's Dockerfile frontend did not answer the lint request")
		}
		if err := json.Unmarshal(dt, &results); err != nil {
			return nil, fmt.Errorf("reading lint results: %w", err)
		}
		return res, nil
	}, nil)
	if err != nil {
		if TimedOut(ctx) {
			return nil, s.Policy.timeoutFailure(), nil
		}
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		if isEnvFault(err) {
			return nil, nil, &EnvError{What: "BuildKit failed while linting", Err: err}
		}
		return nil, &Failure{Kind: "syntax", Line: lineOfErr(err), Message: err.Error()}, nil
	}
	var out []LintFinding
	for _, w := range results.Warnings {
		f := LintFinding{Rule: w.RuleName, Message: w.Detail, URL: w.URL}
		if f.Message == "" {
			f.Message = w.Description
		}
		if w.Location != nil && len(w.Location.Ranges) > 0 && w.Location.Ranges[0].Start != nil {
			f.Line = int(w.Location.Ranges[0].Start.Line)
		}
		out = append(out, f)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	if results.Error != nil {
		f := &Failure{Kind: "syntax", Message: results.Error.Message}
		if r := results.Error.Location.Ranges; len(r) > 0 && r[0].Start != nil {
			f.Line = int(r[0].Start.Line)
		}
		return out, f, nil
	}
	return out, nil, nil
}
