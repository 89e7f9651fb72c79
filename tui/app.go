// Package tui is stagecraft's terminal app: the course map, the lesson reader, quizzes, the
// exercise workbench on BuildKit and the stats. It is the only package that imports Bubble Tea
// and Lip Gloss; it reaches the learner's use cases (progress, quizzes, reviews, exercise plans
// and attempts) through a study.Service and the sandbox through Options.
package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

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

type screen int

const (
	screenHome screen = iota
	screenLesson
	screenQuiz
	screenExercise
	screenStats
)

// Messages the root switches screens on.
type (
	openLessonMsg   struct{ ID string }
	openQuizMsg     struct{ LessonID string }
	openExerciseMsg struct{ ID string }
	openReviewsMsg  struct{}
	openStatsMsg    struct{}
	backMsg         struct{}
	// progressChangedMsg asks the root to reload the summary after a write.
	progressChangedMsg struct{}
	summaryMsg         struct {
		sum progress.Summary
		err error
	}
	// statusMsg is a line for the footer (a failed write, a notice).
	statusMsg string
	// activityMsg is the latest line of background work (Options.Activity).
	activityMsg string
)

// Model is the root model: it owns the screens and switches between them.
type Model struct {
	c        *Common
	screen   screen
	prev     []screen
	home     homeModel
	lesson   lessonModel
	quiz     quizModel
	exercise exerciseModel
	stats    statsModel
	help     help.Model
	showHelp bool
	status   string
	activity string // the latest line of background work
	summary  progress.Summary
	loaded   bool
	quitting bool
	quizOnly bool // RunQuiz: the quiz is the whole app
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
	m := Model{c: c, help: help.New()}
	m.help.Styles = help.DefaultStyles(opts.Dark)
	m.home = newHome(c)
	m.lesson = newLesson(c)
	m.stats = newStats(c)
	return m
}

// Init loads the progress summary and asks the terminal for its background.
func (m Model) Init() tea.Cmd {
	cmds := []tea.Cmd{tea.RequestBackgroundColor}
	if m.quizOnly {
		cmds = append(cmds, m.quiz.Init())
	} else {
		cmds = append(cmds, loadSummary(m.c))
	}
	o, ctx := m.c.Opts, m.c.Ctx
	if o.Activity != nil {
		cmds = append(cmds, waitActivity(o.Activity))
	}
	if o.Prepare != nil && !m.quizOnly {
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

func loadSummary(c *Common) tea.Cmd {
	o := c.Opts
	ctx := c.Ctx
	return func() tea.Msg {
		s, err := o.Study.Summary(ctx)
		return summaryMsg{sum: s, err: err}
	}
}

// Update routes messages: global keys and screen switches here, the rest to the active screen.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.c.Width, m.c.Height = msg.Width, msg.Height
		m.help.SetWidth(msg.Width)
		return m, m.resize()
	case tea.BackgroundColorMsg:
		dark := msg.IsDark()
		if dark == m.c.Styles.Dark {
			return m, nil
		}
		m.c.Opts.Dark = dark
		m.c.Styles = DefaultStyles(dark, m.c.Opts.NoColor)
		m.help.Styles = help.DefaultStyles(dark)
		return m, m.lesson.rerender()
	case summaryMsg:
		if msg.err != nil {
			m.status = "progress: " + msg.err.Error()
			msg.sum = m.c.Opts.Study.EmptySummary()
		}
		first := !m.loaded
		m.summary, m.loaded = msg.sum, true
		m.home.setSummary(msg.sum, first)
		m.stats.setSummary(msg.sum)
		return m, nil
	case progressChangedMsg:
		return m, loadSummary(m.c)
	case statusMsg:
		m.status = string(msg)
		return m, nil
	case activityMsg:
		m.activity = string(msg)
		return m, waitActivity(m.c.Opts.Activity)
	case openLessonMsg:
		return m.openLesson(msg.ID)
	case openQuizMsg:
		return m.openQuiz(msg.LessonID)
	case openReviewsMsg:
		return m.openReviews()
	case openExerciseMsg:
		return m.openExercise(msg.ID)
	case openNextMsg:
		return m.openNext(msg.From)
	case openStatsMsg:
		m.push(screenStats)
		return m, m.stats.load()
	case backMsg:
		return m.back()
	case quizDoneMsg:
		if m.quizOnly {
			m.quitting = true
			return m, tea.Quit
		}
		return m.back()
	case tea.KeyPressMsg:
		m.status = ""
		keys := m.c.Keys.Global
		switch {
		case key.Matches(msg, keys.Quit):
			m.quitting = true
			m.exercise.stop()
			return m, tea.Quit
		case m.showHelp:
			if key.Matches(msg, keys.Help, keys.Back) || msg.String() == "q" {
				m.showHelp = false
			}
			return m, nil
		case key.Matches(msg, keys.Help) && !m.typing():
			m.showHelp = true
			return m, nil
		case key.Matches(msg, keys.Back) && !m.typing() && !m.screenHandlesBack():
			if m.screen == screenHome {
				return m, nil
			}
			return m.back()
		}
	}
	return m.updateScreen(msg)
}

