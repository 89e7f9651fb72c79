package grade

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/sandbox/check"
)

// WriteJSON writes the whole run: the summary and every student's report.
func WriteJSON(w io.Writer, run *Run) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(run)
}

// WriteText writes the summary table an instructor reads at a terminal: one line per student
// (score, checks passed, image size, time, what went wrong), then the class figures, who could
// not be graded, similar pairs and what each worker did.
func WriteText(w io.Writer, run *Run) {
	title := run.Exercise
	if run.Title != "" {
		title += " — " + run.Title
	}
	fmt.Fprintf(w, "%s\nrun %s, %d students\n\n", title, run.UID, run.Summary.Students)
	if line := run.StatusLine(); line != "" {
		fmt.Fprintf(w, "%s\n\n", line)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STUDENT\tSCORE\tCHECKS\tIMAGE\tTIME\tNOTE")
	for _, r := range run.Results {
		score, checks, size, took := "-", "-", "-", "-"
		switch r.Status {
		case StatusGraded, StatusMissing:
			score = r.Score.String() + "/" + r.MaxScore.String()
			p, n := r.ChecksPassed()
			checks = fmt.Sprintf("%d/%d", p, n)
		case StatusNotGraded:
			score = "not graded"
		}
		if b := r.ImageBytes(); b > 0 {
			size = sandbox.HumanBytes(b)
		}
		if r.DurationMS > 0 {
			took = (time.Duration(r.DurationMS) * time.Millisecond).Round(100 * time.Millisecond).String()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Student, score, checks, size, took, trim(Note(&r), 60))
	}
	tw.Flush()

	s := run.Summary
	fmt.Fprintf(w, "\ngraded %d of %d (%d pass every check), missing %d, not graded %d; mean %s, median %s of %s\n",
		s.Graded, s.Students, s.Passed, len(s.Missing), len(s.NotGraded), s.Mean, s.Median, s.MaxScore)
	if s.Kept > 0 {
		fmt.Fprintf(w, "re-grade: %d checked again, %d unchanged and kept\n", s.Checked, s.Kept)
	}
	if len(s.NotGraded) > 0 {
		fmt.Fprintf(w, "\nnot graded — an environment fault, not the students' (run `stagecraft grade --regrade %s` when BuildKit is back):\n  %s\n",
			run.UID, strings.Join(s.NotGraded, ", "))
	}
	if len(s.OffRoster) > 0 {
		fmt.Fprintf(w, "\nnot on the roster: %s\n", strings.Join(s.OffRoster, ", "))
	}
	if len(s.Similar) > 0 {
		fmt.Fprintln(w, "\nsimilar Dockerfiles (after whitespace, comments, case and stage names) — a hint to look at, not a verdict:")
		for _, p := range s.Similar {
			how := fmt.Sprintf("%.0f%% of instructions in common", p.Similarity*100)
			if p.Identical {
				how = "identical"
			}
			fmt.Fprintf(w, "  %s ~ %s  %s\n", p.A, p.B, how)
		}
	}
	if len(s.LikeGiven) > 0 {
		fmt.Fprintf(w, "\nnear-identical to the starter or the reference solution (not paired): %s\n", strings.Join(s.LikeGiven, ", "))
	}
	if len(s.Workers) > 0 {
		fmt.Fprintln(w, "\nworkers:")
		for _, wk := range s.Workers {
			line := fmt.Sprintf("  %s: graded %d, warm-up %s", wk.Address, wk.Graded, (time.Duration(wk.WarmMS) * time.Millisecond).Round(100*time.Millisecond))
			if wk.Faults > 0 {
				line += fmt.Sprintf(", %d environment faults (retried)", wk.Faults)
			}
			if wk.Down != "" {
				line += "; down: " + firstLine(wk.Down)
			}
			fmt.Fprintln(w, line)
		}
	}
}

// Note says in a few words what went wrong for a student, or nothing when every check passes.
func Note(r *Result) string {
	switch r.Status {
	case StatusMissing:
		return "missing: " + r.Missing
	case StatusNotGraded:
		return firstLine(r.Error)
	}
	rep := r.Report
	if rep == nil || rep.Passed {
		return ""
	}
	for _, c := range rep.Checks {
		if c.ID == "dockerfile-parses" && c.Status == check.StatusFail {
			return "does not parse" + atLine(c.Line) + ": " + firstLine(c.Message)
		}
	}
	if b := rep.Build; b != nil && b.Failure != nil {
		return "build failed (" + b.Failure.Kind + ")" + atLine(b.Failure.Line)
	}
	var failed []string
	for _, c := range rep.Checks {
		if c.Status == check.StatusFail || c.Status == check.StatusError {
			failed = append(failed, c.ID)
		}
	}
	return "fails " + strings.Join(failed, ", ")
}

func atLine(n int) string {
	if n > 0 {
		return fmt.Sprintf(" at line %d", n)
	}
	return ""
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

func trim(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
