package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/stagecraft/stagecraft/grade"
	"github.com/stagecraft/stagecraft/progress"
	"github.com/stagecraft/stagecraft/sandbox"
)

type gradeOptions struct {
	*globalOptions
	sandboxFlags
	Exercise   string
	Jobs       int
	Format     string
	OutPath    string
	Roster     string
	CSVStyle   string
	Feedback   string
	Regrade    string
	Similarity float64
}

var gradeFormats = []string{"text", "json", "junit", "csv", "markdown"}

func newGradeCmd(g *globalOptions) *cobra.Command {
	o := &gradeOptions{globalOptions: g}
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
		RunE: func(cmd *cobra.Command, args []string) error { return runGrade(cmd.Context(), o, args) },
	}
	f := cmd.Flags()
	f.StringVar(&o.Exercise, "exercise", "", "exercise id; with --regrade, the run's exercise")
	f.IntVar(&o.Jobs, "jobs", 0, "checks at once over all daemons (default 2 per --buildkit daemon)")
	o.outputFlags(f)
	f.StringVar(&o.Roster, "roster", "", "roster CSV with columns id,name,email")
	f.StringVar(&o.Regrade, "regrade", "", "re-grade run RUN (or \"last\") in place: only changed or ungraded submissions")
	f.Float64Var(&o.Similarity, "similarity", grade.DefaultSimilarity, "flag pairs of Dockerfiles at least this similar (0 turns it off)")
	o.sandboxFlags.register(f)
	o.sandboxFlags.registerLimits(f)

	show := &cobra.Command{
		Use:   "show RUN",
		Short: "Print a saved grading run again (RUN is its id, or \"last\")",
		Args:  cobra.ExactArgs(1),
		RunE:  func(cmd *cobra.Command, args []string) error { return runGradeShow(cmd.Context(), o, args[0]) },
	}
	o.outputFlags(show.Flags())
	show.Flags().StringVar(&o.Exercise, "exercise", "", "with RUN \"last\": the last run of this exercise")
	cmd.AddCommand(show)
	return cmd
}

func (o *gradeOptions) outputFlags(f *pflag.FlagSet) {
	f.StringVar(&o.Format, "format", "text", "output: "+strings.Join(gradeFormats, ", "))
	f.StringVarP(&o.OutPath, "out", "o", "", "write the output to this file (the text summary still goes to stdout)")
	f.StringVar(&o.CSVStyle, "csv-style", grade.CSVGeneric, "CSV columns: "+strings.Join(grade.CSVStyles, ", "))
	f.StringVar(&o.Feedback, "feedback", "", "write a Markdown feedback file per student into this folder")
}

func (o *gradeOptions) validate() error {
	if !slices.Contains(gradeFormats, o.Format) {
		return usageErr("--format %q: use %s", o.Format, strings.Join(gradeFormats, ", "))
	}
	if !slices.Contains(grade.CSVStyles, o.CSVStyle) {
		return usageErr("--csv-style %q: use %s", o.CSVStyle, strings.Join(grade.CSVStyles, ", "))
	}
	if o.Jobs < 0 {
		return usageErr("--jobs %d: want a positive number", o.Jobs)
	}
	if o.Similarity < 0 || o.Similarity > 1 {
		return usageErr("--similarity %g: want a number between 0 and 1", o.Similarity)
	}
	return nil
}

