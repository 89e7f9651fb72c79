package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/stagecraft/stagecraft/lessons"
	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/sandbox/check"
	"golang.org/x/sync/errgroup"
)

// caseVerdict is one Dockerfile `content check --build` checked: an exercise's starter (must
// fail), its reference (must pass) or one of its cases, and whether the verdict is the one
// declared.
type caseVerdict struct {
	Exercise string
	File     string // in the course FS
	WantPass bool
	Fails    []string // checks a fail case declares it fails
	Report   *check.Report
	Problem  string // "" when the verdict is as declared
	Took     time.Duration
}

// buildTarget is one Dockerfile to check and what it should get.
type buildTarget struct {
	file     string
	wantPass bool
	fails    []string
}

// targetsOf lists what an exercise is checked with: the starter, the reference, every case.
func targetsOf(fsys fs.FS, ex *lessons.Exercise) ([]buildTarget, error) {
	ts := []buildTarget{{file: ex.Starter}, {file: ex.Solution, wantPass: true}}
	cases, err := ex.Cases(fsys)
	if err != nil {
		return nil, err
	}
	for _, c := range cases {
		ts = append(ts, buildTarget{file: c.Path, wantPass: c.Pass, fails: c.Fails})
	}
	return ts, nil
}

// judge compares a report with the declared verdict.
func judge(t buildTarget, rep *check.Report) string {
	failedChecks := map[string]bool{}
	for _, c := range rep.Checks {
		if c.Status == check.StatusFail || c.Status == check.StatusError {
			failedChecks[c.ID] = true
		}
	}
	if t.wantPass {
		if rep.Passed && rep.Score == rep.MaxScore {
			return ""
		}
		var why []string
		for _, c := range rep.Checks {
			if c.Status != check.StatusPass {
				why = append(why, fmt.Sprintf("%s (%s): %s", c.ID, c.Status, c.Message))
			}
		}
		return fmt.Sprintf("should pass, scored %s/%s: %s", rep.Score, rep.MaxScore, strings.Join(why, "; "))
	}
	if rep.Passed || rep.Score == rep.MaxScore {
		return fmt.Sprintf("should fail, but scored %s/%s", rep.Score, rep.MaxScore)
	}
	var missing []string
	for _, id := range t.fails {
		if !failedChecks[id] {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		var got []string
		for id := range failedChecks {
			got = append(got, id)
		}
		slices.Sort(got)
		return fmt.Sprintf("should fail %s, but those pass or are skipped (it fails %s; scored %s/%s)",
			strings.Join(missing, ", "), orNone(got), rep.Score, rep.MaxScore)
	}
	return ""
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "nothing"
	}
	return strings.Join(s, ", ")
}

// contentBuild checks every exercise (or only) of a course on a real daemon: starters must
// fail, references and pass- cases must get full points, fail- cases must fail the checks they
// name. jobs exercises run at once; each exercise's Dockerfiles run in turn, so they share its
// build cache. An environment fault stops everything: it says nothing about the content.
func contentBuild(ctx context.Context, sb *sandbox.Sandbox, course *lessons.Course, only string, jobs int, report func(caseVerdict)) ([]caseVerdict, error) {
	var exs []*lessons.Exercise
	for _, ex := range course.Exercises {
		if only == "" || ex.ID == only {
			exs = append(exs, ex)
		}
	}
	if len(exs) == 0 {
		return nil, usageErr("no exercise %q in the course", only)
	}
	if jobs < 1 {
		jobs = 1
	}
	// The first environment fault cancels the other exercises (errgroup).
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(jobs)
	var (
		mu       sync.Mutex
		verdicts []caseVerdict
	)
	for _, ex := range exs {
		g.Go(func() error {
			return buildExercise(ctx, sb, course.FS, ex, func(v caseVerdict) {
				mu.Lock()
				defer mu.Unlock()
				verdicts = append(verdicts, v)
				if report != nil {
					report(v)
				}
			})
		})
	}
	err := g.Wait()
	return verdicts, err
}

func buildExercise(ctx context.Context, sb *sandbox.Sandbox, fsys fs.FS, ex *lessons.Exercise, add func(caseVerdict)) error {
	plan, err := planFor(fsys, ex)
	if err != nil {
		return err
	}
	// The reference's size is only shown beside a learner's; a verdict does not need it, and
	// leaving it out saves a build and an export per Dockerfile.
	plan.Reference = nil
	targets, err := targetsOf(fsys, ex)
	if err != nil {
		return usageErr("%v", err)
	}
	for _, t := range targets {
		df, err := fs.ReadFile(fsys, t.file)
		if err != nil {
			return usageErr("%s: %v", t.file, err)
		}
		start := time.Now()
		// Each exercise is a tenant of its own: exercises checked at once never share a cgroup,
		// so one's limits (or the end of its probes) cannot stop another's build.
		sub := check.Submission{Dockerfile: df, Filename: path.Base(t.file), Tenant: "content:" + ex.ID}
		rep, err := check.Run(ctx, sb, *plan, sub, nil)
		if err != nil {
			return envErr(fmt.Errorf("%s: %w", t.file, err))
		}
		if !rep.Gradable {
			return envErr(fmt.Errorf("%s: not gradable: %s", t.file, rep.Error))
		}
		add(caseVerdict{Exercise: ex.ID, File: t.file, WantPass: t.wantPass, Fails: t.fails, Report: rep,
			Problem: judge(t, rep), Took: time.Since(start)})
	}
	return nil
}

// printVerdict writes one line per Dockerfile: ok or the difference, with the score.
func printVerdict(w io.Writer, shown string, v caseVerdict) {
	file := filepath.Join(shown, filepath.FromSlash(v.File))
	want := "fails"
	if v.WantPass {
		want = "passes"
	}
	if v.Problem == "" {
		fmt.Fprintf(w, "ok    %s: %s as declared (%s/%s, %.0fs)\n", file, want, v.Report.Score, v.Report.MaxScore, v.Took.Seconds())
		return
	}
	fmt.Fprintf(w, "FAIL  %s: %s\n", file, v.Problem)
}
