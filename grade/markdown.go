package grade

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/sandbox/check"
)

// WriteMarkdown writes the class summary as Markdown: the table of WriteText, the figures, and
// the similar pairs, for an instructor's notes or a CI job summary.
func WriteMarkdown(w io.Writer, run *Run) {
	title := run.Exercise
	if run.Title != "" {
		title = run.Title + " (" + run.Exercise + ")"
	}
	s := run.Summary
	fmt.Fprintf(w, "# Grades: %s\n\nRun `%s` · %d students · graded %d (%d pass every check) · missing %d · not graded %d · mean %s, median %s of %s\n\n",
		title, run.UID, s.Students, s.Graded, s.Passed, len(s.Missing), len(s.NotGraded), s.Mean, s.Median, s.MaxScore)
	fmt.Fprintln(w, "| student | score | checks | image | note |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | --- |")
	for _, r := range run.Results {
		score, checks, size := "—", "—", "—"
		if r.Status != StatusNotGraded {
			score = r.Score.String() + "/" + r.MaxScore.String()
			p, n := r.ChecksPassed()
			checks = fmt.Sprintf("%d/%d", p, n)
		} else {
			score = "not graded"
		}
		if b := r.ImageBytes(); b > 0 {
			size = sandbox.HumanBytes(b)
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", cell(r.Student), score, checks, size, cell(Note(&r)))
	}
	if len(s.NotGraded) > 0 {
		fmt.Fprintf(w, "\n**Not graded** (an environment fault, not the students'): %s. Re-run with `stagecraft grade --regrade %s`.\n",
			strings.Join(s.NotGraded, ", "), run.UID)
	}
	if len(s.Similar) > 0 {
		fmt.Fprint(w, "\n## Similar Dockerfiles\n\nA hint to look at, not a verdict: near-identical after whitespace, comments, case and stage names.\n\n")
		for _, p := range s.Similar {
			how := fmt.Sprintf("%.0f%% of instructions in common", p.Similarity*100)
			if p.Identical {
				how = "identical"
			}
			fmt.Fprintf(w, "- %s ~ %s: %s\n", cell(p.A), cell(p.B), how)
		}
	}
}

// WriteFeedback writes one Markdown file per student into dir (<student>.md): the score, every
// check with its message and line, why the build failed, the image's size next to the starter's
// and the reference's, and a hint when the submission does not pass. It returns the files.
func WriteFeedback(dir string, run *Run) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("creating the feedback folder: %w", err)
	}
	var files []string
	used := map[string]bool{}
	for i := range run.Results {
		r := &run.Results[i]
		name := fileName(r.Student)
		for n := 2; used[name]; n++ {
			name = fmt.Sprintf("%s-%d", fileName(r.Student), n)
		}
		used[name] = true
		p := filepath.Join(dir, name+".md")
		f, err := os.Create(p)
		if err != nil {
			return files, fmt.Errorf("writing feedback: %w", err)
		}
		writeFeedback(f, run, r)
		if err := f.Close(); err != nil {
			return files, fmt.Errorf("writing feedback: %w", err)
		}
		files = append(files, p)
	}
	return files, nil
}

func writeFeedback(w io.Writer, run *Run, r *Result) {
	who := r.Student
	if r.Name != "" {
		who = r.Name + " (" + r.Student + ")"
	}
	title := run.Exercise
	if run.Title != "" {
		title = run.Title
	}
	fmt.Fprintf(w, "# %s — feedback for %s\n\n", title, who)
	switch r.Status {
	case StatusNotGraded:
		fmt.Fprintf(w, "**Not graded yet.** The grader's BuildKit failed while checking your submission; this is not\nyour Dockerfile's fault and it will be graded again.\n\n> %s\n", strings.ReplaceAll(r.Error, "\n", "\n> "))
		return
	case StatusMissing:
		fmt.Fprintf(w, "**Score: 0/%s.** Nothing to grade: %s.\n", r.MaxScore, r.Missing)
		return
	}
	rep := r.Report
	verdict := "some checks fail"
	if r.Passed {
		verdict = "every check passes"
	}
	fmt.Fprintf(w, "**Score: %s/%s** — %s.\n\n", r.Score, r.MaxScore, verdict)
	fmt.Fprintln(w, "| | check | points | what we found |")
	fmt.Fprintln(w, "| --- | --- | ---: | --- |")
	for _, c := range rep.Checks {
		mark := map[string]string{check.StatusPass: "✅", check.StatusFail: "❌", check.StatusSkipped: "⏭️", check.StatusError: "⚠️"}[c.Status]
		msg := c.Message
		if c.Line > 0 {
			msg += fmt.Sprintf(" (line %d)", c.Line)
		}
		fmt.Fprintf(w, "| %s | `%s` | %s/%s | %s |\n", mark, c.ID, c.Points, c.MaxPoints, cell(msg))
	}
	if b := rep.Build; b != nil && b.Failure != nil {
		f := b.Failure
		fmt.Fprintf(w, "\n## Why the build failed\n\n%s%s.\n", f.Message, atLine(f.Line))
		if f.Hint != "" {
			fmt.Fprintf(w, "\n*Hint:* %s\n", f.Hint)
		}
		logTail := f.LogTail
		if len(logTail) == 0 {
			logTail = b.LogTail
		}
		if len(logTail) > 0 {
			fmt.Fprintf(w, "\n```\n%s\n```\n", strings.Join(logTail, "\n"))
		}
	}
	if im := rep.Image; im != nil {
		fmt.Fprintf(w, "\n## Your image\n\n- yours: %s unpacked (%s compressed), %d layers, user %q\n", sandbox.HumanBytes(im.SizeBytes),
			sandbox.HumanBytes(im.CompressedBytes), len(im.Layers), im.User)
		if rep.Starter != nil {
			fmt.Fprintf(w, "- the starter: %s\n", sandbox.HumanBytes(rep.Starter.SizeBytes))
		}
		if rep.Reference != nil {
			fmt.Fprintf(w, "- the reference solution: %s\n", sandbox.HumanBytes(rep.Reference.SizeBytes))
		}
	}
	if len(rep.Findings) > 0 {
		fmt.Fprintln(w, "\n## Findings")
		fmt.Fprintln(w)
		for _, f := range rep.Findings {
			fmt.Fprintf(w, "- line %d, %s: %s\n", f.Line, f.Rule, f.Message)
		}
	}
	if !r.Passed && len(run.Hints) > 0 {
		fmt.Fprintf(w, "\n## A hint\n\n%s\n", strings.TrimSpace(run.Hints[0]))
	}
}

// cell makes text safe in a Markdown table cell.
func cell(s string) string {
	return strings.NewReplacer("\n", " ", "|", `\|`, "<", "&lt;", ">", "&gt;").Replace(s)
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._@-]+`)

// fileName turns a student id (a folder name: anything) into a safe file name.
func fileName(id string) string {
	n := strings.Trim(unsafeName.ReplaceAllString(id, "_"), "._")
	if n == "" {
		n = "student"
	}
	return n
}
