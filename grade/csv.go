package grade

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/stagecraft/stagecraft/sandbox"
)

// CSV styles: the generic gradebook, or the columns an LMS imports.
const (
	CSVGeneric = "generic"
	CSVMoodle  = "moodle"
	CSVCanvas  = "canvas"
)

// CSVStyles lists the styles WriteCSV knows.
var CSVStyles = []string{CSVGeneric, CSVMoodle, CSVCanvas}

// WriteCSV writes the run as a gradebook. The generic style has one row per student with the
// score, the verdict and one column per check; moodle and canvas have the columns their
// grade import maps (an identifier, the grade, feedback). A student who could not be graded has
// an empty grade, never 0: their grade is still to come.
func WriteCSV(w io.Writer, run *Run, style string) error {
	cw := csv.NewWriter(w)
	var err error
	switch style {
	case "", CSVGeneric:
		err = genericCSV(cw, run)
	case CSVMoodle:
		err = moodleCSV(cw, run)
	case CSVCanvas:
		err = canvasCSV(cw, run)
	default:
		return fmt.Errorf("unknown CSV style %q (known: %v)", style, CSVStyles)
	}
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// GenericColumns are the generic style's first columns; one "check:<id>" column per check
// follows them.
var GenericColumns = []string{"student", "name", "email", "status", "score", "max_score", "percent", "passed",
	"checks_passed", "checks_total", "image_bytes", "seconds", "worker", "dockerfile_hash", "note"}

func genericCSV(cw *csv.Writer, run *Run) error {
	checkIDs := checkColumns(run)
	header := append([]string{}, GenericColumns...)
	for _, id := range checkIDs {
		header = append(header, "check:"+id)
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, r := range run.Results {
		score, pct, passed := grade(&r)
		p, n := r.ChecksPassed()
		row := []string{r.Student, r.Name, r.Email, r.Status, score, r.MaxScore.String(), pct, passed,
			strconv.Itoa(p), strconv.Itoa(n), strconv.FormatInt(r.ImageBytes(), 10), seconds(r.DurationMS), r.Worker, r.Hash, Note(&r)}
		pts := map[string]string{}
		if r.Report != nil && r.Status != StatusNotGraded {
			for _, c := range r.Report.Checks {
				pts[c.ID] = c.Points.String()
			}
		}
		for _, id := range checkIDs {
			row = append(row, pts[id])
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	return nil
}

// moodleCSV is Moodle's gradebook import: users are matched on "ID number" or "Email address",
// the grade column is mapped to the grade item, and the feedback column to its feedback.
func moodleCSV(cw *csv.Writer, run *Run) error {
	item := gradeItem(run)
	if err := cw.Write([]string{"ID number", "Email address", "Full name", item + " (Real)", item + " (Feedback)"}); err != nil {
		return err
	}
	for _, r := range run.Results {
		score, _, _ := grade(&r)
		if err := cw.Write([]string{r.Student, r.Email, r.Name, score, feedbackLine(&r)}); err != nil {
			return err
		}
	}
	return nil
}

// canvasCSV is Canvas's gradebook import: the five identity columns of its export, a "Points
// Possible" row, then one assignment column. Students are matched on SIS User ID (the roster
// id) or SIS Login ID (the email).
func canvasCSV(cw *csv.Writer, run *Run) error {
	item := gradeItem(run)
	if err := cw.Write([]string{"Student", "ID", "SIS User ID", "SIS Login ID", "Section", item}); err != nil {
		return err
	}
	if err := cw.Write([]string{"    Points Possible", "", "", "", "", run.Summary.MaxScore.String()}); err != nil {
		return err
	}
	for _, r := range run.Results {
		score, _, _ := grade(&r)
		name := r.Name
		if name == "" {
			name = r.Student
		}
		if err := cw.Write([]string{name, "", r.Student, r.Email, "", score}); err != nil {
			return err
		}
	}
	return nil
}

// grade is the gradebook's view of a result: the score, a percentage and the verdict, all
// empty for a student not graded.
func grade(r *Result) (score, percent, passed string) {
	if r.Status == StatusNotGraded {
		return "", "", ""
	}
	pct := "0"
	if r.MaxScore > 0 {
		pct = strconv.FormatFloat(float64(r.Score)*100/float64(r.MaxScore), 'f', 1, 64)
	}
	return r.Score.String(), pct, strconv.FormatBool(r.Passed)
}

func gradeItem(run *Run) string {
	if run.Title != "" {
		return run.Title
	}
	return run.Exercise
}

// feedbackLine is a one-line feedback for an LMS cell.
func feedbackLine(r *Result) string {
	switch r.Status {
	case StatusNotGraded:
		return "Not graded yet (environment fault, not your submission)."
	case StatusMissing:
		return "Nothing to grade: " + r.Missing + "."
	}
	p, n := r.ChecksPassed()
	s := fmt.Sprintf("%d of %d checks pass.", p, n)
	if note := Note(r); note != "" {
		s += " " + note + "."
	}
	if b := r.ImageBytes(); b > 0 {
		s += " Image: " + sandbox.HumanBytes(b) + "."
	}
	return s
}

// checkColumns are the exercise's check ids in its order, then any other check a report has
// (the parse check).
func checkColumns(run *Run) []string {
	var ids []string
	seen := map[string]bool{}
	for _, c := range run.Checks {
		seen[c.ID] = true
		ids = append(ids, c.ID)
	}
	for _, r := range run.Results {
		if r.Report == nil {
			continue
		}
		for _, c := range r.Report.Checks {
			if !seen[c.ID] {
				seen[c.ID] = true
				ids = append(ids, c.ID)
			}
		}
	}
	return ids
}
