package grade

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/sandbox/check"
)

// One submission's check, and the results a student can end with.

// check grades one submission on backend b. The error is an environment fault (or ours).
func (g *grader) check(ctx context.Context, b int, j *job) (res Result, err error) {
	be := g.opts.Backends[b]
	st := j.st
	plan := g.opts.Plan
	start := time.Now()
	dir, cleanup, err := overlay(plan.ContextDir, st, g.opts.MaxContextBytes)
	var le *sandbox.LimitError
	var fe *sandbox.FileRefusedError
	if errors.As(err, &le) || errors.As(err, &fe) {
		// Input the sandbox would refuse (too large, a pipe or link swapped in): the student's.
		return g.result(st, refusedReport(plan, nil, err), be.Address(), j.attempts, time.Since(start)), nil
	}
	if err != nil {
		return Result{}, err
	}
	defer cleanup()
	// Each student's build runs in a cgroup of its own: one submission's memory, CPU or
	// processes never fail another's, and a regrade of the same student stays cached.
	sub := check.Submission{Dockerfile: st.Dockerfile, Filename: filepath.Base(st.File), ContextDir: dir, Tenant: "student:" + st.ID}
	rep, err := safeCheck(ctx, be, plan, sub)
	took := time.Since(start)
	if errors.As(err, &le) {
		// The sandbox measured our temp copy; the student knows their folder by their id.
		if le.Path == dir {
			le.Path = st.ID
		}
		rep, err = refusedReport(plan, rep, le), nil
	}
	if err == nil && (rep == nil || !rep.Gradable) {
		err = errors.New("the check returned no gradable report")
		if rep != nil && rep.Error != "" {
			err = errors.New(rep.Error)
		}
	}
	if err != nil {
		j.partial = rep
		return Result{}, err
	}
	// A build that failed or timed out on a daemon that has stopped answering failed because of
	// the daemon, whatever the error looked like: the student is not blamed for it.
	if suspect(rep) && be.Healthy(ctx) != nil {
		j.partial = rep
		return Result{}, &sandbox.EnvError{What: "BuildKit at " + be.Address() + " stopped answering during the check"}
	}
	return g.result(st, rep, be.Address(), j.attempts, took), nil
}

// safeCheck turns a panic in a check into an error, so one submission never stops the batch.
func safeCheck(ctx context.Context, be Backend, plan check.Plan, sub check.Submission) (rep *check.Report, err error) {
	defer func() {
		if p := recover(); p != nil {
			rep, err = nil, fmt.Errorf("internal error while checking: %v", p)
		}
	}()
	return be.Check(ctx, plan, sub)
}

// suspect reports whether a report holds a failure a dying daemon could have caused: a failed
// or timed-out build, a check that could not be evaluated.
func suspect(rep *check.Report) bool {
	if rep.Build != nil && rep.Build.Failure != nil && rep.Build.Failure.Kind != "limit" {
		return true
	}
	for _, c := range rep.Checks {
		if c.Status == check.StatusError {
			return true
		}
	}
	return false
}

func (g *grader) result(st *Student, rep *check.Report, worker string, attempts int, took time.Duration) Result {
	r := baseResult(st)
	r.Status = StatusGraded
	r.Score, r.MaxScore, r.Passed = rep.Score, rep.MaxScore, rep.Passed
	r.Worker, r.Attempts, r.DurationMS = worker, attempts, took.Milliseconds()
	r.Report = rep
	return r
}

func baseResult(st *Student) Result {
	r := Result{Student: st.ID, Name: st.Name, Email: st.Email, OffRoster: st.OffRoster, Hash: st.Hash, GradedAt: time.Now().UTC()}
	df := st.Dockerfile
	if len(df) > keptDockerfile {
		df, r.Truncated = df[:keptDockerfile], true
	}
	r.Dockerfile = string(df)
	return r
}

// MissingResult is the result of a student with nothing to grade: every check fails, score 0.
func MissingResult(plan check.Plan, st Student) Result {
	return missingResult(plan, &st)
}

func missingResult(plan check.Plan, st *Student) Result {
	r := baseResult(st)
	r.Status, r.Missing = StatusMissing, st.Missing
	r.Report = missingReport(plan, st.Missing)
	r.MaxScore = r.Report.MaxScore
	return r
}

func (g *grader) notGraded(j *job, why string) Result {
	r := baseResult(j.st)
	r.Status, r.Error, r.Attempts, r.Worker = StatusNotGraded, why, j.attempts, j.worker
	r.MaxScore = planMax(g.opts.Plan)
	rep := j.partial
	if rep == nil {
		rep = emptyReport()
	}
	rep.Gradable, rep.Passed, rep.Error = false, false, why
	r.Report = rep
	return r
}
