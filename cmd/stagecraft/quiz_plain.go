package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/stagecraft/stagecraft/lineui"
	"github.com/stagecraft/stagecraft/quiz"
	"github.com/stagecraft/stagecraft/study"
)

// runPlain asks the plan's questions on stdout and reads the answers from stdin, line by line.
func (o *quizOptions) runPlain(ctx context.Context, svc *study.Service, p *study.Plan, filter string, now time.Time) error {
	s := p.Session(now, o.Time)
	run := svc.NewRun(p, now)
	writeIntro(o.Out, p, filter, o.Time)
	prompts := 0
	runErr := lineui.RunQuiz(ctx, s, lineui.QuizOptions{In: o.In, Out: o.Out, Now: o.Now, Echo: !o.IsTerminal(o.In),
		OnPrompt: func() {
			prompts++
			if prompts == 1 {
				if o.Ready != nil {
					o.Ready()
				}
				// The run is written once the first question is on the screen, not before:
				// the write is not on the way to it. Saving an answer waits for it.
				go run.Begin(ctx)
			}
		},
		Record: func(r quiz.Response) error { return run.Record(ctx, r) },
	})
	end := o.Now()
	s.Finish(end)
	sum := quiz.Summarize(s, end)
	_, finishErr := run.Finish(ctx, s, sum, end)
	lineui.WriteSummary(o.Out, s, sum)
	if p.Mode == quiz.ModeReview {
		writeDueAfter(ctx, o.Out, svc, p, end)
	}
	return o.finish(sum, p, errors.Join(runErr, finishErr))
}

// writeIntro is what plain mode prints before the first question.
func writeIntro(w io.Writer, p *study.Plan, filter string, timeLimit time.Duration) {
	n := len(p.Questions)
	qs := countOf(n, "question", "questions")
	switch p.Mode {
	case quiz.ModeExam:
		limit := "no time limit"
		if timeLimit > 0 {
			limit = quiz.FormatDuration(timeLimit) + " to answer"
		}
		fmt.Fprintf(w, "Exam%s: %s drawn across difficulties (--seed %d draws them and their option order again), %s, pass mark %d%%.\n", filter, qs, p.Seed, limit, p.Pass)
		fmt.Fprintln(w, "No hints and no feedback until the end. Type each answer and press Enter; ? repeats the question, s skips it, q quits.")
	case quiz.ModeReview:
		fmt.Fprintf(w, "Review%s: %d due now, %d due today, %d due tomorrow.\n", filter, p.Due.Now, p.Due.Today, p.Due.Tomorrow)
		fmt.Fprintf(w, "This session: %s, %d due and %d new. Feedback after each answer; h asks for a hint, ? repeats, s skips, q quits.\n", qs, p.DueInRun, n-p.DueInRun)
	default:
		fmt.Fprintf(w, "%s%s: %s, pass mark %d%%. Feedback after each answer; h asks for a hint, ? repeats, s skips, q quits.\n", p.Title, filter, qs, p.Pass)
	}
	if p.Mode != quiz.ModeExam {
		fmt.Fprintf(w, "Options are shown in a new order each run; --seed %d shows this order again.\n", p.Seed)
	}
}

// writeDueAfter says, after a review, when the next reviews of the chosen questions come.
func writeDueAfter(ctx context.Context, w io.Writer, svc *study.Service, p *study.Plan, at time.Time) {
	if due, err := svc.DueAmong(context.WithoutCancel(ctx), p.Selected, at); err == nil {
		fmt.Fprintf(w, "Reviews now due: %d; later today: %d; tomorrow: %d.\n", due.Now, due.Today-due.Now, due.Tomorrow)
	}
}

// finish writes the report and turns the outcome into an exit status.
func (o *quizOptions) finish(sum quiz.Summary, p *study.Plan, runErr error) error {
	if o.Report != "" {
		if err := writeQuizReport(o.Report, sum); err != nil {
			return envErr(fmt.Errorf("writing the report: %w", err))
		}
		fmt.Fprintf(o.Out, "Report written to %s.\n", o.Report)
	}
	switch {
	case errors.Is(runErr, lineui.ErrInputEnded):
		saved := "no answer was given"
		if sum.Answered > 0 {
			saved = "the " + countOf(sum.Answered, "answer", "answers") + " given are saved"
			if sum.Answered == 1 {
				saved = "the 1 answer given is saved"
			}
		}
		return usageErr("%v: %s; give one answer per line (q quits)", runErr, saved)
	case errors.Is(runErr, context.Canceled):
		return nil // ctrl-c: like q, the answers are kept
	case runErr != nil:
		return envErr(runErr)
	case p.Mode == quiz.ModeExam && !sum.Passed:
		return failed()
	}
	return nil
}

func writeQuizReport(path string, sum quiz.Summary) error {
	var data []byte
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json":
		b, err := json.MarshalIndent(sum, "", "  ")
		if err != nil {
			return err
		}
		data = append(b, '\n')
	default:
		data = []byte(sum.Markdown(""))
	}
	return os.WriteFile(path, data, 0o644)
}
