package grade

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stagecraft/stagecraft/progress"
	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/sandbox/check/spec"
)

// Tests of a whole grading session: a real SQLite store in t.TempDir(), real sandboxes (a real
// buildkitd where a build is needed; an address nothing listens on for environment faults).

func openStore(t *testing.T) *progress.Store {
	t.Helper()
	st, err := progress.Open(context.Background(), filepath.Join(t.TempDir(), "progress.db"), progress.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// unreachable is a backend on a socket nothing listens on: every check is an environment fault.
func unreachable(t *testing.T) *SandboxBackend {
	t.Helper()
	sb := &sandbox.Sandbox{Endpoint: &sandbox.AddrEndpoint{Addr: "unix://" + filepath.Join(t.TempDir(), "none.sock")},
		Policy: sandbox.DefaultPolicy(), StoreDir: filepath.Join(t.TempDir(), "store")}
	t.Cleanup(func() { sb.Close() })
	return &SandboxBackend{Sandbox: sb}
}

// session starts a session of keep-the-artifact on the class in dir, re-grading prev when set.
func session(t *testing.T, st *progress.Store, dir string, prev *Previous, logf func(string, ...any)) *Session {
	t.Helper()
	plan := examplePlan(t)
	s, err := NewSession(SessionOptions{Store: st, Exercise: Exercise{ID: plan.Exercise, Title: "Keep only the artifact",
		Hints: []string{"Start the file with `FROM busybox AS build`."}, Plan: &plan}, Source: dir, Previous: prev,
		Similarity: DefaultSimilarity, Logf: logf})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func previous(t *testing.T, st *progress.Store, ref string) *Previous {
	t.Helper()
	p, err := FindPrevious(context.Background(), st, ref, "keep-the-artifact")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func todoIDs(s *Session) []string {
	var out []string
	for _, st := range s.Todo() {
		out = append(out, st.ID)
	}
	return out
}

// storedRows is what the store holds of a run, by student.
func storedRows(t *testing.T, st *progress.Store, uid string) map[string]progress.GradingResult {
	t.Helper()
	rows, err := st.GradingResults(context.Background(), uid)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]progress.GradingResult{}
	for _, r := range rows {
		out[r.Student] = r
	}
	return out
}

// TestSessionStatusAndFaults: a session stopped part way is stored as interrupted, with what
// it decided; a re-grade of it finishes the same run. A daemon that cannot be reached leaves a
// submission not graded (never scored, never gradable in the store); a student with nothing to
// hand in is missing either way; and a session that needs a daemon and has none starts nothing.
func TestSessionStatusAndFaults(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	dir := filepath.Join(t.TempDir(), "class")
	write(t, dir, map[string]string{"ann/Dockerfile": "FROM busybox AS build\nRUN mkdir /out\n", "bob/": ""})

	s := session(t, st, dir, nil, nil)
	if !s.NeedsBuild() || !slices.Equal(todoIDs(s), []string{"ann", "bob"}) {
		t.Fatalf("needs build %v, todo %v", s.NeedsBuild(), todoIDs(s))
	}
	if run, err := s.Grade(ctx, Workers{}); run != nil || err == nil {
		t.Fatalf("no backend for a class to build: run %v, err %v", run, err)
	}
	if runs, _ := st.GradingRuns(ctx, ""); len(runs) != 0 {
		t.Fatalf("a session without a backend stored %d runs", len(runs))
	}

	// Stopped as soon as the first result (bob, missing) is in: ann is never checked.
	stop, cancel := context.WithCancel(ctx)
	defer cancel()
	run, err := s.Grade(stop, Workers{Backends: []Backend{unreachable(t)}, Jobs: 1, Timeout: "1m",
		OnResult: func(Result) { cancel() }})
	if run == nil || err == nil || !strings.Contains(err.Error(), "grading stopped") {
		t.Fatalf("interrupted: run %v, err %v", run, err)
	}
	if run.Status != progress.RunInterrupted || !slices.Equal(run.Summary.NotGraded, []string{"ann"}) || !slices.Equal(run.Summary.Missing, []string{"bob"}) {
		t.Errorf("interrupted run: status %q, not graded %v, missing %v", run.Status, run.Summary.NotGraded, run.Summary.Missing)
	}
	prev := previous(t, st, "last")
	if prev.Run.UID != run.UID || prev.Run.Status != progress.RunInterrupted || prev.Run.Submissions != 2 || prev.Options.Timeout != "1m" {
		t.Errorf("stored: run %s status %q, %d submissions, options %+v", prev.Run.UID, prev.Run.Status, prev.Run.Submissions, prev.Options)
	}
	if rows := storedRows(t, st, run.UID); len(rows) != 2 || rows["ann"].Gradable || !rows["bob"].Gradable || rows["bob"].Score != 0 {
		t.Errorf("stored rows %+v", rows)
	}

	// The re-grade checks ann again, on a daemon that is not there: not graded, not scored.
	var logs []string
	rs := session(t, st, dir, prev, func(f string, a ...any) { logs = append(logs, fmt.Sprintf(f, a...)) })
	if !slices.Equal(todoIDs(rs), []string{"ann", "bob"}) {
		t.Errorf("re-grade todo %v: want ann (not graded) and bob (missing)", todoIDs(rs))
	}
	again, err := rs.Grade(ctx, Workers{Backends: []Backend{unreachable(t)}, Jobs: 1})
	if err != nil {
		t.Fatal(err)
	}
	ann := again.Results[0]
	if again.UID != run.UID || again.Status != progress.RunComplete || ann.Student != "ann" || ann.Status != StatusNotGraded ||
		ann.Score != 0 || ann.Report.Gradable || !strings.Contains(ann.Error, "none.sock") {
		t.Errorf("re-graded: run %s %q; ann %s score %s error %q", again.UID, again.Status, ann.Status, ann.Score, ann.Error)
	}
	if len(logs) != 1 || !strings.Contains(logs[0], "is down") {
		t.Errorf("logs %q: want the daemon reported down", logs)
	}
	if p := previous(t, st, run.UID); p.Run.Status != progress.RunComplete || p.Run.Summary.Graded != 0 {
		t.Errorf("stored after the re-grade: status %q, %d graded", p.Run.Status, p.Run.Summary.Graded)
	}
	if rows := storedRows(t, st, run.UID); len(rows) != 2 || rows["ann"].Gradable {
		t.Errorf("stored rows after the re-grade %+v", rows)
	}
}

// TestSessionRegradesInPlace grades a small class of keep-the-artifact on a real BuildKit, then
// re-grades the run in place: unchanged (nothing is checked, no daemon is needed), with one
// submission fixed (only it is checked), with one changed while the daemon is unreachable (the
// grade it had stands, in the run and in the store), and after the exercise changed (everyone
// is checked again).
func TestSessionRegradesInPlace(t *testing.T) {
	addr := testDaemon(t)
	ctx := context.Background()
	st := openStore(t)
	solution, err := os.ReadFile(filepath.Join("..", "docs", "example-course", "exercises", "keep-the-artifact", "solution.Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	starter, _ := os.ReadFile(filepath.Join("..", "docs", "example-course", "exercises", "keep-the-artifact", "starter.Dockerfile"))
	labelled := func(id string) string {
		return strings.Replace(string(solution), "FROM busybox\n", "FROM busybox\nLABEL student="+id+"\n", 1)
	}
	dir := filepath.Join(t.TempDir(), "class")
	write(t, dir, map[string]string{"ann/Dockerfile": labelled("ann"), "ben/Dockerfile": labelled("ben"),
		"cy/Dockerfile": string(starter), "dee/": ""})
	backend := testBackend(t, addr, testCache(t), 0)

	run, err := session(t, st, dir, nil, nil).Grade(ctx, Workers{Backends: []Backend{backend}, Jobs: 2})
	if err != nil {
		t.Fatal(err)
	}
	byID := func(run *Run) map[string]Result {
		m := map[string]Result{}
		for _, r := range run.Results {
			m[r.Student] = r
		}
		return m
	}
	first := byID(run)
	if !first["ann"].Passed || !first["ben"].Passed || first["cy"].Status != StatusGraded || first["cy"].Passed ||
		first["dee"].Status != StatusMissing || run.Status != progress.RunComplete || run.Summary.Checked != 3 {
		t.Fatalf("first run: %+v (status %q, %d checked)", run.Results, run.Status, run.Summary.Checked)
	}
	if !slices.Contains(run.Summary.LikeGiven, "cy") {
		t.Errorf("like the given material %v: want cy (the starter as given)", run.Summary.LikeGiven)
	}

	// Unchanged: nothing to build, the same run, the same grades.
	rs := session(t, st, dir, previous(t, st, run.UID), nil)
	if rs.NeedsBuild() {
		t.Errorf("an unchanged re-grade needs a build: todo %v", todoIDs(rs))
	}
	again, err := rs.Grade(ctx, Workers{})
	if err != nil {
		t.Fatal(err)
	}
	if again.UID != run.UID || again.Summary.Checked != 0 || again.Summary.Kept != 3 {
		t.Errorf("unchanged: run %s, %d checked, %d kept", again.UID, again.Summary.Checked, again.Summary.Kept)
	}
	for id, r := range byID(again) {
		if r.Score != first[id].Score || r.Status != first[id].Status {
			t.Errorf("%s: %s %s after an unchanged re-grade, was %s %s", id, r.Status, r.Score, first[id].Status, first[id].Score)
		}
	}

	// cy fixes the Dockerfile: only cy is checked.
	write(t, dir, map[string]string{"cy/Dockerfile": labelled("cy")})
	rs = session(t, st, dir, previous(t, st, "last"), nil)
	if got := todoIDs(rs); !slices.Equal(got, []string{"cy", "dee"}) {
		t.Errorf("todo %v: want cy (changed) and dee (missing)", got)
	}
	if again, err = rs.Grade(ctx, Workers{Backends: []Backend{backend}, Jobs: 2}); err != nil {
		t.Fatal(err)
	}
	if cy := byID(again)["cy"]; cy.Kept || !cy.Passed || again.Summary.Checked != 1 || again.Summary.Kept != 2 {
		t.Errorf("cy after the fix: kept %v, %s/%s; %d checked, %d kept", cy.Kept, cy.Score, cy.MaxScore, again.Summary.Checked, again.Summary.Kept)
	}
	if row := storedRows(t, st, run.UID)["cy"]; !row.Passed {
		t.Errorf("the store still has cy failing: %+v", row)
	}

	// ben changes, and the daemon cannot be reached: ben's grade stands.
	write(t, dir, map[string]string{"ben/Dockerfile": labelled("ben2")})
	rs = session(t, st, dir, previous(t, st, "last"), nil)
	if again, err = rs.Grade(ctx, Workers{Backends: []Backend{unreachable(t)}, Jobs: 1}); err != nil {
		t.Fatal(err)
	}
	if ben := byID(again)["ben"]; ben.Status != StatusGraded || !ben.Passed || !ben.Kept || len(again.Summary.NotGraded) != 0 {
		t.Errorf("ben after a fault: %s, passed %v, kept %v; not graded %v", ben.Status, ben.Passed, ben.Kept, again.Summary.NotGraded)
	}
	if row := storedRows(t, st, run.UID)["ben"]; !row.Gradable || !row.Passed {
		t.Errorf("an environment fault replaced ben's grade in the store: %+v", row)
	}

	// The exercise changes (a check's points): everyone is checked again, and the log says why.
	var logs []string
	plan := examplePlan(t)
	plan.Checks = slices.Clone(plan.Checks)
	plan.Checks[0].Points += spec.Whole(5)
	rs, err = NewSession(SessionOptions{Store: st, Exercise: Exercise{ID: plan.Exercise, Plan: &plan}, Source: dir,
		Previous: previous(t, st, "last"), Logf: func(f string, a ...any) { logs = append(logs, fmt.Sprintf(f, a...)) }})
	if err != nil {
		t.Fatal(err)
	}
	if got := todoIDs(rs); len(got) != 4 {
		t.Errorf("todo %v after the exercise changed: want all four", got)
	}
	if len(logs) != 1 || !strings.Contains(logs[0], "keep-the-artifact changed since run "+run.UID) {
		t.Errorf("logs %q", logs)
	}
}
