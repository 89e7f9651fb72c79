package progress

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"
)

// GradingRun is one run of the classroom checker over many submissions of one exercise.
type GradingRun struct {
	UID         string          `json:"uid"`
	Exercise    string          `json:"exercise"`
	ContentHash string          `json:"content_hash,omitempty"`
	Started     time.Time       `json:"started"`
	Finished    time.Time       `json:"finished,omitzero"`
	Options     json.RawMessage `json:"options,omitempty"` // the grade command's options, as JSON
	// Status is RunRunning, RunComplete or RunInterrupted. A run left running by a process that
	// is gone (killed, or its machine restarted) reads as RunInterrupted.
	Status string `json:"status,omitempty"`
	// Submissions is how many submissions the run set out to grade; 0 if not known.
	Submissions int `json:"submissions,omitempty"`
	// Graded is how many results the run holds (read from the store, never written).
	Graded int `json:"-"`
}

// Grading run states.
const (
	RunRunning     = "running"
	RunComplete    = "complete"
	RunInterrupted = "interrupted"
)

// GradingResult is the result of one student's submission in a grading run.
type GradingResult struct {
	Student        string          `json:"student"`
	Score          Points          `json:"score"`
	MaxScore       Points          `json:"max_score"`
	Passed         bool            `json:"passed"`
	Gradable       bool            `json:"gradable"` // false: an environment fault, not the student's
	Report         json.RawMessage `json:"report,omitempty"`
	DockerfileHash string          `json:"dockerfile_hash,omitempty"`
	At             time.Time       `json:"at"`
}

// StartGradingRun records the start of a grading run and returns its uid.
func (s *Store) StartGradingRun(ctx context.Context, run GradingRun) (string, error) {
	if run.Exercise == "" {
		return "", errors.New("starting a grading run: no exercise id")
	}
	if run.UID == "" {
		run.UID = newUID()
	}
	if run.Started.IsZero() {
		run.Started = time.Now()
	}
	if len(run.Options) > 0 && !json.Valid(run.Options) {
		return "", errors.New("starting a grading run: the options are not valid JSON")
	}
	run.Status, run.Finished = RunRunning, time.Time{}
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		if err := insertGradingRun(ctx, tx, run); err != nil {
			return err
		}
		return claimRun(ctx, tx, run.UID)
	})
	if err != nil {
		return "", fmt.Errorf("starting a grading run of %s: %w", run.Exercise, err)
	}
	return run.UID, nil
}

// ResumeGradingRun marks an existing run running again (a re-grade adds to it), grading
// submissions in all, in this process.
func (s *Store) ResumeGradingRun(ctx context.Context, runUID string, submissions int) error {
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE grading_runs SET status = ?, finished_at = NULL, submissions = ? WHERE uid = ?",
			RunRunning, submissions, runUID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("no grading run %s", runUID)
		}
		return claimRun(ctx, tx, runUID)
	})
	if err != nil {
		return fmt.Errorf("resuming grading run %s: %w", runUID, err)
	}
	return nil
}

// claimRun records this process as the one grading the run, so that readers can tell a run
// still in progress from one whose process was killed.
func claimRun(ctx context.Context, tx *sql.Tx, runUID string) error {
	_, err := tx.ExecContext(ctx, "UPDATE grading_runs SET pid = ?, host = ? WHERE uid = ?", os.Getpid(), hostName(), runUID)
	return err
}

