package tui

import (
	"context"
	"errors"
	"io"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/stagecraft/stagecraft/lessons"
	"github.com/stagecraft/stagecraft/quiz"
	"github.com/stagecraft/stagecraft/study"
)

// QuizOptions configure a quiz on its own (`stagecraft quiz`).
type QuizOptions struct {
	// Study records the run (nil: nothing is saved); Plan is what it asks, as the service
	// planned it: questions, mode, pass mark, the seed of the shown order, the quiz it counts for.
	Study     *study.Service
	Plan      *study.Plan
	TimeLimit time.Duration // 0: none; exam mode shows a countdown
	// Course, when set, names each missed question's lesson in the summary.
	Course *lessons.Course

	Dark, NoColor  bool
	In             io.Reader
	Out            io.Writer
	ProgramOptions []tea.ProgramOption
}

// RunQuiz runs one quiz full screen and returns its summary. Quitting early (esc, ctrl+c)
// ends the session: questions not reached count as unanswered.
func RunQuiz(ctx context.Context, opts QuizOptions) (quiz.Summary, error) {
	m := newQuizApp(ctx, opts)
	popts := []tea.ProgramOption{tea.WithContext(ctx)}
	if opts.In != nil {
		popts = append(popts, tea.WithInput(opts.In))
	}
	if opts.Out != nil {
		popts = append(popts, tea.WithOutput(opts.Out))
	}
	popts = append(popts, opts.ProgramOptions...)
	final, err := tea.NewProgram(m, popts...).Run()
	if err != nil && !errors.Is(err, tea.ErrInterrupted) && !errors.Is(err, context.Canceled) {
		return quiz.Summary{}, err
	}
	fm, ok := final.(Model)
	if !ok {
		fm = m
	}
	return fm.QuizSummary(), nil
}

func newQuizApp(ctx context.Context, opts QuizOptions) Model {
	course := opts.Course
	if course == nil {
		course = &lessons.Course{}
	}
	svc := opts.Study
	if svc == nil {
		svc = study.New(study.Config{Course: course})
	}
	m := New(ctx, Options{Study: svc, Course: course, Dark: opts.Dark, NoColor: opts.NoColor})
	m.quizOnly = true
	m.screen = screenQuiz
	m.quiz = newQuizModel(m.c, configOf(opts.Plan, opts.TimeLimit))
	return m
}

// QuizSummary is the summary of the quiz on screen, finishing it now if it is still running.
func (m Model) QuizSummary() quiz.Summary {
	if m.quiz.summary != nil {
		return *m.quiz.summary
	}
	if m.quiz.sess == nil {
		return quiz.Summary{}
	}
	now := m.c.Opts.now()
	m.quiz.sess.Finish(now)
	return quiz.Summarize(m.quiz.sess, now)
}
