package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/stagecraft/stagecraft/progress"
)

// resetOptions are the flags and dependencies of `stagecraft reset`.
type resetOptions struct {
	In      io.Reader
	Out     io.Writer
	Store   func(context.Context) (*progress.Store, error)
	Learner func() string
	// Outline gives the course outline (what a lesson or exercise id is).
	Outline func() (progress.Outline, error)
	// Terminal reports whether the confirmation can be asked; nil checks that stdin is a terminal.
	Terminal func() bool

	Target string // a lesson or exercise id; "" with All
	All    bool
	Yes    bool
}

func newResetOptions(f *factory) *resetOptions {
	return &resetOptions{In: f.In(), Out: f.Out(), Store: f.Store, Learner: f.Learner, Outline: f.Outline}
}

func newResetCmd(f *factory) *cobra.Command {
	o := newResetOptions(f)
	cmd := &cobra.Command{
		Use:   "reset EXERCISE|LESSON|--all",
		Short: "Forget your progress in an exercise, a lesson, or the whole course",
		Long: `reset deletes the learner's progress in one exercise (its attempts), one lesson (its reads and
completion, its quiz runs and answers, the review cards of its questions, and the attempts at its
exercises), or with --all everything the learner did. Other learners are not touched.

It asks for confirmation when run in a terminal; elsewhere (scripts, CI) it needs --yes.`,
		Args: func(cmd *cobra.Command, args []string) error {
			switch {
			case o.All && len(args) > 0:
				return usageErr("reset takes an exercise or lesson id, or --all, not both")
			case !o.All && len(args) != 1:
				return usageErr("reset needs an exercise or lesson id, or --all")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			defer f.Close()
			if len(args) == 1 {
				o.Target = args[0]
			}
			return runReset(cmd.Context(), o)
		},
	}
	cmd.Flags().BoolVar(&o.All, "all", false, "reset all of the learner's progress")
	cmd.Flags().BoolVarP(&o.Yes, "yes", "y", false, "do not ask for confirmation")
	return cmd
}

func runReset(ctx context.Context, o *resetOptions) error {
	learner := o.Learner()
	st, err := o.Store(ctx)
	if err != nil {
		return err
	}
	var (
		what   string
		lesson *progress.OutlineLesson
	)
	switch {
	case o.All:
		what = fmt.Sprintf("ALL progress of %s (every lesson, quiz answer, review card and exercise attempt)", learner)
	default:
		outline, err := o.Outline()
		if err != nil {
			return err
		}
		l, isLesson := outline.Lesson(o.Target)
		isExercise := outline.HasExercise(o.Target)
		if !isLesson && !isExercise {
			// Not in the course (any more): progress may still be kept under the id.
			atts, err := st.Attempts(ctx, learner, o.Target)
			if err != nil {
				return envErr(err)
			}
			reads, err := st.Reads(ctx, learner, o.Target)
			if err != nil {
				return envErr(err)
			}
			isExercise, isLesson = len(atts) > 0, len(reads) > 0
			l = progress.OutlineLesson{ID: o.Target}
		}
		switch {
		case isLesson:
			lesson = &l
			what = fmt.Sprintf("the progress of %s in lesson %s (reads, quiz runs and answers, review cards", learner, o.Target)
			if len(l.ExerciseIDs) > 0 {
				what += ", attempts at " + strings.Join(l.ExerciseIDs, ", ")
			}
			what += ")"
		case isExercise:
			what = fmt.Sprintf("the attempts of %s at exercise %s", learner, o.Target)
		default:
			return usageErr("no lesson or exercise %q in the course or in %s's progress (stagecraft progress lists them)", o.Target, learner)
		}
	}

	if !o.Yes {
		if !o.terminal() {
			return usageErr("reset deletes progress and needs confirmation: run it in a terminal, or add --yes")
		}
		fmt.Fprintf(o.Out, "Reset %s? This cannot be undone. [y/N] ", what)
		answer, _ := bufio.NewReader(o.In).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
			fmt.Fprintln(o.Out, "Nothing was reset.")
			return nil
		}
	}

	var rm progress.Removed
	switch {
	case o.All:
		rm, err = st.ResetLearner(ctx, learner)
	case lesson != nil:
		rm, err = st.ResetLesson(ctx, learner, *lesson)
	default:
		rm, err = st.ResetExercise(ctx, learner, o.Target)
	}
	if err != nil {
		return envErr(err)
	}
	if rm.Total() == 0 {
		fmt.Fprintf(o.Out, "Nothing to reset: %s has no progress there.\n", learner)
		return nil
	}
	fmt.Fprintf(o.Out, "Reset: removed %s (%d reads, %d completions, %d quiz runs, %d answers, %d review cards, %d attempts).\n",
		progressPlural(rm.Total(), "record"), rm.Reads, rm.Completions, rm.QuizRuns, rm.Answers, rm.Cards, rm.Attempts)
	return nil
}

func (o *resetOptions) terminal() bool {
	if o.Terminal != nil {
		return o.Terminal()
	}
	return readerIsTerminal(o.In)
}

// readerIsTerminal reports whether r is a terminal a person can answer on.
func readerIsTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
