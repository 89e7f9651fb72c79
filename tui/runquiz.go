package tui

import (
	"context"
	"errors"
	"io"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/stagecraft/stagecraft/lessons"
	"github.com/stagecraft/stagecraft/progress"
	"github.com/stagecraft/stagecraft/quiz"
)

// QuizOptions configure a quiz on its own (`stagecraft quiz`).
type QuizOptions struct {
	Title       string
	Questions   []*quiz.Question
	Mode        quiz.Mode     // practice, review or exam
	TimeLimit   time.Duration // 0: none; exam mode shows a countdown
	PassPercent int           // 0: quiz.DefaultPassPercent
	// Seed, when SeedSet, decides the order options and items are shown in: the same seed shows
	// the same order again (stagecraft quiz --seed). Otherwise each run takes one from the clock.
	Seed    uint64
	SeedSet bool
	// Store, when set, saves every answer as it is given (and the run, when QuizID is set).
	Store       *progress.Store
	Learner     string
	QuizID      string
	ContentHash string
	// LessonID is the lesson whose quiz this is: passing it completes the lesson.
	LessonID string
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
	m := New(ctx, Options{Course: course, Store: opts.Store, Learner: opts.Learner, Dark: opts.Dark, NoColor: opts.NoColor})
	m.quizOnly = true
	m.screen = screenQuiz
	m.quiz = newQuizModel(m.c, quizConfig{Title: opts.Title, QuizID: opts.QuizID, LessonID: opts.LessonID, Questions: opts.Questions,
		Mode: opts.Mode, TimeLimit: opts.TimeLimit, PassPercent: opts.PassPercent, ContentHash: opts.ContentHash, Seed: opts.Seed, SeedSet: opts.SeedSet})
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
