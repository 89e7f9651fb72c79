package main

import (
	"context"
	"fmt"

	"github.com/stagecraft/stagecraft/grade"
	"github.com/stagecraft/stagecraft/sandbox"
)

// gradeRunOptions are the inputs of `stagecraft grade`: one grading session.
type gradeRunOptions struct {
	*globalOptions
	sandboxFlags
	Exercise   string
	Source     string // SUBMISSIONS; with --regrade, "" is the run's
	Roster     string
	Regrade    string
	Jobs       int
	Similarity float64
	output     gradeOutput
}

func (o *gradeRunOptions) validate() error {
	if err := o.output.validate(); err != nil {
		return err
	}
	if o.Jobs < 0 {
		return usageErr("--jobs %d: want a positive number", o.Jobs)
	}
	if o.Similarity < 0 || o.Similarity > 1 {
		return usageErr("--similarity %g: want a number between 0 and 1", o.Similarity)
	}
	return nil
}

// runGrade runs a grading session (package grade) on the daemons the flags name, writes the
// run out and turns what happened into the exit code.
func runGrade(ctx context.Context, o *gradeRunOptions) error {
	if err := o.validate(); err != nil {
		return err
	}
	st, err := openProgress(ctx, o.globalOptions)
	if err != nil {
		return err
	}
	defer st.Close()

	// What to grade: the arguments, or the run being re-graded.
	var prev *grade.Previous
	exercise, src, roster := o.Exercise, o.Source, o.Roster
	if o.Regrade != "" {
		if prev, err = grade.FindPrevious(ctx, st, o.Regrade, o.Exercise); err != nil {
			return inputOrEnv(err)
		}
		if o.Exercise != "" && o.Exercise != prev.Run.Exercise {
			return usageErr("--regrade %s is a run of %s, not %s", prev.Run.UID, prev.Run.Exercise, o.Exercise)
		}
		exercise = prev.Run.Exercise
		if src == "" {
			src = prev.Options.Source
		}
		if roster == "" {
			roster = prev.Options.Roster
		}
	}
	if exercise == "" {
		return usageErr("say which exercise: grade --exercise ID SUBMISSIONS")
	}
	if src == "" {
		return usageErr("say where the submissions are: grade --exercise %s SUBMISSIONS", exercise)
	}
	ex, err := o.exercise(exercise)
	if err != nil {
		return err
	}

	var bar *grade.ProgressBar
	logf := func(format string, a ...any) {
		if bar != nil {
			bar.Clear()
		}
		fmt.Fprintf(o.Err, "stagecraft: "+format+"\n", a...)
	}
	sess, err := grade.NewSession(grade.SessionOptions{Store: st, Exercise: *ex, Source: src, Roster: roster,
		Previous: prev, Similarity: o.Similarity, Logf: logf})
	if err != nil {
		return inputOrEnv(err)
	}
	backends, closeAll, err := o.backends(ctx, sess)
	if err != nil {
		return err
	}
	defer closeAll()

	bar = grade.NewProgressBar(o.Err, len(sess.Todo()), isTTY(o.Err))
	run, err := sess.Grade(ctx, grade.Workers{Backends: backends, Jobs: o.Jobs, MaxContextBytes: sandbox.DefaultPolicy().MaxContextBytes,
		BuildKit: o.BuildKit, Timeout: o.Timeout.String(), OnResult: bar.Add})
	bar.Clear()
	if run == nil {
		return envErr(err)
	}
	if werr := o.output.write(o.Out, o.Err, run); werr != nil {
		return werr
	}
	if err != nil {
		return envErr(err)
	}
	if len(run.Summary.NotGraded) > 0 {
		if o.output.Format != "text" || o.output.OutPath != "" {
			fmt.Fprintf(o.Err, "stagecraft: %d submissions could not be graded (environment); re-run with --regrade %s\n", len(run.Summary.NotGraded), run.UID)
		}
		return &exitError{code: exitEnviron}
	}
	return nil
}

// exercise is the exercise id names, as the course has it now, with its plan.
func (o *gradeRunOptions) exercise(id string) (*grade.Exercise, error) {
	course, err := loadCourse(o.globalOptions)
	if err != nil {
		return nil, err
	}
	ex := course.Exercise(id)
	if ex == nil {
		_, err := exercisePlan(o.globalOptions, id) // says which exercises there are
		return nil, err
	}
	plan, err := planFor(course.FS, ex)
	if err != nil {
		return nil, err
	}
	return &grade.Exercise{ID: ex.ID, Title: ex.Title, Hints: ex.Hints, Plan: plan}, nil
}

// backends opens a sandbox on every BuildKit daemon, sharing one image catalog. Nothing is
// opened when nothing needs building.
func (o *gradeRunOptions) backends(ctx context.Context, sess *grade.Session) ([]grade.Backend, func(), error) {
	if !sess.NeedsBuild() {
		return nil, func() {}, nil
	}
	eps, err := o.endpoints(o.TLS)
	if err != nil {
		if sandbox.IsEnvError(err) {
			return nil, nil, envErr(err)
		}
		return nil, nil, usageErr("%v", err)
	}
	warm := max(sandbox.DefaultPolicy().Timeout, o.Timeout)
	var out []grade.Backend
	var sbs []*sandbox.Sandbox
	closeAll := func() {
		for _, sb := range sbs {
			sb.Close()
		}
	}
	for i, ep := range eps {
		sb, err := o.sandboxOn(ctx, ep, o.sandboxFlags)
		if err != nil {
			closeAll()
			return nil, nil, asExit(err)
		}
		if i > 0 {
			sb.Contexts = sbs[0].Contexts // one catalog, built at most once
		}
		sbs = append(sbs, sb)
		out = append(out, &grade.SandboxBackend{Sandbox: sb, WarmTimeout: warm})
	}
	if o.Jobs == 0 {
		o.Jobs = 2 * len(out)
	}
	return out, closeAll, nil
}