func runGrade(ctx context.Context, o *gradeOptions, args []string) error {
	if err := o.validate(); err != nil {
		return err
	}
	st, err := openProgress(ctx, o.globalOptions)
	if err != nil {
		return err
	}
	defer st.Close()

	// What to grade: the arguments, or the run being re-graded.
	var prev *grade.Run
	src, roster := "", o.Roster
	if len(args) == 1 {
		src = args[0]
	}
	if o.Regrade != "" {
		gr, err := grade.FindRun(ctx, st, o.Regrade, o.Exercise)
		if err != nil {
			return inputOrEnv(err)
		}
		if o.Exercise != "" && o.Exercise != gr.Exercise {
			return usageErr("--regrade %s is a run of %s, not %s", gr.UID, gr.Exercise, o.Exercise)
		}
		var ropts grade.RunOptions
		if prev, ropts, err = grade.LoadRun(ctx, st, gr); err != nil {
			return envErr(err)
		}
		o.Exercise = gr.Exercise
		if src == "" {
			src = ropts.Source
		}
		if roster == "" {
			roster = ropts.Roster
		}
	}
	if o.Exercise == "" {
		return usageErr("say which exercise: grade --exercise ID SUBMISSIONS")
	}
	if src == "" {
		return usageErr("say where the submissions are: grade --exercise %s SUBMISSIONS", o.Exercise)
	}
	course, err := loadCourse(o.globalOptions)
	if err != nil {
		return err
	}
	ex := course.Exercise(o.Exercise)
	if ex == nil {
		_, err := exercisePlan(o.globalOptions, o.Exercise) // says which exercises there are
		return err
	}
	plan, err := planFor(course.FS, ex)
	if err != nil {
		return err
	}
	class, err := grade.Load(src, roster)
	if err != nil {
		return inputOrEnv(err)
	}
	hash, err := grade.PlanHash(*plan)
	if err != nil {
		return envErr(err)
	}

	run := &grade.Run{Schema: grade.RunSchema, Exercise: ex.ID, Title: ex.Title, ContentHash: hash, Source: class.Source,
		Roster: class.Roster, Checks: grade.ChecksOf(*plan), Hints: ex.Hints, Started: time.Now().UTC(), Submissions: len(class.Students)}
	todo, kept := class.Students, []grade.Result(nil)
	var rg *grade.Regrade
	if prev != nil {
		rg = grade.NewRegrade(prev.Results, prev.ContentHash == hash)
		todo, kept = rg.Split(class.Students)
		run.UID, run.Started = prev.UID, prev.Started
		if prev.ContentHash != hash {
			fmt.Fprintf(o.Err, "stagecraft: %s changed since run %s: every submission is checked again\n", ex.ID, prev.UID)
		}
	}

	backends, closeAll, err := o.backends(ctx, todo)
	if err != nil {
		return err
	}
	defer closeAll()

	ropts := grade.RunOptions{Source: class.Source, Roster: class.Roster, Title: ex.Title, Checks: run.Checks,
		BuildKit: o.BuildKit, Jobs: o.Jobs, Timeout: o.Timeout.String()}
	if prev == nil {
		if err := grade.StartRun(ctx, st, run, ropts); err != nil {
			return envErr(err)
		}
	} else if err := grade.ResumeRun(ctx, st, run); err != nil {
		return envErr(err)
	}
	w, err := st.NewResultWriter(ctx, run.UID, progress.WriterOptions{})
	if err != nil {
		return envErr(err)
	}
	bar := grade.NewProgressBar(o.Err, len(todo), isTTY(o.Err))
	var saveErr error
	onResult := func(r grade.Result) {
		bar.Add(r)
		if rg != nil && !rg.Replaces(r) {
			return // an environment fault never replaces a grade
		}
		sr, err := grade.StoredResult(r)
		if err == nil {
			err = w.Add(sr)
		}
		if err != nil && saveErr == nil {
			saveErr = err
		}
	}

	var out *grade.Outcome
	gradeErr := error(nil)
	if len(backends) > 0 {
		out, gradeErr = grade.Grade(ctx, todo, grade.Options{
			Plan: *plan, Backends: backends, Jobs: o.Jobs, MaxContextBytes: sandbox.DefaultPolicy().MaxContextBytes,
			OnResult: onResult,
			Logf: func(format string, a ...any) {
				bar.Clear()
				fmt.Fprintf(o.Err, "stagecraft: "+format+"\n", a...)
			},
		})
	} else {
		// Nothing to build (a re-grade of an unchanged class, or only missing students).
		out = &grade.Outcome{}
		for _, s := range todo {
			r := grade.MissingResult(*plan, s)
			onResult(r)
			out.Results = append(out.Results, r)
		}
	}
	bar.Clear()
	if err := w.Close(); err != nil && saveErr == nil {
		saveErr = err
	}
	run.Finished = time.Now().UTC()
	if err := grade.FinishRun(context.WithoutCancel(ctx), st, run, gradeErr); err != nil && saveErr == nil {
		saveErr = err
	}

	run.Results = out.Results
	if rg != nil {
		run.Results = rg.Merge(kept, out.Results)
	}
	run.Summary.Workers = out.Workers
	run.Summarize()
	run.Summary.Similar, run.Summary.LikeGiven = grade.FindSimilar(run.Results, grade.Given(plan.Starter, plan.Reference, ex.Hints), o.Similarity)
	if err := o.writeRun(run); err != nil {
		return err
	}
	if saveErr != nil {
		return envErr(fmt.Errorf("saving the grading run %s: %w", run.UID, saveErr))
	}
	if gradeErr != nil {
		return envErr(fmt.Errorf("grading stopped: %w", gradeErr))
	}
	if len(run.Summary.NotGraded) > 0 {
		if o.Format != "text" || o.OutPath != "" {
			fmt.Fprintf(o.Err, "stagecraft: %d submissions could not be graded (environment); re-run with --regrade %s\n", len(run.Summary.NotGraded), run.UID)
		}
		return &exitError{code: exitEnviron}
	}
	return nil
}

