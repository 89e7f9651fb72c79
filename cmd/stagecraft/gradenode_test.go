package main

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stagecraft/stagecraft/grade"
)

// nodeClassVerdicts is every student of testdata/node-class and the checks they fail.
var nodeClassVerdicts = map[string][]string{
	"ada-reference":    nil,
	"ben-distroless":   nil,
	"ned-single-stage": {"build-stage", "no-dev-deps", "no-sources", "two-stages"}, // copies-from-build is skipped
	"ola-dev-deps":     {"no-dev-deps"},
	"pia-no-deps":      {"serves"},
}

// TestGradeNodeClass grades a small class of node-multistage submissions on a real BuildKit,
// from the offline catalog's node and nodejs images: npm ci runs from the image's cache.
func TestGradeNodeClass(t *testing.T) {
	addr := gradeDaemon(t)
	class := filepath.Join(t.TempDir(), "node-class")
	if err := os.CopyFS(class, os.DirFS(filepath.Join("testdata", "node-class"))); err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	jsonOut := filepath.Join(work, "run.json")
	out, errw, code := gradeCmd(t, "--db", filepath.Join(work, "progress.db"), "--buildkit", addr,
		"grade", "--exercise", "node-multistage", class, "--jobs", "2", "--format", "json", "--out", jsonOut)
	if code != exitOK {
		t.Fatalf("grade: exit %d, want 0 (every submission graded)\n%s\n%s", code, out, errw)
	}
	run := readRun(t, jsonOut)
	if len(run.Results) != len(nodeClassVerdicts) {
		t.Errorf("%d results, want %d", len(run.Results), len(nodeClassVerdicts))
	}
	for _, r := range run.Results {
		want, ok := nodeClassVerdicts[r.Student]
		if !ok {
			t.Errorf("unexpected student %s", r.Student)
			continue
		}
		if want == nil {
			want = []string{}
		}
		got := failedChecks(r.Report)
		if r.Status != grade.StatusGraded || !slices.Equal(got, want) {
			t.Errorf("%s: %s failing %v, want graded failing %v (%s)", r.Student, r.Status, got, want, grade.Note(&r))
		}
		if len(want) == 0 && (!r.Passed || r.Score != r.MaxScore) {
			t.Errorf("%s: %s/%s, want full marks", r.Student, r.Score, r.MaxScore)
		}
		t.Logf("%s: %s/%s, failing %v", r.Student, r.Score, r.MaxScore, got)
	}
}
