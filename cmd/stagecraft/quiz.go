package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/stagecraft/stagecraft/lessons"
	"github.com/stagecraft/stagecraft/quiz"
	"github.com/stagecraft/stagecraft/study"
	"github.com/stagecraft/stagecraft/tui"
)

// quizOptions are the flags and dependencies of `stagecraft quiz`: which questions, which mode,
// and how to show them. What is asked, in which order, and what is recorded is the study
// service's; this command reads flags and input and writes output and an exit status.
type quizOptions struct {
	In       io.Reader
	Out, Err io.Writer
	// Study opens the study service (the course's questions, the store, the clock).
	Study func(context.Context) (*study.Service, error)
	// Course is the loaded course: the quiz screen names each missed question's lesson.
	Course func() (*lessons.Course, error)
	Now    func() time.Time
	// IsTerminal says whether a stream is a terminal: the quiz screen needs stdin and stdout
	// to be; typed input is echoed when stdin is not one.
	IsTerminal func(any) bool
	// RunTUI runs the interactive question screen; nil is tui.RunQuiz.
	RunTUI func(context.Context, tui.QuizOptions) (quiz.Summary, error)
	// Ready, when set, is called once the first question is on the screen (plain mode);
	// benchmarks measure the time to it.
	Ready func()

	Lessons, Modules, Tags, Difficulties []string
	Count                                int
	Shuffle                              bool
	Seed                                 uint64
	SeedSet                              bool
	Review, Exam                         bool
	Time                                 time.Duration
	Pass                                 int // -1: unset (the quiz's own pass_percent, else 70)
	Report                               string
	Plain                                bool
}

func newQuizOptions(f *factory) *quizOptions {
	return &quizOptions{In: f.In(), Out: f.Out(), Err: f.Err(), Study: f.Study, Course: f.Course, Now: f.Now,
		IsTerminal: f.IsTerminal, Pass: -1}
}

func newQuizCmd(f *factory) *cobra.Command {
	o := newQuizOptions(f)
	cmd := &cobra.Command{
		Use:   "quiz",
		Short: "Practice, review or sit an exam on the course's questions (no BuildKit needed)",
		Long:  quizLong,
		Example: `  stagecraft quiz --lesson stages-and-copy-from
  stagecraft quiz --review
  stagecraft quiz --exam --count 15 --time 20m --pass 70 --report exam.md
  printf 'a\nt\nq\n' | stagecraft quiz --plain --tag layers --count 2`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			defer f.Close()
			o.SeedSet = cmd.Flags().Changed("seed")
			if !cmd.Flags().Changed("pass") {
				o.Pass = -1
			}
			if !cmd.Flags().Changed("time") && o.Exam {
				o.Time = study.DefaultExamTime
			}
			return runQuiz(cmd.Context(), o)
		},
	}
	fl := cmd.Flags()
	fl.StringSliceVar(&o.Lessons, "lesson", nil, "only questions of this lesson (repeatable)")
	fl.StringSliceVar(&o.Modules, "module", nil, "only questions of this module (repeatable)")
	fl.StringSliceVar(&o.Tags, "tag", nil, "only questions with this tag (repeatable)")
	fl.StringSliceVar(&o.Difficulties, "difficulty", nil, "only easy, medium or hard questions (repeatable)")
	fl.IntVar(&o.Count, "count", 0, "at most N questions (exam default 10, review default 20, practice: all)")
	fl.BoolVar(&o.Shuffle, "shuffle", false, "mix the order of the questions")
	fl.Uint64Var(&o.Seed, "seed", 0, "the seed for --shuffle, the exam draw and the order options and items are shown in (default: from the clock)")
	fl.BoolVar(&o.Review, "review", false, "spaced-repetition review: due questions first, then new ones")
	fl.BoolVar(&o.Exam, "exam", false, "an exam: drawn across difficulties, timed, feedback only at the end")
	fl.DurationVar(&o.Time, "time", 0, "time limit, e.g. 20m (exam default 20m; 0: none)")
	fl.IntVar(&o.Pass, "pass", quiz.DefaultPassPercent, "pass mark in percent (unset: the quiz's own pass_percent when one lesson's whole quiz is asked)")
	fl.StringVar(&o.Report, "report", "", "write the score report to FILE.json or FILE.md")
	fl.BoolVar(&o.Plain, "plain", false, "no terminal UI: questions on stdout, answers line by line on stdin")
	cmd.AddCommand(newQuizExportCmd(f), newQuizImportCmd(f))
	return cmd
}

func runQuiz(ctx context.Context, o *quizOptions) error {
	if err := o.validate(); err != nil {
		return err
	}
	now := o.Now()
	svc, err := o.Study(ctx)
	if err != nil {
		return err
	}
	b, err := svc.Bank()
	if err != nil {
		return err
	}
	filter := o.filter()
	selected, err := study.Select(b, filter)
	if err != nil {
		return filterErr(err, filter)
	}
	req := study.Request{Count: o.Count, Shuffle: o.Shuffle, Seed: o.Seed, SeedSet: o.SeedSet, At: now}
	switch {
	case o.Exam:
		req.Mode = quiz.ModeExam
	case o.Review:
		req.Mode = quiz.ModeReview
	}
	if o.Pass != -1 {
		req.Pass, req.PassSet = o.Pass, true
	}
	plan, err := svc.Plan(ctx, selected, req)
	if err != nil {
		return envErr(err)
	}
	shown := describeFilter(filter)
	if shown != "" {
		shown = " (" + shown + ")"
	}
	if len(plan.Questions) == 0 { // review with nothing due and nothing new
		fmt.Fprintf(o.Out, "Nothing to review%s: every question has been answered and none is due now. Due later today: %d; tomorrow: %d.\n",
			shown, plan.Due.Today-plan.Due.Now, plan.Due.Tomorrow)
		return nil
	}
	if o.Plain || !o.IsTerminal(o.Out) || !o.IsTerminal(o.In) {
		return o.runPlain(ctx, svc, plan, shown, now)
	}
	return o.runTUI(ctx, svc, plan)
}

