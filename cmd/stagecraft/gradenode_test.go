package main

import (
	"testing"

	"github.com/stagecraft/stagecraft/grade"
)

// nodeClassVerdicts is every student of testdata/node-class and the checks they fail.
var nodeClassVerdicts = map[string]classVerdict{
	"ada-reference":    {status: grade.StatusGraded},
	"ben-distroless":   {status: grade.StatusGraded},
	"ned-single-stage": {status: grade.StatusGraded, fail: []string{"build-stage", "no-dev-deps", "no-sources", "two-stages"}}, // copies-from-build is skipped
	"ola-dev-deps":     {status: grade.StatusGraded, fail: []string{"no-dev-deps"}},
	"pia-no-deps":      {status: grade.StatusGraded, fail: []string{"serves"}},
}

// TestGradeNodeClass grades a small class of node-multistage submissions on a real BuildKit,
// from the offline catalog's node and nodejs images: npm ci runs from the image's cache.
func TestGradeNodeClass(t *testing.T) {
	f := gradeFixture(t, "node-class", "node-multistage", false, "--jobs", "2")
	checkVerdicts(t, f.run, nodeClassVerdicts)
	for _, r := range f.run.Results {
		t.Logf("%s: %s/%s, failing %v", r.Student, r.Score, r.MaxScore, failedChecks(r.Report))
	}
}
