package grade

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/stagecraft/stagecraft/progress"
	"github.com/stagecraft/stagecraft/sandbox/check"
)

// Exercise is what a session grades against: the exercise as the course has it now.
type Exercise struct {
	ID, Title string
	Hints     []string
	// Plan is the exercise's checks, starter, reference and context. A session needs it; for
	// Show it may be nil (the exercise no longer turns into a plan), and then nothing counts as
	// given material.
	Plan *check.Plan
}

// given is the material every student was given, for similarity.
func (e *Exercise) given() [][]byte {
	if e == nil || e.Plan == nil {
		return nil
	}
	return Given(e.Plan.Starter, e.Plan.Reference, e.Hints)
}

// Previous is a stored run to re-grade in place, with how it was made.
type Previous struct {
	Run     *Run
	Options RunOptions
}

// FindPrevious reads back the run ref names (its uid, or "last" for the latest of exercise, of
// any exercise when exercise is ""). An unknown run is an *InputError.
func FindPrevious(ctx context.Context, st *progress.Store, ref, exercise string) (*Previous, error) {
	gr, err := FindRun(ctx, st, ref, exercise)
	if err != nil {
		return nil, err
	}
	run, opts, err := LoadRun(ctx, st, gr)
	if err != nil {
		return nil, err
	}
	return &Previous{Run: run, Options: opts}, nil
}

// SessionOptions say what a grading session grades and where the run is kept.
type SessionOptions struct {
	Store    *progress.Store
	Exercise Exercise
	// Source is the class (see Load), Roster its roster ("" for none).
	Source, Roster string
	// Previous is the run this session re-grades in place; nil starts a new run.
	Previous *Previous
	// Similarity is the threshold of FindSimilar; 0 turns it off.
	Similarity float64
	// Logf tells what happens along the way (the exercise changed since the run re-graded, a
	// daemon going down); nil discards it.
	Logf func(format string, a ...any)
}

// Session is one grading run, from the class on disk to the run stored and summarised: it loads
// the class and its roster, decides what a re-grade must check again, checks it over the
// backends, keeps every result and the run's status (running, complete, interrupted) in the
// store, merges a re-grade with the run it replaces, and summarises the run with its similar
// pairs.
type Session struct {
	opts SessionOptions
	plan check.Plan
	run  *Run
	todo []Student
	kept []Result
	rg   *Regrade // nil for a new run
}

// NewSession loads the class and prepares the run. A class that cannot be read (a missing
// folder, a bad roster) is an *InputError.
func NewSession(opts SessionOptions) (*Session, error) {
	if opts.Exercise.Plan == nil {
		return nil, fmt.Errorf("grading %s: no plan", opts.Exercise.ID)
	}
	plan := *opts.Exercise.Plan
	class, err := Load(opts.Source, opts.Roster)
	if err != nil {
		return nil, err
	}
	hash, err := PlanHash(plan)
	if err != nil {
		return nil, err
	}
	ex := opts.Exercise
	s := &Session{opts: opts, plan: plan, todo: class.Students}
	s.run = &Run{Schema: RunSchema, Exercise: ex.ID, Title: ex.Title, ContentHash: hash, Source: class.Source,
		Roster: class.Roster, Checks: ChecksOf(plan), Hints: ex.Hints, Started: time.Now().UTC(), Submissions: len(class.Students)}
	if prev := opts.Previous; prev != nil {
		s.rg = NewRegrade(prev.Run.Results, prev.Run.ContentHash == hash)
		s.todo, s.kept = s.rg.Split(class.Students)
		s.run.UID, s.run.Started = prev.Run.UID, prev.Run.Started
		if prev.Run.ContentHash != hash {
			s.logf("%s changed since run %s: every submission is checked again", ex.ID, prev.Run.UID)
		}
	}
	return s, nil
}

func (s *Session) logf(format string, a ...any) {
	if s.opts.Logf != nil {
		s.opts.Logf(format, a...)
	}
}

// Todo is what the session will check: the whole class, or what a re-grade checks again.
func (s *Session) Todo() []Student { return s.todo }

// NeedsBuild reports whether any submission to check needs a daemon: a re-grade of an unchanged
// class, or a class of students who handed in nothing, builds nothing.
func (s *Session) NeedsBuild() bool {
	return slices.ContainsFunc(s.todo, func(st Student) bool { return st.Missing == "" })
}

