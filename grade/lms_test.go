package grade

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/stagecraft/stagecraft/sandbox/check"
	"github.com/stagecraft/stagecraft/sandbox/check/spec"
)

// planOf is the plan a run's checks came from.
func planOf(run *Run) check.Plan {
	plan := check.Plan{Exercise: run.Exercise}
	for _, c := range run.Checks {
		plan.Checks = append(plan.Checks, spec.Check{ID: c.ID, Kind: c.Kind, Points: c.Points, Message: c.Message})
	}
	return plan
}

// lmsRun is sampleRun with two refused submissions: fay's Dockerfile is a link (refused when
// the class is read: nothing to grade), gus's context is over the limit (refused by the check:
// graded, every check failing with the reason).
func lmsRun() *Run {
	run := sampleRun()
	plan := planOf(run)
	fay := MissingResult(plan, Student{ID: "fay", Missing: "submissions/fay/Dockerfile is a symbolic link; the grader reads regular files only"})
	rep := refusedReport(plan, nil, errors.New("the build context is 250 MiB, over the 200 MiB limit"))
	gus := Result{Student: "gus", Status: StatusGraded, Score: rep.Score, MaxScore: rep.MaxScore, Passed: rep.Passed, Attempts: 1, Report: rep}
	run.Results = append(run.Results, fay, gus)
	run.Summarize()
	return run
}

// TestLMSReportsKeepStatesApart: the CSV gradebooks and the JUnit XML an LMS or a CI dashboard
// imports carry every check's points, and keep apart a submission refused as the student's
// (scored), nothing handed in (0), and an environment fault (no score at all, never 0).
func TestLMSReportsKeepStatesApart(t *testing.T) {
	run := lmsRun()
	rows := func(style string) map[string][]string {
		t.Helper()
		var b bytes.Buffer
		if err := WriteCSV(&b, run, style); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(&b).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", style, err)
		}
		out := map[string][]string{"": recs[0]}
		for _, r := range recs[1:] {
			out[r[0]] = r
		}
		return out
	}

	gen := rows(CSVGeneric)
	col := func(id, name string) string { return gen[id][slices.Index(gen[""], name)] }
	for id, want := range map[string][3]string{"ada": {"10", "10", "20"}, "bob": {"10", "0", "0"}, "gus": {"0", "0", "0"}} {
		if got := [3]string{col(id, "check:two-stages"), col(id, "check:builds"), col(id, "check:small")}; got != want {
			t.Errorf("%s: check points %q, want %q", id, got, want)
		}
	}
	for _, c := range []string{"score", "percent", "passed", "check:two-stages", "check:builds", "check:small"} {
		if v := col("eve", c); v != "" {
			t.Errorf("eve (environment fault): %s = %q, want empty", c, v)
		}
	}
	for id, want := range map[string][3]string{
		"eve":  {StatusNotGraded, "", "BuildKit at tcp://bk-1:1234 does not answer: connection refused"},
		"dora": {StatusMissing, "0", "missing: no submission"},
		"fay":  {StatusMissing, "0", "missing: submissions/fay/Dockerfile is a symbolic link; the grader reads regular files only"},
		"gus":  {StatusGraded, "0", "build failed (limit)"},
	} {
		if got := [3]string{col(id, "status"), col(id, "score"), col(id, "note")}; got != want {
			t.Errorf("%s: status, score, note %q, want %q", id, got, want)
		}
	}

	moodle := rows(CSVMoodle)
	for id, want := range map[string][2]string{
		"eve": {"", "Not graded yet (environment fault, not your submission)."},
		"fay": {"0", "Nothing to grade: submissions/fay/Dockerfile is a symbolic link; the grader reads regular files only."},
		"gus": {"0", "0 of 3 checks pass. build failed (limit)."},
	} {
		if got := [2]string{moodle[id][3], moodle[id][4]}; got != want {
			t.Errorf("moodle %s: %q, want %q", id, got, want)
		}
	}
	canvas := rows(CSVCanvas)
	if canvas["eve"][5] != "" || canvas["fay"][5] != "0" || canvas["gus"][5] != "0" {
		t.Errorf("canvas: eve %q, fay %q, gus %q; want empty, 0, 0", canvas["eve"][5], canvas["fay"][5], canvas["gus"][5])
	}

	var b bytes.Buffer
	if err := WriteJUnit(&b, run); err != nil {
		t.Fatal(err)
	}
	if err := ValidateJUnit(bytes.NewReader(b.Bytes())); err != nil {
		t.Fatalf("the JUnit does not validate: %v", err)
	}
	var doc junitSuites
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	suites := map[string]junitSuite{}
	for _, s := range doc.Suites {
		suites[s.Name] = s
	}
	prop := func(id, name string) (string, bool) {
		for _, p := range suites[id].Properties {
			if p.Name == name {
				return p.Value, true
			}
		}
		return "", false
	}
	if v, ok := prop("eve", "score"); ok {
		t.Errorf("eve (environment fault) has a JUnit score %q: want none", v)
	}
	if eve := suites["eve"]; len(eve.Cases) != 1 || eve.Cases[0].Error == nil || eve.Cases[0].Error.Type != "environment" || eve.Failures != 0 {
		t.Errorf("eve: %+v, want one environment error and no failure", eve)
	}
	for id, want := range map[string][2]string{"ada": {"10/10", "20/20"}, "bob": {"0/10", "0/20"}, "gus": {"0/10", "0/20"}} {
		builds, _ := prop(id, "points.builds")
		small, _ := prop(id, "points.small")
		if got := [2]string{builds, small}; got != want {
			t.Errorf("%s: points.builds, points.small %q, want %q", id, got, want)
		}
	}
	for id, want := range map[string][2]string{"dora": {StatusMissing, "0"}, "fay": {StatusMissing, "0"}, "gus": {StatusGraded, "0"}} {
		status, _ := prop(id, "status")
		score, _ := prop(id, "score")
		if got := [2]string{status, score}; got != want {
			t.Errorf("%s: status, score %q, want %q", id, got, want)
		}
	}
	for id, reason := range map[string]string{"fay": "is a symbolic link", "gus": "over the 200 MiB limit"} {
		s := suites[id]
		if s.Failures != 3 || len(s.Cases) != 3 {
			t.Errorf("%s: %d failures of %d checks, want 3 of 3", id, s.Failures, len(s.Cases))
		}
		for _, c := range s.Cases {
			if c.Failure == nil || !strings.Contains(c.Failure.Message, reason) {
				t.Errorf("%s: check %s does not fail with the refusal (%q)", id, c.Name, reason)
			}
		}
	}
	if !strings.Contains(suites["fay"].SystemOut, "Nothing to grade: submissions/fay/Dockerfile is a symbolic link") {
		t.Errorf("fay: system-out %q", suites["fay"].SystemOut)
	}
}
