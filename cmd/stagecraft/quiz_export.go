package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/stagecraft/stagecraft/quiz"
	"github.com/stagecraft/stagecraft/study"
)

// quizExportOptions are the flags and dependencies of `stagecraft quiz export`.
type quizExportOptions struct {
	Stdout, Stderr io.Writer
	// Bank is the course's questions.
	Bank func() (*quiz.Bank, error)

	Format, Out, Category                string
	Lessons, Modules, Tags, Difficulties []string
}

func newQuizExportCmd(f *factory) *cobra.Command {
	// Export reads the whole course, checked, not the bank cache: it is an author's tool.
	o := &quizExportOptions{Stdout: f.Out(), Stderr: f.Err(), Bank: func() (*quiz.Bank, error) {
		c, err := f.Course()
		if err != nil {
			return nil, err
		}
		return study.BankOf(c), nil
	}}
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write the course's questions as Moodle GIFT or JSON, for an LMS",
		Long: `export writes questions (all of them, or those chosen with --lesson, --module, --tag and
--difficulty) to stdout or --out FILE.

--format gift is Moodle's GIFT text format. GIFT has fewer question types than stagecraft:
  single     -> multiple choice with one right answer
  multiple   -> multiple choice with several right answers (Moodle gives partial credit;
                stagecraft scores all-or-nothing)
  true_false -> true/false
  short      -> short answer with the accepted answers; a regular-expression pattern cannot
                be written in GIFT and is dropped (a question with only a pattern is skipped)
  order      -> a matching question "Step 1 -> first item", "Step 2 -> …" (Moodle needs
                three pairs or more: two-item orders are skipped)
  spot_line  -> multiple choice over the code's lines ("Line 3: FROM golang:1.22")
Hints, points, difficulty and tags have no GIFT form; a "// stagecraft:" comment before each
question keeps them, so "stagecraft quiz import" restores the question. The explanation
becomes the general feedback. Each quiz is a $CATEGORY (--category PARENT/quiz-id).
Skipped questions are listed on stderr and as comments in the file.

--format json writes every field of each question (schema stagecraft.quiz.export/v1).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runQuizExport(o) },
	}
	fl := cmd.Flags()
	fl.StringVar(&o.Format, "format", "gift", "gift or json")
	fl.StringVar(&o.Out, "out", "", "write to FILE instead of stdout")
	fl.StringVar(&o.Category, "category", "stagecraft", "GIFT: the parent $CATEGORY of each quiz's questions")
	fl.StringSliceVar(&o.Lessons, "lesson", nil, "only questions of this lesson (repeatable)")
	fl.StringSliceVar(&o.Modules, "module", nil, "only questions of this module (repeatable)")
	fl.StringSliceVar(&o.Tags, "tag", nil, "only questions with this tag (repeatable)")
	fl.StringSliceVar(&o.Difficulties, "difficulty", nil, "only easy, medium or hard questions (repeatable)")
	return cmd
}

func runQuizExport(o *quizExportOptions) error {
	if o.Format != "gift" && o.Format != "json" {
		return usageErr("--format %q: use gift or json", o.Format)
	}
	for _, d := range o.Difficulties {
		if err := study.CheckDifficulty(d); err != nil {
			return usageErr("--%v", err)
		}
	}
	b, err := o.Bank()
	if err != nil {
		return err
	}
	filter := study.Filter{Lessons: o.Lessons, Modules: o.Modules, Tags: o.Tags, Difficulties: o.Difficulties}
	qs, err := study.Select(b, filter)
	if err != nil {
		return filterErr(err, filter)
	}
	return writeOut(o.Stdout, o.Out, func(w io.Writer) error {
		if o.Format == "json" {
			return quiz.ExportJSON(w, qs)
		}
		skipped, err := quiz.ExportGIFT(w, qs, o.Category)
		for _, s := range skipped {
			fmt.Fprintf(o.Stderr, "stagecraft: skipped %s: %s\n", s.ID, s.Reason)
		}
		return err
	})
}

// writeOut writes to stdout, or to the file path when given (whole, or not at all).
func writeOut(stdout io.Writer, path string, write func(io.Writer) error) error {
	if path == "" {
		return write(stdout)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return usageErr("--out %s: %v", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return envErr(err)
	}
	if err := tmp.Close(); err != nil {
		return envErr(err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return envErr(err)
	}
	return nil
}