// backends opens a sandbox on every BuildKit daemon, sharing one image catalog. Nothing is
// opened when nothing needs building.
func (o *gradeOptions) backends(ctx context.Context, todo []grade.Student) ([]grade.Backend, func(), error) {
	need := slices.ContainsFunc(todo, func(s grade.Student) bool { return s.Missing == "" })
	if !need {
		return nil, func() {}, nil
	}
	eps, err := o.endpoints(o.TLS)
	if err != nil {
		if sandbox.IsEnvError(err) {
			return nil, nil, envErr(err)
		}
		return nil, nil, usageErr("%v", err)
	}
	warm := max(sandbox.DefaultPolicy().Timeout, o.Timeout)
	var out []grade.Backend
	var sbs []*sandbox.Sandbox
	closeAll := func() {
		for _, sb := range sbs {
			sb.Close()
		}
	}
	for i, ep := range eps {
		sb, err := o.sandboxOn(ctx, ep, o.sandboxFlags)
		if err != nil {
			closeAll()
			return nil, nil, asExit(err)
		}
		if i > 0 {
			sb.Contexts = sbs[0].Contexts // one catalog, built at most once
		}
		sbs = append(sbs, sb)
		out = append(out, &grade.SandboxBackend{Sandbox: sb, WarmTimeout: warm})
	}
	if o.Jobs == 0 {
		o.Jobs = 2 * len(out)
	}
	return out, closeAll, nil
}

func runGradeShow(ctx context.Context, o *gradeOptions, ref string) error {
	if err := o.validate(); err != nil {
		return err
	}
	st, err := openProgress(ctx, o.globalOptions)
	if err != nil {
		return err
	}
	defer st.Close()
	gr, err := grade.FindRun(ctx, st, ref, o.Exercise)
	if err != nil {
		return inputOrEnv(err)
	}
	run, _, err := grade.LoadRun(ctx, st, gr)
	if err != nil {
		return envErr(err)
	}
	// The exercise as the course has it now, for hints and for what every student was given.
	var given [][]byte
	if course, err := loadCourse(o.globalOptions); err == nil {
		if ex := course.Exercise(run.Exercise); ex != nil {
			run.Hints = ex.Hints
			if plan, err := planFor(course.FS, ex); err == nil {
				given = grade.Given(plan.Starter, plan.Reference, ex.Hints)
			}
		}
	}
	run.Summary.Similar, run.Summary.LikeGiven = grade.FindSimilar(run.Results, given, o.Similarity)
	return o.writeRun(run)
}

// writeRun writes the run in --format to stdout or --out (then the text summary goes to
// stdout too), and the feedback files.
func (o *gradeOptions) writeRun(run *grade.Run) error {
	var w io.Writer = o.Out
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
			grade.WriteText(o.Out, run)
			fmt.Fprintf(o.Out, "\n%s written to %s\n", o.Format, o.OutPath)
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
		fmt.Fprintf(o.Err, "stagecraft: %d feedback files in %s\n", len(files), o.Feedback)
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