func insertGradingRun(ctx context.Context, tx *sql.Tx, run GradingRun) error {
	opts, err := compactJSON(run.Options)
	if err != nil {
		return fmt.Errorf("the options are not valid JSON: %w", err)
	}
	status := run.Status
	if status == "" {
		status = RunRunning
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO grading_runs(uid, exercise_id, content_hash, started_at, finished_at, options,
		status, submissions) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(uid) DO UPDATE SET finished_at = excluded.finished_at, status = excluded.status
		WHERE grading_runs.finished_at IS NULL AND excluded.finished_at IS NOT NULL`,
		run.UID, run.Exercise, run.ContentHash, ms(run.Started), nullMS(run.Finished), opts, status, run.Submissions)
	return err
}

// FinishGradingRun records the end of a grading run that graded everything it set out to.
func (s *Store) FinishGradingRun(ctx context.Context, runUID string, at time.Time) error {
	return s.EndGradingRun(ctx, runUID, RunComplete, at)
}

// EndGradingRun records the end of a grading run: RunComplete, or RunInterrupted when it was
// stopped before grading every submission.
func (s *Store) EndGradingRun(ctx context.Context, runUID, status string, at time.Time) error {
	if status != RunComplete && status != RunInterrupted {
		return fmt.Errorf("ending grading run %s: status %q is not %s or %s", runUID, status, RunComplete, RunInterrupted)
	}
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE grading_runs SET finished_at = ?, status = ? WHERE uid = ?", ms(at), status, runUID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("no grading run %s", runUID)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("finishing a grading run: %w", err)
	}
	return nil
}

// RecordResult stores one result at once, in its own transaction. Many workers should share a
// ResultWriter instead.
func (s *Store) RecordResult(ctx context.Context, runUID string, r GradingResult) error {
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		runID, err := gradingRunID(ctx, tx, runUID)
		if err != nil {
			return err
		}
		return insertResult(ctx, tx, runID, r)
	})
	if err != nil {
		return fmt.Errorf("recording the result of %s: %w", r.Student, err)
	}
	return nil
}

func gradingRunID(ctx context.Context, q querier, uid string) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, "SELECT id FROM grading_runs WHERE uid = ?", uid).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("no grading run %s", uid)
	}
	return id, err
}

// insertResult stores r; a second result for the same student in the same run replaces the first.
func insertResult(ctx context.Context, tx *sql.Tx, runID int64, r GradingResult) error {
	if r.Student == "" {
		return errors.New("a grading result without a student id")
	}
	report, err := compactJSON(r.Report)
	if err != nil {
		return fmt.Errorf("the report of %s is not valid JSON: %w", r.Student, err)
	}
	if r.At.IsZero() {
		r.At = time.Now()
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO grading_results(run_id, student_id, score, max_score, passed,
		gradable, report, dockerfile_hash, graded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(run_id, student_id) DO UPDATE SET score = excluded.score, max_score = excluded.max_score,
			passed = excluded.passed, gradable = excluded.gradable, report = excluded.report,
			dockerfile_hash = excluded.dockerfile_hash, graded_at = excluded.graded_at
		WHERE excluded.graded_at >= grading_results.graded_at`,
		runID, r.Student, int64(r.Score), int64(r.MaxScore), boolInt(r.Passed), boolInt(r.Gradable),
		report, r.DockerfileHash, ms(r.At))
	return err
}

// GradingRuns lists grading runs of an exercise ("" for all), oldest first.
func (s *Store) GradingRuns(ctx context.Context, exercise string) ([]GradingRun, error) {
	return queryGradingRuns(ctx, s.r, exercise)
}

func queryGradingRuns(ctx context.Context, q querier, exercise string) ([]GradingRun, error) {
	rows, err := q.QueryContext(ctx, `SELECT uid, exercise_id, content_hash, started_at, finished_at, options,
		status, submissions, pid, host, (SELECT count(*) FROM grading_results WHERE run_id = grading_runs.id)
		FROM grading_runs WHERE ? = '' OR exercise_id = ? ORDER BY started_at, id`, exercise, exercise)
	if err != nil {
		return nil, fmt.Errorf("reading grading runs: %w", err)
	}
	defer rows.Close()
	var out []GradingRun
	for rows.Next() {
		var r GradingRun
		var started int64
		var finished sql.NullInt64
		var opts, host string
		var pid int
		if err := rows.Scan(&r.UID, &r.Exercise, &r.ContentHash, &started, &finished, &opts,
			&r.Status, &r.Submissions, &pid, &host, &r.Graded); err != nil {
			return nil, fmt.Errorf("reading grading runs: %w", err)
		}
		r.Started, r.Finished, r.Options = fromMS(started), fromNullMS(finished), json.RawMessage(opts)
		if r.Status == RunRunning && !processAlive(pid, host) {
			r.Status = RunInterrupted
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// GradingResults lists the results of a grading run, by student id.
func (s *Store) GradingResults(ctx context.Context, runUID string) ([]GradingResult, error) {
	runID, err := gradingRunID(ctx, s.r, runUID)
	if err != nil {
		return nil, fmt.Errorf("reading grading results: %w", err)
	}
	return queryResults(ctx, s.r, runID)
}

func queryResults(ctx context.Context, q querier, runID int64) ([]GradingResult, error) {
	rows, err := q.QueryContext(ctx, `SELECT student_id, score, max_score, passed, gradable, report,
		dockerfile_hash, graded_at FROM grading_results WHERE run_id = ? ORDER BY student_id`, runID)
	if err != nil {
		return nil, fmt.Errorf("reading grading results: %w", err)
	}
	defer rows.Close()
	var out []GradingResult
	for rows.Next() {
		var r GradingResult
		var score, maxScore, at int64
		var report string
		if err := rows.Scan(&r.Student, &score, &maxScore, &r.Passed, &r.Gradable, &report, &r.DockerfileHash, &at); err != nil {
			return nil, fmt.Errorf("reading grading results: %w", err)
		}
		r.Score, r.MaxScore, r.Report, r.At = Points(score), Points(maxScore), json.RawMessage(report), fromMS(at)
		out = append(out, r)
	}
	return out, rows.Err()
}
