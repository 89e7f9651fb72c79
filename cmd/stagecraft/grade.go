package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/stagecraft/stagecraft/grade"
)

// The grade verbs live one per file: grade_run.go (grade itself: a grading session) and
// grade_show.go (grade show). This file holds the command, its output formats and the exit
// codes of the grader's errors.

func newGradeCmd(g *globalOptions) *cobra.Command {
	o := &gradeRunOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "grade --exercise ID SUBMISSIONS",
		Short: "Grade a whole class of Dockerfiles, on one or many BuildKit daemons",
		Long: `grade checks every student's submission of an exercise exactly as ` + "`stagecraft check`" + ` does, and
writes the class's grades: a summary table, JSON, JUnit XML, a CSV gradebook, Markdown feedback.

SUBMISSIONS is a folder with one folder per student (the folder name is the student id), each
holding a Dockerfile and optionally files of its own, laid over the exercise's context; or one
student's folder (it holds a Dockerfile); or a list file with one folder or Dockerfile per line.
--roster CSV (columns id,name,email) adds names and emails, and grades students who handed in
nothing as missing (score 0).

A submission that does not parse, times out or crashes its build is graded on what it reached.
A BuildKit fault is never the student's: the submission is retried once (on another --buildkit
daemon when there is one) and otherwise reported as not graded. Checks run --jobs at a time,
spread over every --buildkit address (e.g. buildkitd pods reached over tcp:// with --tlscacert,
--tlscert and --tlskey); a daemon that stops answering is dropped and its work moves to the others.

Every run is saved in the progress store: ` + "`stagecraft grade show RUN`" + ` prints it again, and
` + "`--regrade RUN`" + ` checks only submissions that changed or were not graded, in place.

Exit codes: 0 every submission was graded (whatever the scores); 2 bad input (unknown exercise,
missing folder, bad roster); 3 some submission could not be graded (environment).`,
		Example: `  stagecraft grade --exercise go-multistage ./submissions --roster roster.csv --jobs 4
  stagecraft grade --exercise go-multistage ./submissions --format junit --out grades.xml
  stagecraft grade --exercise go-multistage ./submissions --format csv --csv-style canvas --out grades.csv
  stagecraft grade --exercise go-multistage ./submissions --buildkit tcp://bk-0.bk:1234 --buildkit tcp://bk-1.bk:1234 \
      --tlscacert ca.pem --tlscert client.pem --tlskey client-key.pem
  stagecraft grade --regrade last`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.Source = args[0]
			}
			return runGrade(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Exercise, "exercise", "", "exercise id; with --regrade, the run's exercise")
	f.IntVar(&o.Jobs, "jobs", 0, "checks at once over all daemons (default 2 per --buildkit daemon)")
	o.output.register(f)
	f.StringVar(&o.Roster, "roster", "", "roster CSV with columns id,name,email")
	f.StringVar(&o.Regrade, "regrade", "", "re-grade run RUN (or \"last\") in place: only changed or ungraded submissions")
	f.Float64Var(&o.Similarity, "similarity", grade.DefaultSimilarity, "flag pairs of Dockerfiles at least this similar (0 turns it off)")
	o.sandboxFlags.register(f)
	o.sandboxFlags.registerLimits(f)

	cmd.AddCommand(newGradeShowCmd(g))
	return cmd
}

var gradeFormats = []string{"text", "json", "junit", "csv", "markdown"}

// gradeOutput is how a run is written out, the same for grade and grade show.
type gradeOutput struct {
	Format   string
	OutPath  string
	CSVStyle string
	Feedback string
}

func (o *gradeOutput) register(f *pflag.FlagSet) {
	f.StringVar(&o.Format, "format", "text", "output: "+strings.Join(gradeFormats, ", "))
	f.StringVarP(&o.OutPath, "out", "o", "", "write the output to this file (the text summary still goes to stdout)")
	f.StringVar(&o.CSVStyle, "csv-style", grade.CSVGeneric, "CSV columns: "+strings.Join(grade.CSVStyles, ", "))
	f.StringVar(&o.Feedback, "feedback", "", "write a Markdown feedback file per student into this folder")
}

func (o *gradeOutput) validate() error {
	if !slices.Contains(gradeFormats, o.Format) {
		return usageErr("--format %q: use %s", o.Format, strings.Join(gradeFormats, ", "))
	}
	if !slices.Contains(grade.CSVStyles, o.CSVStyle) {
		return usageErr("--csv-style %q: use %s", o.CSVStyle, strings.Join(grade.CSVStyles, ", "))
	}
	return nil
}

// write writes the run in --format to stdout or --out (then the text summary goes to stdout
// too), and the feedback files (their count goes to errw).
func (o *gradeOutput) write(stdout, errw io.Writer, run *grade.Run) error {
	w := stdout
	var f *os.File
	if o.OutPath != "" {
		var err error
		if f, err = os.Create(o.OutPath); err != nil {
			return usageErr("--out: %v", err)
		}
		w = f
	}
	var err error
	switch o.Format {
	case "json":
		err = grade.WriteJSON(w, run)
	case "junit":
		err = grade.WriteJUnit(w, run)
	case "csv":
		err = grade.WriteCSV(w, run, o.CSVStyle)
	case "markdown":
		grade.WriteMarkdown(w, run)
	default:
		grade.WriteText(w, run)
	}
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err == nil && o.Format != "text" {
			grade.WriteText(stdout, run)
			fmt.Fprintf(stdout, "\n%s written to %s\n", o.Format, o.OutPath)
		}
	}
	if err != nil {
		return envErr(fmt.Errorf("writing the %s output: %w", o.Format, err))
	}
	if o.Feedback != "" {
		files, err := grade.WriteFeedback(o.Feedback, run)
		if err != nil {
			return envErr(err)
		}
		fmt.Fprintf(errw, "stagecraft: %d feedback files in %s\n", len(files), o.Feedback)
	}
	return nil
}

// inputOrEnv maps the grader's errors: bad input is exit 2, anything else an environment fault.
func inputOrEnv(err error) error {
	var ie *grade.InputError
	if errors.As(err, &ie) {
		return usageErr("%v", ie)
	}
	return envErr(err)
}
