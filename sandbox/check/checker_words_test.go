package check

import (
	"context"
	"strings"
	"testing"

	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/sandbox/check/spec"
)

// A skipped check names the check it waits for by what the learner reads for it, never by id.
func TestBlockedNamesTheCheckByItsMessage(t *testing.T) {
	specs := []spec.Check{
		{ID: "not-root", Kind: spec.KindUser, Message: "the image runs as a non-root user"},
		{ID: "quiet", Kind: spec.KindLint},
		{ID: "size", Kind: spec.KindImageSize, Needs: []string{"not-root"}},
		{ID: "size2", Kind: spec.KindImageSize, Needs: []string{"quiet"}},
	}
	why, skip := blocked(specs[2], specs, map[string]string{"not-root": StatusFail})
	if !skip || !strings.Contains(why, "the image runs as a non-root user") || strings.Contains(why, `"not-root"`) {
		t.Errorf("blocked = %q, %v", why, skip)
	}
	why, _ = blocked(specs[3], specs, map[string]string{})
	if !strings.Contains(why, "lint") {
		t.Errorf("a check without a message is named by its kind: %q", why)
	}
	if _, skip := blocked(specs[2], specs, map[string]string{"not-root": StatusPass}); skip {
		t.Error("a check whose needs passed is not skipped")
	}
}

func TestReductionInWords(t *testing.T) {
	for pct, want := range map[float64]string{
		-241.43: "241.4% larger",
		-0.01:   "the same size",
		0:       "the same size",
		0.04:    "the same size",
		62.5:    "62.5% smaller",
	} {
		if got := reduction(pct); got != want {
			t.Errorf("reduction(%v) = %q, want %q", pct, got, want)
		}
	}
}

// A size is said in the unit system its budget is written in.
func TestSizeLikeTheBudget(t *testing.T) {
	for _, c := range []struct {
		n    int64
		raw  string
		want string
	}{
		{21_000_000, "20MB", "21.0 MB"},
		{21_000_000, "20 mb", "21.0 MB"},
		{21_000_000, "20M", "21.0 MB"},
		{21 << 20, "20MiB", "21.0 MiB"},
		{21 << 20, "20971520", "21.0 MiB"},
		{1_500_000_000, "1GB", "1.5 GB"},
		{999, "1KB", "999 B"},
	} {
		if got := SizeLike(c.n, spec.Quantity{Raw: c.raw}); got != c.want {
			t.Errorf("SizeLike(%d, %q) = %q, want %q", c.n, c.raw, got, c.want)
		}
	}
}

// Every finding says who found it: our analysis or BuildKit's linter.
func TestFindingsSayTheirSource(t *testing.T) {
	a, err := sandbox.Analyze(sandbox.Request{Filename: "Dockerfile", Dockerfile: []byte("FROM busybox AS build\nFROM busybox AS build\nCMD echo hi\n")})
	if err != nil {
		t.Fatal(err)
	}
	fs := sandbox.MergeLint(sandbox.FindingsOf(a), []sandbox.LintFinding{{Rule: "SomeDaemonRule", Line: 3, Message: "from the daemon"}})
	seen := map[string]bool{}
	for _, f := range fs {
		if f.Source != "stagecraft" && f.Source != "buildkit" {
			t.Errorf("finding %s has source %q", f.Rule, f.Source)
		}
		seen[f.Rule+"/"+f.Source] = true
	}
	if !seen["DuplicateStageName/stagecraft"] || !seen["SomeDaemonRule/buildkit"] {
		t.Errorf("sources: %v", seen)
	}
}

// A Dockerfile that does not parse keeps BuildKit's lint of the lines above the error. Nothing
// is built, so no daemon is needed.
func TestParseFailureKeepsLintAbove(t *testing.T) {
	src := "FROM busybox as build\nRUN echo hi\nFROM busybox\nCOPY --from=build /a /a\nFORM oops\n"
	rep, err := Run(context.Background(), &sandbox.Sandbox{}, Plan{Exercise: "x", Checks: []spec.Check{{ID: "two", Kind: spec.KindStageCount, Points: spec.Whole(1)}}},
		Submission{Dockerfile: []byte(src)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Checks[0].Status != StatusFail || rep.Checks[0].Line != 5 {
		t.Fatalf("the parse check: %+v", rep.Checks[0])
	}
	found := false
	for _, f := range rep.Findings {
		if f.Line >= 5 || f.Source != "buildkit" {
			t.Errorf("a finding at or after the error, or not BuildKit's: %+v", f)
		}
		if f.Rule == "FromAsCasing" && f.Line == 1 {
			found = true
		}
	}
	if !found {
		t.Errorf("the FromAsCasing warning on line 1 is lost: %+v", rep.Findings)
	}
}
