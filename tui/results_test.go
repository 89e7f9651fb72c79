package tui

import (
	"context"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/stagecraft/stagecraft/sandbox/check"
	"github.com/stagecraft/stagecraft/sandbox/check/spec"
)

// parseFailChecker reports what the sandbox reports for a Dockerfile that does not parse:
// the parse check failed and every other check not run, for the same reason.
type parseFailChecker struct{}

func (parseFailChecker) Check(ctx context.Context, plan check.Plan, sub check.Submission, events chan<- check.Event) (*check.Report, error) {
	rep := &check.Report{Schema: check.ReportSchema, Exercise: plan.Exercise, Gradable: true, MaxScore: spec.Whole(90)}
	rep.Checks = append(rep.Checks, check.CheckResult{ID: "dockerfile-parses", Kind: "parse", Status: check.StatusFail,
		Message: "line 3: unknown instruction: FORM", Line: 3})
	for _, id := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i"} {
		rep.Checks = append(rep.Checks, check.CheckResult{ID: id, Kind: "size", Status: check.StatusSkipped,
			MaxPoints: spec.Whole(10), Message: "not checked: the Dockerfile does not parse"})
	}
	events <- check.Event{Static: &check.StaticResult{Checks: rep.Checks}}
	return rep, nil
}

func TestParseFailureGroupsWhatDidNotRun(t *testing.T) {
	hs := newHarness(t, "parsefail", 120, 40, parseFailChecker{})
	hs.keys("down", "down", "enter", "c")
	f := ansi.Strip(hs.frame())
	if n := strings.Count(f, "does not parse"); n != 1 {
		t.Errorf("the reason the checks did not run is shown %d times, want once:\n%s", n, f)
	}
	hs.contains("9 checks not run: the Dockerfile does not parse")
	hs.contains("0/90")
	if strings.Contains(f, "(line 3)") {
		t.Errorf("the line is said twice:\n%s", f)
	}
	hs.golden("checked")
}

// After a resize the results are laid out at the new width: a check's points stay on screen.
func TestResultsRewrapOnResize(t *testing.T) {
	hs := newHarness(t, "resize", 120, 40, fakeChecker{})
	hs.keys("down", "down", "enter", "c")
	hs.send(tea.WindowSizeMsg{Width: 80, Height: 40})
	hs.w = 80
	for _, l := range strings.Split(ansi.Strip(hs.frame()), "\n") {
		if w := ansi.StringWidth(l); w > 80 {
			t.Errorf("a line is %d columns wide after the window shrank to 80: %q", w, l)
		}
	}
	f := ansi.Strip(hs.frame())
	if !strings.Contains(f, "0/10") || !strings.Contains(f, "more than 5 MB") {
		t.Errorf("the failed check and its points are not on screen after the resize:\n%s", f)
	}
	hs.golden("shrunk")
}

func TestWithLine(t *testing.T) {
	for _, c := range []struct {
		msg  string
		line int
		want string
	}{
		{"too big", 0, "too big"},
		{"too big", 4, "too big (line 4)"},
		{"line 11: DL3006 (x)", 11, "line 11: DL3006 (x)"},
	} {
		if got := withLine(c.msg, c.line); got != c.want {
			t.Errorf("withLine(%q, %d) = %q, want %q", c.msg, c.line, got, c.want)
		}
	}
}
