package main

import (
	"context"
	"fmt"
	"os"

	"github.com/stagecraft/stagecraft/quiz"
	"github.com/stagecraft/stagecraft/study"
	"github.com/stagecraft/stagecraft/tui"
)

// runTUI asks the plan's questions on the full-screen quiz screen, which records them through
// the same study service as plain mode.
func (o *quizOptions) runTUI(ctx context.Context, svc *study.Service, p *study.Plan) error {
	run := o.RunTUI
	if run == nil {
		run = tui.RunQuiz
	}
	// The screen names the lesson of each missed question when it has the course; a course
	// that does not load in full (an exercise broken, say) still runs its quiz.
	c, _ := o.Course()
	sum, err := run(ctx, tui.QuizOptions{Study: svc, Plan: p, TimeLimit: o.Time, Course: c,
		NoColor: os.Getenv("NO_COLOR") != "", Dark: true, In: o.In, Out: o.Out})
	if err != nil {
		return envErr(fmt.Errorf("running the quiz screen: %w", err))
	}
	verdict := "not passed"
	if sum.Passed {
		verdict = "passed"
	}
	fmt.Fprintf(o.Out, "%s: %d/%d points, %s (pass mark %d%%); %d of %d answered.\n", p.Title, sum.Score, sum.MaxScore, verdict, sum.PassPercent, sum.Answered, sum.Total)
	if p.Mode == quiz.ModeReview {
		writeDueAfter(ctx, o.Out, svc, p, o.Now())
	}
	return o.finish(sum, p, nil)
}