// typing reports whether a text field has the keys (the filter, a short answer).
func (m Model) typing() bool {
	switch m.screen {
	case screenHome:
		return m.home.filtering
	case screenQuiz:
		return m.quiz.typing()
	}
	return false
}

// screenHandlesBack: a screen with an open prompt closes it on esc itself.
func (m Model) screenHandlesBack() bool {
	switch m.screen {
	case screenHome:
		return m.home.filter.Value() != ""
	case screenExercise:
		return m.exercise.confirmReset || m.exercise.showSolution
	case screenQuiz:
		return m.quizOnly && !m.quiz.finished()
	}
	return false
}

func (m Model) updateScreen(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch m.screen {
	case screenHome:
		m.home, cmd = m.home.Update(msg)
	case screenLesson:
		m.lesson, cmd = m.lesson.Update(msg)
	case screenQuiz:
		m.quiz, cmd = m.quiz.Update(msg)
	case screenExercise:
		m.exercise, cmd = m.exercise.Update(msg)
	case screenStats:
		m.stats, cmd = m.stats.Update(msg)
	}
	// Messages of screens in the background (a late render, a finished save) still land.
	if m.screen != screenLesson {
		if _, ok := msg.(lessonRenderedMsg); ok {
			m.lesson, _ = m.lesson.Update(msg)
		}
	}
	if m.screen != screenExercise {
		switch msg.(type) {
		case checkEventMsg, checkDoneMsg, fileChangedMsg, editorDoneMsg:
			var c2 tea.Cmd
			m.exercise, c2 = m.exercise.Update(msg)
			cmd = tea.Batch(cmd, c2)
		}
	}
	return m, cmd
}

func (m *Model) push(s screen) {
	if m.screen != s {
		m.prev = append(m.prev, m.screen)
	}
	m.screen = s
}

func (m Model) back() (tea.Model, tea.Cmd) {
	if m.screen == screenExercise {
		m.exercise.stop()
	}
	if len(m.prev) == 0 {
		m.screen = screenHome
	} else {
		m.screen = m.prev[len(m.prev)-1]
		m.prev = m.prev[:len(m.prev)-1]
	}
	return m, loadSummary(m.c)
}

func (m Model) openLesson(id string) (tea.Model, tea.Cmd) {
	l := m.c.Opts.Course.Lesson(id)
	if l == nil {
		return m, nil
	}
	if m.screen != screenLesson {
		m.push(screenLesson)
	}
	ls, _ := m.summary.Lesson(id)
	cmd := m.lesson.open(l, ls.Read)
	m.home.selectLesson(id)
	return m, cmd
}

func (m Model) openQuiz(lessonID string) (tea.Model, tea.Cmd) {
	o := m.c.Opts
	p, err := o.Study.LessonQuiz(m.c.Ctx, lessonID, study.Request{At: o.now()})
	switch {
	case err != nil:
		m.status = "quiz: " + err.Error()
		return m, nil
	case p == nil:
		m.status = "this lesson has no quiz"
		return m, nil
	}
	m.quiz = newQuizModel(m.c, configOf(p, 0))
	m.push(screenQuiz)
	return m, m.quiz.Init()
}

func (m Model) openReviews() (tea.Model, tea.Cmd) {
	o := m.c.Opts
	if !o.Study.Saves() {
		m.status = "no progress store: reviews need one"
		return m, nil
	}
	// The review `stagecraft quiz --review` runs: due questions first, then ones never answered.
	p, err := o.Study.Review(m.c.Ctx, study.Request{At: o.now()})
	if err != nil {
		m.status = "reviews: " + err.Error()
		return m, nil
	}
	if len(p.Questions) == 0 {
		m.status = noReviewsYet(p.Due)
		return m, nil
	}
	m.quiz = newQuizModel(m.c, configOf(p, 0))
	m.push(screenQuiz)
	return m, m.quiz.Init()
}

// noReviewsYet says when the next reviews come due, so "later" has a time.
func noReviewsYet(d progress.DueCounts) string {
	switch {
	case d.Today > d.Now:
		return fmt.Sprintf("no reviews due yet: %d come due later today", d.Today-d.Now)
	case d.Tomorrow > 0:
		return fmt.Sprintf("no reviews due today: %d come due tomorrow", d.Tomorrow)
	}
	return "no reviews due: answer quiz questions and they come back here to be reviewed"
}

