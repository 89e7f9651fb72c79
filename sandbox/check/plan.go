package check

import (
	"context"

	"github.com/moby/buildkit/client"

	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/sandbox/check/spec"
	"github.com/stagecraft/stagecraft/sandbox/dockerfile"
)

// Plan is what a submission is checked against: an exercise's checks, its context, and the
// Dockerfiles its sizes are compared with.
type Plan struct {
	Exercise   string
	Checks     []spec.Check
	ContextDir string // the exercise's build context
	Starter    []byte // the starter Dockerfile: size_reduction compares against it
	Reference  []byte // the reference solution, for "par" (optional)
}

// Submission is one learner's Dockerfile.
type Submission struct {
	Dockerfile []byte
	Filename   string
	ContextDir string // empty: the plan's context
	Target     string
	BuildArgs  map[string]string
	Tenant     string // who the build belongs to (a student, a learner): its cgroup and cache-mount namespace
}

// Event is progress of a check, in the order a learner should see it: the static verdict at
// once, then build progress, then each dynamic check as it is decided.
type Event struct {
	Static *StaticResult       // stages, findings and static checks, before any build
	Phase  string              // "building your Dockerfile", "building the starter", …
	Status *client.SolveStatus // raw BuildKit progress of the current phase
	Check  *CheckResult        // one more check decided
}

// StaticResult is the first feedback: what the Dockerfile says, before anything is built.
type StaticResult struct {
	Stages   []sandbox.StageInfo
	Findings []sandbox.FindingInfo
	Checks   []CheckResult
	Analysis *dockerfile.Analysis
}

// Checker checks submissions on one sandbox: a value for callers that hold "something that
// checks" (the TUI's exercise screen) rather than the engine itself.
type Checker struct{ Sandbox *sandbox.Sandbox }

// Check is Run on the checker's sandbox.
func (c Checker) Check(ctx context.Context, plan Plan, sub Submission, events chan<- Event) (*Report, error) {
	return Run(ctx, c.Sandbox, plan, sub, events)
}
