package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/sandbox/check"
	"github.com/stagecraft/stagecraft/sandbox/check/spec"
)

// writeReportText prints a report for a person: each check ✓/✗ with points and a one-line
// reason, the stages, the size next to the starter's and the reference's, the layers, and
// where the bytes went.
func writeReportText(w io.Writer, name string, rep *check.Report) {
	title := name
	if rep.Exercise != "" {
		title = rep.Exercise + ": " + name
	}
	fmt.Fprintln(w, title)
	if !rep.Gradable {
		fmt.Fprintf(w, "\n! not graded: %s\n", rep.Error)
		return
	}
	fmt.Fprintln(w)
	for _, c := range rep.Checks {
		mark := map[string]string{check.StatusPass: "✓", check.StatusFail: "✗", check.StatusSkipped: "–", check.StatusError: "!"}[c.Status]
		loc := ""
		if c.Line > 0 && !strings.Contains(c.Message, fmt.Sprintf("line %d", c.Line)) {
			loc = fmt.Sprintf(" (line %d)", c.Line) // unless the message already says where
		}
		fmt.Fprintf(w, "  %s %-22s %5s/%-3s %s%s\n", mark, c.ID, c.Points, c.MaxPoints, c.Message, loc)
	}
	verdict := "FAIL"
	if rep.Passed {
		verdict = "PASS"
	}
	fmt.Fprintf(w, "\n  score %s/%s — %s\n", rep.Score, rep.MaxScore, verdict)
	if len(rep.Stages) > 0 {
		fmt.Fprintln(w, "\nstages:")
		for _, s := range rep.Stages {
			n := s.Name
			if n == "" {
				n = "(unnamed)"
			}
			fmt.Fprintf(w, "  #%d %-12s FROM %s (line %d)\n", s.Index, n, s.Base, s.Line)
		}
	}
	if len(rep.Findings) > 0 {
		fmt.Fprintln(w, "\nfindings:")
		for _, f := range rep.Findings {
			fmt.Fprintf(w, "  %s:%d %s (%s): %s\n", name, f.Line, f.Rule, f.Source, f.Message)
		}
	}
	if b := rep.Build; b != nil && b.Failure != nil {
		f := b.Failure
		at := ""
		if f.Line > 0 {
			at = fmt.Sprintf(" at line %d", f.Line)
		}
		fmt.Fprintf(w, "\nbuild failed (%s)%s: %s\n", f.Kind, at, f.Message)
		if f.Hint != "" {
			fmt.Fprintf(w, "  hint: %s\n", f.Hint)
		}
		for _, l := range f.LogTail {
			fmt.Fprintf(w, "  │ %s\n", l)
		}
	}
	im := rep.Image
	if im == nil {
		return
	}
	fmt.Fprintln(w, "\nsize (unpacked):")
	max := im.SizeBytes
	for _, x := range []*sandbox.ImageInfo{rep.Starter, rep.Reference} {
		if x != nil && x.SizeBytes > max {
			max = x.SizeBytes
		}
	}
	bar := func(label string, x *sandbox.ImageInfo) {
		if x == nil {
			return
		}
		n := int(30 * x.SizeBytes / max)
		if n == 0 && x.SizeBytes > 0 {
			n = 1
		}
		fmt.Fprintf(w, "  %-10s %-30s %s\n", label, strings.Repeat("█", n), sandbox.HumanBytes(x.SizeBytes))
	}
	bar("starter", rep.Starter)
	bar("yours", im)
	bar("reference", rep.Reference)
	if rep.Reference != nil {
		switch {
		case im.SizeBytes <= rep.Reference.SizeBytes:
			fmt.Fprintln(w, "  at or under par: as small as the reference solution")
		default:
			fmt.Fprintf(w, "  %s over par\n", sandbox.HumanBytes(im.SizeBytes-rep.Reference.SizeBytes))
		}
	}
	fmt.Fprintln(w, "\nlayers:")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	for _, l := range im.Layers {
		fmt.Fprintf(tw, "  %s\t  %s\n", sandbox.HumanBytes(l.SizeBytes), trimTo(l.CreatedBy, 70))
	}
	tw.Flush()
	if len(im.Largest) > 0 {
		fmt.Fprintln(w, "\nlargest files:")
		for _, f := range im.Largest {
			fmt.Fprintf(w, "  %10s  %s\n", sandbox.HumanBytes(f.Size), f.Path)
		}
	}
}

// gradescopeResults is Gradescope's results.json (also read by PrairieLearn-style graders).
type gradescopeResults struct {
	Score    float64          `json:"score"`
	MaxScore float64          `json:"max_score"`
	Output   string           `json:"output,omitempty"`
	Tests    []gradescopeTest `json:"tests"`
}

type gradescopeTest struct {
	Name     string  `json:"name"`
	Score    float64 `json:"score"`
	MaxScore float64 `json:"max_score"`
	Status   string  `json:"status"`
	Output   string  `json:"output,omitempty"`
}

func gradescopeOf(rep *check.Report) gradescopeResults {
	pts := func(p spec.Points) float64 { return float64(p) / 100 }
	out := gradescopeResults{Score: pts(rep.Score), MaxScore: pts(rep.MaxScore), Tests: []gradescopeTest{}}
	if !rep.Gradable {
		out.Output = "Not graded (environment fault, not your submission): " + rep.Error
		out.Score = 0
		return out
	}
	for _, c := range rep.Checks {
		status := "failed"
		if c.Status == check.StatusPass {
			status = "passed"
		}
		out.Tests = append(out.Tests, gradescopeTest{Name: c.ID, Score: pts(c.Points), MaxScore: pts(c.MaxPoints), Status: status, Output: c.Message})
	}
	if rep.Image != nil {
		out.Output = fmt.Sprintf("Final image: %s unpacked, %s compressed.", sandbox.HumanBytes(rep.Image.SizeBytes), sandbox.HumanBytes(rep.Image.CompressedBytes))
	}
	if rep.Error != "" && out.Output == "" {
		out.Output = rep.Error // a refused submission: why nothing was built
	}
	return out
}
