package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/stagecraft/stagecraft/grade"
)

// gradeShowOptions are the inputs of `stagecraft grade show RUN`.
type gradeShowOptions struct {
	*globalOptions
	Ref      string
	Exercise string // with Ref "last": the last run of this exercise
	output   gradeOutput
}

func newGradeShowCmd(g *globalOptions) *cobra.Command {
	o := &gradeShowOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "show RUN",
		Short: "Print a saved grading run again (RUN is its id, or \"last\")",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Ref = args[0]
			return runGradeShow(cmd.Context(), o)
		},
	}
	o.output.register(cmd.Flags())
	cmd.Flags().StringVar(&o.Exercise, "exercise", "", "with RUN \"last\": the last run of this exercise")
	return cmd
}

func runGradeShow(ctx context.Context, o *gradeShowOptions) error {
	if err := o.output.validate(); err != nil {
		return err
	}
	st, err := openProgress(ctx, o.globalOptions)
	if err != nil {
		return err
	}
	defer st.Close()
	run, err := grade.Show(ctx, grade.ShowOptions{Store: st, Ref: o.Ref, Exercise: o.Exercise,
		Similarity: grade.DefaultSimilarity, Current: o.currentExercise})
	if err != nil {
		return inputOrEnv(err)
	}
	return o.output.write(o.Out, o.Err, run)
}

// currentExercise is the exercise as the course has it now; nil when the course does not load
// or has no such exercise, and without a plan when the exercise does not turn into one.
func (o *gradeShowOptions) currentExercise(id string) *grade.Exercise {
	course, err := loadCourse(o.globalOptions)
	if err != nil {
		return nil
	}
	ex := course.Exercise(id)
	if ex == nil {
		return nil
	}
	cur := &grade.Exercise{ID: ex.ID, Title: ex.Title, Hints: ex.Hints}
	if plan, err := planFor(course.FS, ex); err == nil {
		cur.Plan = plan
	}
	return cur
}
