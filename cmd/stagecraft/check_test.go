package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stagecraft/stagecraft/progress"
	"github.com/stagecraft/stagecraft/sandbox/check"
)

// attemptsAt are the learner's attempts at an exercise in the store file db.
func attemptsAt(t *testing.T, db, learner, exercise string) []progress.Attempt {
	t.Helper()
	st, err := progress.Open(context.Background(), db, progress.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	atts, err := st.Attempts(context.Background(), learner, exercise)
	if err != nil {
		t.Fatal(err)
	}
	return atts
}

// `stagecraft check --exercise` keeps the attempt as the app keeps it (study.AttemptOf): the
// report, gradable, the build's duration; --no-record keeps nothing.
func TestCheckRecordsTheAttempt(t *testing.T) {
	exerciseSandbox(t) // skips without a daemon; the cache as the CLI reads it
	addr := os.Getenv("STAGECRAFT_TEST_BUILDKIT")
	db := filepath.Join(t.TempDir(), "progress.db")
	solution := "../../content/exercises/go-multistage/solution.Dockerfile"
	args := []string{"--db", db, "--learner", "ann", "--buildkit", addr, "check", "--exercise", "go-multistage", "-f", solution, "--format", "json"}
	out, errw, code := gradeCmd(t, args...)
	if code != 0 {
		t.Fatalf("the reference solution: exit %d\n%s%s", code, out, errw)
	}
	var rep check.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Build == nil {
		t.Fatalf("report: %v\n%s", err, out)
	}
	atts := attemptsAt(t, db, "ann", "go-multistage")
	if len(atts) != 1 {
		t.Fatalf("attempts %+v", atts)
	}
	a := atts[0]
	want, _ := os.ReadFile(solution)
	if !a.Gradable || !a.Passed || a.Dockerfile != string(want) || a.Duration != time.Duration(rep.Build.DurationMS)*time.Millisecond || len(a.Report) == 0 {
		t.Errorf("attempt %+v, report build %+v", a, rep.Build)
	}
	if _, errw, code := gradeCmd(t, append(args, "--no-record")...); code != 0 {
		t.Fatalf("--no-record: exit %d\n%s", code, errw)
	}
	if n := len(attemptsAt(t, db, "ann", "go-multistage")); n != 1 {
		t.Errorf("--no-record recorded: %d attempts", n)
	}
}
