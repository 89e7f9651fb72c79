package grade

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/stagecraft/stagecraft/progress"
	"github.com/stagecraft/stagecraft/sandbox/check/spec"
)

// A run is kept in the progress store as a grading run (its options hold what the grade
// command was given, the exercise's title and checks) and one grading result per student,
// whose report column holds the whole Result as JSON (the stagecraft.check/v1 report inside it).

// RunOptions is what a grading run records about how it was made, so `grade show` and
// `--regrade` can find the class and describe the run again.
type RunOptions struct {
	Source   string      `json:"source"`
	Roster   string      `json:"roster,omitempty"`
	Title    string      `json:"title,omitempty"`
	Checks   []CheckInfo `json:"checks"`
	BuildKit []string    `json:"buildkit,omitempty"`
	Jobs     int         `json:"jobs,omitempty"`
	Timeout  string      `json:"timeout,omitempty"`
}

// StartRun records a new grading run and sets run.UID.
func StartRun(ctx context.Context, st *progress.Store, run *Run, opts RunOptions) error {
	b, err := json.Marshal(opts)
	if err != nil {
		return err
	}
	uid, err := st.StartGradingRun(ctx, progress.GradingRun{Exercise: run.Exercise, ContentHash: run.ContentHash, Started: run.Started,
		Options: b, Submissions: run.Submissions})
	if err != nil {
		return err
	}
	run.UID, run.Status = uid, progress.RunRunning
	return nil
}

// ResumeRun marks a run being re-graded as running again, over run.Submissions submissions.
func ResumeRun(ctx context.Context, st *progress.Store, run *Run) error {
	if err := st.ResumeGradingRun(ctx, run.UID, run.Submissions); err != nil {
		return err
	}
	run.Status = progress.RunRunning
	return nil
}

// StatusLine says, for a run that is not complete, how far it got; "" for a complete run.
func (run *Run) StatusLine() string {
	if run.Status == "" || run.Status == progress.RunComplete {
		return ""
	}
	// Results of submissions that were not graded because of the interruption count as not
	// graded; submissions the run never reached have no result at all.
	of := ""
	if run.Submissions > 0 {
		of = fmt.Sprintf(" of %d", run.Submissions)
	}
	done := fmt.Sprintf("%d%s submissions graded", run.Summary.Graded+len(run.Summary.Missing), of)
	if run.Status == progress.RunRunning {
		return fmt.Sprintf("RUNNING: this run is still grading (%s so far)", done)
	}
	return fmt.Sprintf("INTERRUPTED: this run was stopped before it finished; %s. Run `stagecraft grade --regrade %s` to grade the rest.", done, run.UID)
}

// StoredResult is a result as the store keeps it.
func StoredResult(r Result) (progress.GradingResult, error) {
	b, err := json.Marshal(r)
	if err != nil {
		return progress.GradingResult{}, fmt.Errorf("encoding the result of %s: %w", r.Student, err)
	}
	return progress.GradingResult{Student: r.Student, Score: progress.Points(r.Score), MaxScore: progress.Points(r.MaxScore),
		Passed: r.Passed, Gradable: r.Status != StatusNotGraded, Report: b, DockerfileHash: r.Hash, At: r.GradedAt}, nil
}

// FindRun finds a run by uid, or the latest ("last", "latest") of an exercise ("" for any).
func FindRun(ctx context.Context, st *progress.Store, ref, exercise string) (progress.GradingRun, error) {
	runs, err := st.GradingRuns(ctx, exercise)
	if err != nil {
		return progress.GradingRun{}, err
	}
	if ref == "last" || ref == "latest" {
		if len(runs) == 0 {
			return progress.GradingRun{}, &InputError{Msg: "no grading run yet" + forExercise(exercise)}
		}
		return runs[len(runs)-1], nil
	}
	for _, r := range runs {
		if r.UID == ref {
			return r, nil
		}
	}
	return progress.GradingRun{}, &InputError{Msg: fmt.Sprintf("no grading run %q%s (see `stagecraft grade show last`)", ref, forExercise(exercise))}
}

func forExercise(ex string) string {
	if ex == "" {
		return ""
	}
	return " of " + ex
}

// LoadRun reads a run and its results back from the store.
func LoadRun(ctx context.Context, st *progress.Store, gr progress.GradingRun) (*Run, RunOptions, error) {
	var opts RunOptions
	if len(gr.Options) > 0 {
		if err := json.Unmarshal(gr.Options, &opts); err != nil {
			return nil, opts, fmt.Errorf("reading grading run %s: %w", gr.UID, err)
		}
	}
	rows, err := st.GradingResults(ctx, gr.UID)
	if err != nil {
		return nil, opts, err
	}
	run := &Run{Schema: RunSchema, UID: gr.UID, Exercise: gr.Exercise, Title: opts.Title, ContentHash: gr.ContentHash,
		Source: opts.Source, Roster: opts.Roster, Checks: opts.Checks, Started: gr.Started, Finished: gr.Finished,
		Status: gr.Status, Submissions: gr.Submissions}
	for _, row := range rows {
		var r Result
		if err := json.Unmarshal(row.Report, &r); err != nil || r.Student == "" {
			// A result written by something else than grade: keep what the row says.
			r = Result{Student: row.Student, Status: StatusGraded, Score: spec.Points(row.Score), MaxScore: spec.Points(row.MaxScore),
				Passed: row.Passed, Hash: row.DockerfileHash, GradedAt: row.At}
			if !row.Gradable {
				r.Status = StatusNotGraded
			}
		}
		run.Results = append(run.Results, r)
	}
	run.Summarize()
	return run, opts, nil
}

// FinishRun records the end of a run: complete, or interrupted when it was stopped before
// grading every submission (stopped is the grading's context error).
func FinishRun(ctx context.Context, st *progress.Store, run *Run, stopped error) error {
	run.Status = progress.RunComplete
	if stopped != nil {
		run.Status = progress.RunInterrupted
	}
	return st.EndGradingRun(ctx, run.UID, run.Status, run.Finished)
}