func (m Model) openExercise(id string) (tea.Model, tea.Cmd) {
	ex := m.c.Opts.Course.Exercise(id)
	if ex == nil {
		m.status = fmt.Sprintf("no exercise %q", id)
		return m, nil
	}
	m.exercise.stop()
	m.exercise = newExercise(m.c, ex)
	m.push(screenExercise)
	return m, m.exercise.Init()
}

func (m *Model) resize() tea.Cmd {
	w, h := m.c.Width, m.bodyHeight()
	m.home.SetSize(w, h)
	m.stats.SetSize(w, h)
	m.quiz.SetSize(w, h)
	return tea.Batch(m.exercise.SetSize(w, h), m.lesson.SetSize(w, h))
}

// bodyHeight is what a screen gets: the window less the footer.
func (m Model) bodyHeight() int { return max(m.c.Height-2, 3) }

func (m Model) activeKeys() help.KeyMap {
	var km help.KeyMap
	switch m.screen {
	case screenHome:
		km = m.home.keyMap()
	case screenLesson:
		km = m.lesson.keyMap()
	case screenQuiz:
		km = m.quiz.keyMap()
	case screenExercise:
		km = m.exercise.keyMap()
	case screenStats:
		km = m.stats.keyMap()
	}
	g := m.c.Keys.Global
	back := g.Back
	back.SetEnabled(m.screen != screenHome)
	sb := km.ShortHelp()
	short := append(append([]key.Binding{}, sb...), back, g.Help)
	full := append(append([][]key.Binding{}, km.FullHelp()...), []key.Binding{back, g.Help, g.Quit})
	return bindings{short: short, full: full}
}

// View draws the active screen and the footer.
func (m Model) View() tea.View {
	v := tea.NewView(m.Render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "stagecraft"
	return v
}

// Render is the frame as a string (tests compare it with golden files).
func (m Model) Render() string {
	if m.quitting {
		return ""
	}
	h := m.bodyHeight()
	var body string
	if m.showHelp {
		body = m.fullHelp(h)
	} else {
		switch m.screen {
		case screenHome:
			body = m.home.View()
		case screenLesson:
			body = m.lesson.View()
		case screenQuiz:
			body = m.quiz.View()
		case screenExercise:
			body = m.exercise.View()
		case screenStats:
			body = m.stats.View()
		}
	}
	body = fitHeight(body, h)
	whole := m.help
	whole.SetWidth(0) // measured uncut: the help model's own cut hides esc and ? first
	footer := m.help.ShortHelpView(fitShort(m.activeKeys().ShortHelp(), 2, m.c.Width-1, whole.ShortHelpView))
	if m.status != "" {
		footer = m.c.Styles.Warn.Render(truncate(m.status, m.c.Width-2))
	}
	// Background work shows on the line between the screen and the footer.
	activity := ""
	if m.activity != "" {
		activity = " " + m.c.Styles.Faint.Render(truncate(m.activity, m.c.Width-2))
	}
	return body + "\n" + activity + "\n" + lipgloss.NewStyle().PaddingLeft(1).Render(footer)
}

func (m Model) fullHelp(h int) string {
	s := m.c.Styles
	title := s.Header.Render("Keys on this screen")
	hm := m.help
	hm.ShowAll = true
	legend := ""
	if m.screen == screenHome {
		legend = "\n\n" + s.Subtitle.Render("  On the map") + "\n" + indent(mapLegend, 2)
	}
	return title + "\n\n" + lipgloss.NewStyle().PaddingLeft(2).Render(hm.FullHelpView(m.activeKeys().FullHelp())) + legend +
		"\n\n" + s.Faint.PaddingLeft(2).Render("press ? or esc to close")
}

// fitHeight pads or cuts s to exactly h lines.
func fitHeight(s string, h int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

func truncate(s string, w int) string {
	if w < 1 {
		return ""
	}
	if lipgloss.Width(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && lipgloss.Width(string(r)) > w-1 {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// Run runs the app until the learner quits.
func Run(ctx context.Context, opts Options) error {
	m := New(ctx, opts)
	popts := []tea.ProgramOption{tea.WithContext(ctx)}
	if opts.In != nil {
		popts = append(popts, tea.WithInput(opts.In))
	}
	if opts.Out != nil {
		popts = append(popts, tea.WithOutput(opts.Out))
	}
	popts = append(popts, opts.ProgramOptions...)
	final, err := tea.NewProgram(m, popts...).Run()
	if fm, ok := final.(Model); ok {
		fm.exercise.stop()
	}
	if errors.Is(err, tea.ErrInterrupted) || errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}
