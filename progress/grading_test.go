package progress

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

func runStatus(t *testing.T, s *Store, uid string) GradingRun {
	t.Helper()
	runs, err := s.GradingRuns(context.Background(), "")
	mustNil(t, err)
	for _, r := range runs {
		if r.UID == uid {
			return r
		}
	}
	t.Fatalf("no run %s", uid)
	return GradingRun{}
}

// A run is running from its start, and ends complete or interrupted; a re-grade makes it
// running again. The number of results is counted as it grows.
func TestGradingRunStatus(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	uid, err := s.StartGradingRun(ctx, GradingRun{Exercise: "go-multistage", Started: t0, Submissions: 5})
	mustNil(t, err)
	if r := runStatus(t, s, uid); r.Status != RunRunning || r.Submissions != 5 || r.Graded != 0 {
		t.Errorf("started: %+v", r)
	}
	for i := range 2 {
		mustNil(t, s.RecordResult(ctx, uid, GradingResult{Student: fmt.Sprint("s", i), MaxScore: 100, Gradable: true, At: t0}))
	}
	mustNil(t, s.EndGradingRun(ctx, uid, RunInterrupted, t0.Add(time.Minute)))
	if r := runStatus(t, s, uid); r.Status != RunInterrupted || r.Graded != 2 || r.Submissions != 5 || r.Finished.IsZero() {
		t.Errorf("interrupted: %+v", r)
	}
	mustNil(t, s.ResumeGradingRun(ctx, uid, 6))
	if r := runStatus(t, s, uid); r.Status != RunRunning || r.Submissions != 6 || !r.Finished.IsZero() {
		t.Errorf("resumed: %+v", r)
	}
	mustNil(t, s.FinishGradingRun(ctx, uid, t0.Add(time.Hour)))
	if r := runStatus(t, s, uid); r.Status != RunComplete {
		t.Errorf("finished: %+v", r)
	}
	if err := s.EndGradingRun(ctx, uid, "paused", t0); err == nil {
		t.Error("EndGradingRun took an unknown status")
	}
	if err := s.ResumeGradingRun(ctx, "nope", 1); err == nil {
		t.Error("ResumeGradingRun of a missing run")
	}
}

// Upgrading to version 4: a run that had finished is complete, one that had not was stopped
// part way (nothing else left finished_at empty) and is interrupted.
func TestMigrateGradingRunsToStatus(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.db")
	fixture(t, path, 3, seedV2+fmt.Sprintf(`
INSERT INTO grading_runs(id, uid, exercise_id, started_at, finished_at) VALUES
	(1, 'done', 'go-multistage', %[1]d, %[2]d), (2, 'killed', 'go-multistage', %[1]d, NULL);
INSERT INTO grading_results(run_id, student_id, score, max_score, passed, gradable, graded_at) VALUES
	(2, 's1', 100, 100, 1, 1, %[1]d), (2, 's2', 0, 100, 0, 1, %[1]d);
`, a1, a2))
	s := openAt(t, path)
	if r := runStatus(t, s, "done"); r.Status != RunComplete || r.Graded != 0 {
		t.Errorf("finished run: %+v", r)
	}
	if r := runStatus(t, s, "killed"); r.Status != RunInterrupted || r.Graded != 2 || r.Submissions != 0 {
		t.Errorf("unfinished run: %+v", r)
	}
}

// An imported run is never running here: no process of this store grades it.
func TestImportedRunIsNotRunning(t *testing.T) {
	ctx := context.Background()
	src := openTemp(t)
	uid, err := src.StartGradingRun(ctx, GradingRun{Exercise: "go-multistage", Started: t0, Submissions: 3})
	mustNil(t, err)
	d, err := src.Dump(ctx, ExportFilter{Grading: true})
	mustNil(t, err)
	if d.GradingRuns[0].Status != RunRunning {
		t.Fatalf("exported status %q", d.GradingRuns[0].Status)
	}
	b, err := json.Marshal(d)
	mustNil(t, err)
	dst := openTemp(t)
	_, err = dst.Import(ctx, bytes.NewReader(b))
	mustNil(t, err)
	if r := runStatus(t, dst, uid); r.Status != RunInterrupted || r.Submissions != 3 {
		t.Errorf("imported running run: %+v", r)
	}
}
