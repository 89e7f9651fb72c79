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

// RunQuiz runs one quiz full screen and returns its summary. Quitting early (ctrl+c) ends the
// session: questions not reached count as unanswered.
func RunQuiz(ctx context.Context, opts QuizOptions) (quiz.Summary, error) {
	m := newQuizApp(ctx, opts)
	final, err := tea.NewProgram(m, programOptions(ctx, opts.In, opts.Out, opts.ProgramOptions)...).Run()
	if err != nil && !errors.Is(err, tea.ErrInterrupted) && !errors.Is(err, context.Canceled) {
		return quiz.Summary{}, err
	}
	fm, ok := final.(quizApp)
	if !ok {
		fm = m
	}
	return fm.QuizSummary(), nil
}

// quizApp is the root of `stagecraft quiz`: the quiz screen alone, with the footer, ending when
// the learner closes the results.
type quizApp struct {
	c        *Common
	quiz     *quizModel
	shell    shell
	quitting bool
}

func newQuizApp(ctx context.Context, opts QuizOptions) quizApp {
	course := opts.Course
	if course == nil {
		course = &lessons.Course{}
	}
	svc := opts.Study
	if svc == nil {
		svc = study.New(study.Config{Course: course})
	}
	o := &Options{Study: svc, Course: course, Dark: opts.Dark, NoColor: opts.NoColor}
	c := &Common{Styles: DefaultStyles(o.Dark, o.NoColor), Keys: DefaultKeyMap(), Width: 80, Height: 24, Opts: o, Ctx: ctx}
	q := newQuizModel(c, configOf(opts.Plan, opts.TimeLimit))
	return quizApp{c: c, quiz: q, shell: newShell(c)}
}

// Init starts the quiz and asks the terminal for its background.
func (a quizApp) Init() tea.Cmd { return tea.Batch(tea.RequestBackgroundColor, a.quiz.Init()) }

func (a quizApp) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.c.Width, a.c.Height = msg.Width, msg.Height
		a.shell.setWidth(msg.Width)
		return a, a.quiz.SetSize(a.c.Width, a.c.bodyHeight())
	case tea.BackgroundColorMsg:
		a.shell.setDark(msg.IsDark())
		return a, nil
	case statusMsg:
		a.shell.status = string(msg)
		return a, nil
	case progressChangedMsg:
		return a, nil // nothing on this screen shows progress
	case quizDoneMsg:
		a.quitting = true
		return a, tea.Quit
	case tea.KeyPressMsg:
		// Every other key is the quiz's: esc too, which closes the results and so ends the app.
		used, quit := a.shell.key(msg, a.quiz.Typing())
		if quit {
			a.quitting = true
			return a, tea.Quit
		}
		if used {
			return a, nil
		}
	}
	_, cmd := a.quiz.Update(msg)
	return a, cmd
}

func (a quizApp) View() tea.View {
	return fullScreen(a.Render())
}

// Render is the frame as a string (tests compare it with golden files).
func (a quizApp) Render() string {
	if a.quitting {
		return ""
	}
	return a.shell.render(a.quiz, true)
}

// QuizSummary is the summary of the quiz, finishing it now if it is still running.
func (a quizApp) QuizSummary() quiz.Summary { return a.quiz.Summary() }