func (o *quizOptions) filter() study.Filter {
	return study.Filter{Lessons: o.Lessons, Modules: o.Modules, Tags: o.Tags, Difficulties: o.Difficulties}
}

// describeFilter is the filter as it was typed, for messages: "--lesson a --tag b".
func describeFilter(f study.Filter) string {
	var desc []string
	for _, l := range f.Lessons {
		desc = append(desc, "--lesson "+l)
	}
	for _, m := range f.Modules {
		desc = append(desc, "--module "+m)
	}
	for _, t := range f.Tags {
		desc = append(desc, "--tag "+t)
	}
	for _, d := range f.Difficulties {
		desc = append(desc, "--difficulty "+d)
	}
	return strings.Join(desc, " ")
}

// filterErr says in the command line's words what is wrong with the filter flags.
func filterErr(err error, f study.Filter) error {
	var unknown *study.UnknownError
	var none *study.NoMatchError
	switch {
	case errors.As(err, &unknown):
		return usageErr("--%v", unknown)
	case errors.As(err, &none) && none.NoQuestions:
		return usageErr("the course has no questions")
	case errors.As(err, &none) && none.WithoutDifficulty != "":
		return usageErr("no question matches %s: without --difficulty there are %s", describeFilter(f), none.WithoutDifficulty)
	case errors.As(err, &none):
		return usageErr("no question matches %s: each filter narrows the choice (a question must match all of them)", describeFilter(f))
	}
	return err
}

func (o *quizOptions) validate() error {
	if o.Review && o.Exam {
		return usageErr("--review and --exam are different modes: choose one")
	}
	if o.Count < 0 {
		return usageErr("--count %d: give a number of questions, 1 or more (0 for the default)", o.Count)
	}
	if o.Time < 0 {
		return usageErr("--time %s: give a duration like 20m, or 0 for no limit", o.Time)
	}
	if o.Pass != -1 && (o.Pass < 0 || o.Pass > 100) {
		return usageErr("--pass %d: the pass mark is a percentage, 0 to 100", o.Pass)
	}
	for _, d := range o.Difficulties {
		if err := study.CheckDifficulty(d); err != nil {
			return usageErr("--%v", err)
		}
	}
	if o.Report != "" {
		switch strings.ToLower(filepath.Ext(o.Report)) {
		case ".json", ".md", ".markdown":
		default:
			return usageErr("--report %s: name a .json or .md file (the format follows the extension)", o.Report)
		}
		if dir := filepath.Dir(o.Report); dir != "" {
			if st, err := os.Stat(dir); err != nil || !st.IsDir() {
				return usageErr("--report %s: the folder %s does not exist", o.Report, dir)
			}
		}
	}
	return nil
}

const quizLong = `quiz runs the course's questions on their own: to test yourself, revise before an interview
or run a class quiz. Choose questions with --lesson, --module, --tag and --difficulty (each
repeatable or comma-separated); --count N takes N of them, --shuffle mixes them. The options
of each question and the items to order are shown in a new order each run, unless the author
pinned it (shuffle: false); --seed N replays the same orders. Every answer is saved in the
progress store (--db, --learner), naming the options as the course file lists them (A is the
first option written), whatever letters they were shown with.

Modes:
  (default)  practice: the result, feedback and explanation after each answer; hints allowed.
  --review   the questions the spaced-repetition schedule says are due, most overdue first,
             then questions never answered (default --count 20); shows how many are due
             today and tomorrow.
  --exam     --count questions (default 10) drawn across difficulties and run easy to hard,
             a time limit (--time, default 20m; 0 for none) shown as a countdown, no hints and
             no feedback until the end; then a score report by difficulty and tag against the
             pass mark (--pass, default 70). --report FILE.json or FILE.md writes it.
             Exit status 1 when the exam is not passed.

Plain mode (--plain, or whenever stdin or stdout is not a terminal): questions are printed
numbered on stdout and answered one line at a time on stdin, for screen readers, scripts and
tests. What to type:
  single      a letter or the option's number, as shown: B  or  2
  multiple    the letters or numbers of every right option: A, C  or  1 3  or  AC
  true_false  t, f, true, false, yes or no
  short       the text
  order       the shown item numbers in the right order: 3 1 2 4
  spot_line   a line number of the code: 5
A line that is just h asks for the next hint (not in an exam), ? shows the question again,
s skips it, q quits (the answers given so far are kept); type \q to answer "q" itself.
An answer that does not fit says what is expected and asks again. If the input ends before
the quiz does, the answers given are kept and the exit status is 2.

Export and import for an LMS: see "stagecraft quiz export --help" and "quiz import --help".`
