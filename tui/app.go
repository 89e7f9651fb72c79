// Package tui is stagecraft's terminal app: the course map, the lesson reader, quizzes, the
// exercise workbench on BuildKit and the stats. It is the only package that imports Bubble Tea
// and Lip Gloss; it reaches the learner's use cases (progress, quizzes, reviews, exercise plans
// and attempts) through a study.Service and the sandbox through Options.
//
// The app is a shell around screens: each screen (the map, a lesson, a quiz, an exercise, the
// stats) implements Screen, the root model keeps a stack of them and draws the top one above the
// footer, and screens ask for another screen with messages. `stagecraft quiz` has its own small
// root around the quiz screen (RunQuiz).
package tui

import (
	"context"
	"errors"
	"io"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/stagecraft/stagecraft/lessons"
	"github.com/stagecraft/stagecraft/progress"
	"github.com/stagecraft/stagecraft/sandbox/check"
	"github.com/stagecraft/stagecraft/study"
)

// Checker is what the exercise screen needs of the sandbox (check.Checker has it).
type Checker interface {
	Check(ctx context.Context, plan check.Plan, sub check.Submission, events chan<- check.Event) (*check.Report, error)
}

// DoctorLine is one line of `stagecraft doctor`, shown when BuildKit cannot be reached.
type DoctorLine struct {
	Name, Detail, Fix string
	OK                bool
}

// Options are the app's dependencies. Study (or Course) is required; the rest may be nil or
// zero, and the app then does without (no sandbox: exercises show the fix).
type Options struct {
	// Study is the learner's use cases on the course and the store: every rule of progress the
	// app applies comes from it, the same as from the command line. Nil is a service on Course
	// without a store: nothing is saved.
	Study *study.Service
	// Course is the course the app shows; nil is the Study's course.
	Course   *lessons.Course
	Renderer *lessons.Renderer

	// OpenSandbox connects to BuildKit; it is called on the first check, in a Cmd.
	OpenSandbox func(ctx context.Context) (Checker, error)
	// Doctor says what is wrong with BuildKit and how to fix it.
	Doctor func(ctx context.Context) []DoctorLine
	// Prepare, when set, runs once in the background as the app opens: it gets ready what the
	// first check needs (the daemon, the image catalog) while the learner reads.
	Prepare func(ctx context.Context)
	// Activity carries lines from work going on in the background (Prepare, a catalog build
	// during a check); the latest shows above the footer. Nothing is written to the terminal.
	Activity <-chan string

	// WorkspaceDir holds the learner's exercise folders: <WorkspaceDir>/<exercise>/.
	WorkspaceDir string
	// Editor is the command line of the learner's editor; "" picks $VISUAL, $EDITOR, nano, vi.
	Editor string

	Now     func() time.Time
	Dark    bool // the starting guess; the terminal's answer replaces it
	NoColor bool

	In  io.Reader
	Out io.Writer
	// manualClock: tests send the quiz's clock ticks themselves.
	manualClock bool

	// ProgramOptions are extra options for the Bubble Tea program (tests use WithWindowSize…).
	ProgramOptions []tea.ProgramOption
}