// Workers say how a session's submissions are checked, and what the run records of it.
type Workers struct {
	// Backends check the submissions; none are needed when !NeedsBuild().
	Backends        []Backend
	Jobs            int
	MaxContextBytes int64
	// BuildKit and Timeout are recorded with the run, as it was asked for.
	BuildKit []string
	Timeout  string
	// OnResult is told of every result as it is decided (after the session has kept it).
	OnResult func(Result)
}

// Grade checks the submissions and returns the run: its results (merged with the run it
// re-grades), summary and similar pairs. The run is in the store as running from the start,
// each result as it comes, and complete or interrupted at the end. When grading was stopped
// (the context) or a result could not be saved, the run graded so far is returned with the
// error; a run that could not even be started returns no run.
func (s *Session) Grade(ctx context.Context, w Workers) (*Run, error) {
	if s.NeedsBuild() && len(w.Backends) == 0 {
		return nil, fmt.Errorf("grading %s: no BuildKit backend", s.run.Exercise)
	}
	st, run := s.opts.Store, s.run
	if s.rg == nil {
		ropts := RunOptions{Source: run.Source, Roster: run.Roster, Title: run.Title, Checks: run.Checks,
			BuildKit: w.BuildKit, Jobs: w.Jobs, Timeout: w.Timeout}
		if err := StartRun(ctx, st, run, ropts); err != nil {
			return nil, err
		}
	} else if err := ResumeRun(ctx, st, run); err != nil {
		return nil, err
	}
	rw, err := st.NewResultWriter(ctx, run.UID, progress.WriterOptions{})
	if err != nil {
		return nil, err
	}
	var saveErr error
	onResult := func(r Result) {
		if w.OnResult != nil {
			w.OnResult(r)
		}
		if s.rg != nil && !s.rg.Replaces(r) {
			return // an environment fault never replaces a grade
		}
		sr, err := StoredResult(r)
		if err == nil {
			err = rw.Add(sr)
		}
		if err != nil && saveErr == nil {
			saveErr = err
		}
	}

	var out *Outcome
	var gradeErr error
	if len(w.Backends) > 0 {
		out, gradeErr = Grade(ctx, s.todo, Options{Plan: s.plan, Backends: w.Backends, Jobs: w.Jobs,
			MaxContextBytes: w.MaxContextBytes, OnResult: onResult, Logf: s.opts.Logf})
	} else {
		// Nothing to build: every student left has nothing to grade.
		out = &Outcome{}
		for _, st := range s.todo {
			r := MissingResult(s.plan, st)
			onResult(r)
			out.Results = append(out.Results, r)
		}
	}
	if err := rw.Close(); err != nil && saveErr == nil {
		saveErr = err
	}
	run.Finished = time.Now().UTC()
	if err := FinishRun(context.WithoutCancel(ctx), st, run, gradeErr); err != nil && saveErr == nil {
		saveErr = err
	}

	run.Results = out.Results
	if s.rg != nil {
		run.Results = s.rg.Merge(s.kept, out.Results)
	}
	run.Summary.Workers = out.Workers
	run.Summarize()
	run.Summary.Similar, run.Summary.LikeGiven = FindSimilar(run.Results, s.opts.Exercise.given(), s.opts.Similarity)
	switch {
	case saveErr != nil:
		return run, fmt.Errorf("saving the grading run %s: %w", run.UID, saveErr)
	case gradeErr != nil:
		return run, fmt.Errorf("grading stopped: %w", gradeErr)
	}
	return run, nil
}

// ShowOptions say which stored run Show reads.
type ShowOptions struct {
	Store *progress.Store
	// Ref is the run's uid, or "last"; Exercise narrows "last" to that exercise's runs.
	Ref, Exercise string
	Similarity    float64
	// Current finds the exercise as the course has it now, for its hints and what every
	// student was given; it returns nil when the course has no such exercise.
	Current func(id string) *Exercise
}

// Show reads a stored run back as it is printed again: its results and summary, the hints of
// the exercise as it is now, and the similar pairs against what the exercise gives now. An
// unknown run is an *InputError.
func Show(ctx context.Context, o ShowOptions) (*Run, error) {
	prev, err := FindPrevious(ctx, o.Store, o.Ref, o.Exercise)
	if err != nil {
		return nil, err
	}
	run := prev.Run
	var ex *Exercise
	if o.Current != nil {
		ex = o.Current(run.Exercise)
	}
	if ex != nil {
		run.Hints = ex.Hints
	}
	run.Summary.Similar, run.Summary.LikeGiven = FindSimilar(run.Results, ex.given(), o.Similarity)
	return run, nil
}
