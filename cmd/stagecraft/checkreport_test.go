package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/sandbox/check"
)

// A check whose message already says its line is not told the line twice.
func TestReportTextSaysTheLineOnce(t *testing.T) {
	rep := &check.Report{Gradable: true, Checks: []check.CheckResult{
		{ID: "quiet", Status: check.StatusFail, Message: "line 11: JSON arguments recommended (JSONArgsRecommended)", Line: 11},
		{ID: "small", Status: check.StatusFail, Message: "the image is too big", Line: 4},
	}}
	var b bytes.Buffer
	writeReportText(&b, "Dockerfile", rep)
	out := b.String()
	if strings.Contains(out, "(line 11)") {
		t.Errorf("line 11 is said twice:\n%s", out)
	}
	if !strings.Contains(out, "the image is too big (line 4)") {
		t.Errorf("a message without its line gets it:\n%s", out)
	}
}

func TestReportTextSaysWhoFoundAFinding(t *testing.T) {
	rep := &check.Report{Gradable: true, Findings: []sandbox.FindingInfo{
		{Rule: "JSONArgsRecommended", Line: 4, Message: "use the exec form", Source: "buildkit"},
	}}
	var b bytes.Buffer
	writeReportText(&b, "Dockerfile", rep)
	if !strings.Contains(b.String(), "Dockerfile:4 JSONArgsRecommended (buildkit): use the exec form") {
		t.Errorf("the finding does not name its source:\n%s", b.String())
	}
}