func (o *Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// Common is what every screen shares.
type Common struct {
	Styles        Styles
	Keys          KeyMap
	Width, Height int
	Opts          *Options
	Ctx           context.Context
}

// bodyHeight is what a screen gets of the window: all but the footer and the activity line.
func (c *Common) bodyHeight() int { return max(c.Height-2, 3) }

// Screen is one screen of the app, the shape of a component: it updates on messages, draws
// itself at the size it is given and names its keys. The root keeps a stack of screens: the top
// one gets the keys and the mouse, every one on the stack gets the other messages (the summary
// after a save, a lesson's render that finishes while a quiz is over it). A screen asks for another with a message
// (openLessonMsg, backMsg, …); the root never reads a screen's fields. A new screen takes the
// window's size from Common; SetSize tells it of a change.
type Screen interface {
	Init() tea.Cmd
	Update(msg tea.Msg) (Screen, tea.Cmd)
	View() string
	SetSize(w, h int) tea.Cmd
	// Keys are the screen's bindings now, for the footer and the full help.
	Keys() help.KeyMap
	// Typing: a text field has the keys, so ?, esc and letters are the field's.
	Typing() bool
	// OwnsEsc: esc closes something open on the screen (a filter, a prompt) instead of leaving it.
	OwnsEsc() bool
	// Close is called when the learner leaves the screen for good: a running check stops.
	Close()
}

// legend is a screen's text for the full help beside its keys (what the map's marks mean).
type legend interface{ Legend() string }

// Messages the root acts on: screens send them to open another screen or leave their own.
type (
	openLessonMsg   struct{ ID string }
	openQuizMsg     struct{ LessonID string }
	openExerciseMsg struct{ ID string }
	openReviewsMsg  struct{}
	openStatsMsg    struct{}
	backMsg         struct{}
	// progressChangedMsg asks the root to reload the summary after a write.
	progressChangedMsg struct{}
	// statusMsg is a line for the footer (a failed write, a notice).
	statusMsg string
	// activityMsg is the latest line of background work (Options.Activity).
	activityMsg string
)

// Messages the root sends to every screen on the stack.
type (
	// summaryMsg is the learner's progress, loaded again after every change.
	summaryMsg struct {
		sum progress.Summary
		err error
	}
	// lessonOpenedMsg: a lesson is on screen (the map keeps its cursor on it).
	lessonOpenedMsg struct{ ID string }
)

// Model is the app's root: a stack of screens, the course map at the bottom, and the footer.
type Model struct {
	c        *Common
	stack    []Screen
	shell    shell
	summary  progress.Summary
	quitting bool
}

// New returns the app on the course map.
func New(ctx context.Context, opts Options) Model {
	if opts.Renderer == nil {
		opts.Renderer = lessons.NewRenderer()
	}
	if opts.Course == nil && opts.Study != nil {
		opts.Course, _ = opts.Study.Course()
	}
	if opts.Study == nil {
		opts.Study = study.New(study.Config{Course: opts.Course, Now: opts.Now})
	}
	c := &Common{Styles: DefaultStyles(opts.Dark, opts.NoColor), Keys: DefaultKeyMap(), Width: 80, Height: 24, Opts: &opts, Ctx: ctx}
	return Model{c: c, shell: newShell(c), stack: []Screen{newHome(c)}}
}

// Init loads the progress summary and asks the terminal for its background.
func (m Model) Init() tea.Cmd {
	o, ctx := m.c.Opts, m.c.Ctx
	cmds := []tea.Cmd{tea.RequestBackgroundColor, m.top().Init(), loadSummary(m.c)}
	if o.Activity != nil {
		cmds = append(cmds, waitActivity(o.Activity))
	}
	if o.Prepare != nil {
		cmds = append(cmds, func() tea.Msg { o.Prepare(ctx); return nil })
	}
	return tea.Batch(cmds...)
}

// waitActivity waits for the next line of background work.
func waitActivity(ch <-chan string) tea.Cmd {
	return func() tea.Msg {
		if line, ok := <-ch; ok {
			return activityMsg(line)
		}
		return nil
	}
}

func (m Model) top() Screen { return m.stack[len(m.stack)-1] }

// Update handles the window, global keys and navigation here and routes the rest to the screens.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.c.Width, m.c.Height = msg.Width, msg.Height
		m.shell.setWidth(msg.Width)
		var cmds []tea.Cmd
		for _, s := range m.stack {
			cmds = append(cmds, s.SetSize(m.c.Width, m.c.bodyHeight()))
		}
		return m, tea.Batch(cmds...)
	case tea.BackgroundColorMsg:
		if !m.shell.setDark(msg.IsDark()) {
			return m, nil
		}
		return m, m.toAll(msg) // the lesson renders again in the new style
	case summaryMsg:
		if msg.err != nil {
			m.shell.status = "progress: " + msg.err.Error()
			msg = summaryMsg{sum: m.c.Opts.Study.EmptySummary()}
		}
		m.summary = msg.sum
		return m, m.toAll(msg)
	case progressChangedMsg:
		return m, loadSummary(m.c)
	case statusMsg:
		m.shell.status = string(msg)
		return m, nil
	case activityMsg:
		m.shell.activity = string(msg)
		return m, waitActivity(m.c.Opts.Activity)
	case openLessonMsg:
		return m, m.openLesson(msg.ID)
	case openQuizMsg:
		return m, m.openQuiz(msg.LessonID)
	case openReviewsMsg:
		return m, m.openReviews()
	case openExerciseMsg:
		return m, m.openExercise(msg.ID)
	case openStatsMsg:
		return m, m.show(newStats(m.c, m.summary))
	case openNextMsg:
		return m, m.openNext(msg.From)
	case backMsg, quizDoneMsg:
		return m, m.back()
	case tea.KeyPressMsg:
		top := m.top()
		used, quit := m.shell.key(msg, top.Typing())
		switch {
		case quit:
			m.quitting = true
			m.closeAll()
			return m, tea.Quit
		case used:
			return m, nil
		case key.Matches(msg, m.c.Keys.Global.Back) && !top.Typing() && !top.OwnsEsc():
			if len(m.stack) == 1 {
				return m, nil
			}
			return m, m.back()
		}
	}
	return m, m.route(msg)
}

// route gives input to the screen on top and every other message to each screen on the stack.
func (m Model) route(msg tea.Msg) tea.Cmd {
	switch msg.(type) {
	case tea.KeyMsg, tea.MouseMsg, tea.PasteMsg, tea.PasteStartMsg, tea.PasteEndMsg:
		var cmd tea.Cmd
		m.stack[len(m.stack)-1], cmd = m.top().Update(msg)
		return cmd
	}
	return m.toAll(msg)
}

// toAll delivers msg to every screen on the stack.
func (m Model) toAll(msg tea.Msg) tea.Cmd {
	var cmds []tea.Cmd
	for i, s := range m.stack {
		var cmd tea.Cmd
		m.stack[i], cmd = s.Update(msg)
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}

func (m Model) closeAll() {
	for _, s := range m.stack {
		s.Close()
	}
}

// View draws the active screen and the footer.
func (m Model) View() tea.View {
	return fullScreen(m.Render())
}

// Render is the frame as a string (tests compare it with golden files). Back is offered on
// every screen but the map.
func (m Model) Render() string {
	if m.quitting {
		return ""
	}
	return m.shell.render(m.top(), len(m.stack) > 1)
}

// Run runs the app until the learner quits.
func Run(ctx context.Context, opts Options) error {
	m := New(ctx, opts)
	final, err := tea.NewProgram(m, programOptions(ctx, opts.In, opts.Out, opts.ProgramOptions)...).Run()
	if fm, ok := final.(Model); ok {
		fm.closeAll()
	}
	if errors.Is(err, tea.ErrInterrupted) || errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// programOptions are the Bubble Tea options of both apps: the context, the streams, then extras.
func programOptions(ctx context.Context, in io.Reader, out io.Writer, extra []tea.ProgramOption) []tea.ProgramOption {
	popts := []tea.ProgramOption{tea.WithContext(ctx)}
	if in != nil {
		popts = append(popts, tea.WithInput(in))
	}
	if out != nil {
		popts = append(popts, tea.WithOutput(out))
	}
	return append(popts, extra...)
}
