package tui

import (
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/stagecraft/stagecraft/quiz"
	"github.com/stagecraft/stagecraft/study"
)

// Quiz modes, re-exported for callers that build QuizOptions.
const (
	ModePractice = quiz.ModePractice
	ModeReview   = quiz.ModeReview
	ModeExam     = quiz.ModeExam
)

type quizConfig struct {
	Title       string
	QuizID      string // "": answers are saved outside any run
	LessonID    string
	Questions   []*quiz.Question
	Mode        quiz.Mode
	TimeLimit   time.Duration
	PassPercent int
	// Seed decides the order options and items are shown in (quiz.Session.ShownOrder); without
	// SeedSet one comes from the clock, so each sitting shows a new order.
	Seed    uint64
	SeedSet bool
	// InCourse: the quiz was opened in the course app, which can open the next lesson or the quiz
	// again from its results; `stagecraft quiz` ends there.
	InCourse bool
}

// configOf is the screen's configuration of a run the study service planned.
func configOf(p *study.Plan, limit time.Duration) quizConfig {
	return quizConfig{Title: p.Title, QuizID: p.QuizID, LessonID: p.Lesson, Questions: p.Questions, Mode: p.Mode,
		TimeLimit: limit, PassPercent: p.Pass, Seed: p.Seed, SeedSet: true}
}

type (
	quizTickMsg struct{}
	// quizDoneMsg: the learner closed the results.
	quizDoneMsg struct{ summary quiz.Summary }
)

// quizModel is one quiz sitting, one question per screen: the question's answer is taken by an
// answerInput of its type, then the feedback (practice, review) and at the end the results.
type quizModel struct {
	c    *Common
	cfg  quizConfig
	sess *quiz.Session
	run  *study.Run // records the run: answers wait for its start

	input answerInput // the current question's; nil once the quiz is over
	hints int
	sized bool // SetSize was called: answer fields get the width

	last    *quiz.Response // the answer whose feedback is on screen (practice, review)
	summary *quiz.Summary
	w, h    int
}

func newQuizModel(c *Common, cfg quizConfig) *quizModel {
	if cfg.Mode == "" {
		cfg.Mode = quiz.ModePractice
	}
	if cfg.PassPercent == 0 {
		cfg.PassPercent = quiz.DefaultPassPercent
	}
	now := c.Opts.now()
	if !cfg.SeedSet {
		cfg.Seed, cfg.SeedSet = uint64(now.UnixNano()), true
	}
	opts := []quiz.SessionOption{quiz.WithStart(now), quiz.WithPassPercent(cfg.PassPercent), quiz.WithSeed(cfg.Seed)}
	if cfg.TimeLimit > 0 {
		opts = append(opts, quiz.WithTimeLimit(cfg.TimeLimit))
	}
	m := &quizModel{c: c, cfg: cfg, sess: quiz.NewSession(cfg.Title, cfg.Mode, cfg.Questions, opts...), w: c.Width, h: c.Height - 2}
	m.run = c.Opts.Study.NewRun(&study.Plan{QuizID: cfg.QuizID, Lesson: cfg.LessonID}, m.sess.Started)
	m.nextInput()
	return m
}

// SetSize: the answer field is sized on a change of the window, not when the quiz opens (an
// unsized field draws its placeholder without padding).
func (m *quizModel) SetSize(w, h int) tea.Cmd {
	m.w, m.h, m.sized = w, h, true
	if m.input != nil {
		m.input.SetWidth(w)
	}
	return nil
}

func (m *quizModel) finished() bool { return m.summary != nil }

// Typing: a short answer is being typed.
func (m *quizModel) Typing() bool {
	return m.input != nil && m.last == nil && m.summary == nil && m.input.Typing()
}

func (m *quizModel) OwnsEsc() bool { return false }
func (m *quizModel) Close()        {}

// Init records the start of the run and starts the countdown.
func (m *quizModel) Init() tea.Cmd {
	var cmds []tea.Cmd
	o, ctx, run := m.c.Opts, m.c.Ctx, m.run
	if o.Study.Saves() {
		cmds = append(cmds, func() tea.Msg { return savedOrStatus(run.Begin(ctx)) })
	}
	if m.cfg.TimeLimit > 0 && !m.c.Opts.manualClock {
		cmds = append(cmds, quizTick())
	}
	cmds = append(cmds, m.focusCmd())
	return tea.Batch(cmds...)
}

func quizTick() tea.Cmd {
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return quizTickMsg{} })
}

// nextInput sets up the answer input of the current question.
func (m *quizModel) nextInput() {
	m.hints, m.input = 0, nil
	if q, ok := m.sess.Current(); ok {
		m.input = newAnswerInput(m.c, q, m.sess.ShownOrder())
		if m.sized {
			m.input.SetWidth(m.w)
		}
	}
}

func (m *quizModel) focusCmd() tea.Cmd {
	if m.Typing() {
		return m.input.Focus()
	}
	return nil
}

func (m *quizModel) Keys() help.KeyMap {
	k := m.c.Keys.Quiz
	if m.summary != nil {
		done := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "done"))
		retake := key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "retake"))
		next := key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next lesson"))
		retake.SetEnabled(m.offersNext())
		next.SetEnabled(m.offersNext() && m.nextPlace().id != "")
		if p := m.nextPlace(); !p.lesson {
			next.SetHelp("n", "next: exercise")
		}
		return bindings{short: []key.Binding{next, retake, done}, full: [][]key.Binding{{next, retake, done}}}
	}
	if m.last != nil {
		return bindings{short: []key.Binding{k.Next}, full: [][]key.Binding{{k.Next}}}
	}
	q, ok := m.sess.Current()
	if !ok || m.input == nil {
		return bindings{}
	}
	hint := m.input.HintKey()
	hint.SetEnabled(m.cfg.Mode.HintsAllowed() && m.hints < len(q.Hints))
	short := m.input.Keys(hint)
	return bindings{short: short, full: [][]key.Binding{short}}
}

func (m *quizModel) Update(msg tea.Msg) (Screen, tea.Cmd) {
	now := m.c.Opts.now()
	switch msg := msg.(type) {
	case quizTickMsg:
		if m.summary != nil {
			return m, nil
		}
		if m.sess.Expired(now) {
			return m, m.finish(now)
		}
		if m.c.Opts.manualClock {
			return m, nil
		}
		return m, quizTick()
	case tea.KeyPressMsg:
		if m.summary != nil {
			return m, m.resultsKey(msg)
		}
		if m.last != nil {
			if !key.Matches(msg, m.c.Keys.Quiz.Next) {
				return m, nil
			}
			m.last = nil
			m.sess.Shown(now)
			if m.sess.Done() {
				return m, m.finish(now)
			}
			m.nextInput()
			return m, m.focusCmd()
		}
		return m, m.answerKey(msg, now)
	}
	if m.Typing() { // the text field's own messages (a paste)
		_, cmd := m.input.Update(msg)
		return m, cmd
	}
	return m, nil
}

// resultsKey: enter (or esc, q) closes the results; in the course, r takes the quiz again and
// n goes on to what follows its lesson.
func (m *quizModel) resultsKey(msg tea.KeyPressMsg) tea.Cmd {
	switch s := msg.String(); {
	case s == "enter" || s == "esc" || s == "q":
		return msgCmd(quizDoneMsg{summary: *m.summary})
	case !m.offersNext():
	case s == "r":
		return msgCmd(openQuizMsg{LessonID: m.cfg.LessonID})
	case s == "n" && m.nextPlace().id != "":
		return msgCmd(openNextMsg{From: m.cfg.LessonID})
	}
	return nil
}

// answerKey: the hint key asks for the next hint; the others go to the answer input, which
// says when the learner submits an answer.
func (m *quizModel) answerKey(msg tea.KeyPressMsg, now time.Time) tea.Cmd {
	q, ok := m.sess.Current()
	if !ok || m.input == nil {
		return nil
	}
	if key.Matches(msg, m.input.HintKey()) {
		if m.cfg.Mode.HintsAllowed() && m.hints < len(q.Hints) {
			m.hints++
		}
		return nil
	}
	a, cmd := m.input.Update(msg)
	if a == nil {
		return cmd
	}
	return tea.Batch(cmd, m.submit(a, now))
}

// submit scores the answer, saves it, and shows feedback (or moves on, in an exam).
func (m *quizModel) submit(a quiz.Answer, now time.Time) tea.Cmd {
	r := m.sess.Answer(a, m.hints, now)
	save := m.saveAnswer(r)
	if r.Late || m.sess.Done() && !m.cfg.Mode.ShowsFeedback() {
		return tea.Batch(save, m.finish(now))
	}
	if m.cfg.Mode.ShowsFeedback() {
		m.last = &r
		return save
	}
	m.nextInput()
	return tea.Batch(save, m.focusCmd())
}

func (m *quizModel) saveAnswer(r quiz.Response) tea.Cmd {
	o, ctx, run := m.c.Opts, m.c.Ctx, m.run
	if !o.Study.Saves() {
		return nil
	}
	// Which responses are answers to keep (not a skip, not a late one) is the recorder's rule.
	return func() tea.Msg { return savedOrStatus(run.Record(ctx, r)) }
}

// savedOrStatus: a save that failed says so in the footer.
func savedOrStatus(err error) tea.Msg {
	if err != nil {
		return statusMsg("saving the quiz: " + err.Error())
	}
	return nil
}

func (m *quizModel) finish(now time.Time) tea.Cmd {
	m.sess.Finish(now)
	sum := quiz.Summarize(m.sess, now)
	m.summary = &sum
	m.last, m.input = nil, nil
	o, ctx, run, sess := m.c.Opts, m.c.Ctx, m.run, m.sess
	if !o.Study.Saves() {
		return nil
	}
	return func() tea.Msg {
		if _, err := run.Finish(ctx, sess, sum, now); err != nil {
			return statusMsg("saving the quiz: " + err.Error())
		}
		return progressChangedMsg{}
	}
}

// Summary is the quiz's summary, finishing it now if it is still running.
func (m *quizModel) Summary() quiz.Summary {
	if m.summary != nil {
		return *m.summary
	}
	now := m.c.Opts.now()
	m.sess.Finish(now)
	return quiz.Summarize(m.sess, now)
}

// offersNext: a lesson's quiz in the course (not reviews, not the quiz command's own screen)
// ends by offering to take it again or go on.
func (m *quizModel) offersNext() bool {
	return m.cfg.InCourse && m.cfg.LessonID != "" && m.c.Opts.Course != nil
}

// nextPlace is what follows the quiz's lesson in the course.
func (m *quizModel) nextPlace() place {
	p, _ := nextAfter(m.c.Opts.Course, m.cfg.LessonID)
	return p
}

// shownFor is the order q's options were shown in during s (nil when it was never answered).
func shownFor(s *quiz.Session, q *quiz.Question) quiz.Permutation {
	for _, r := range s.Responses {
		if r.Question == q {
			return r.Shown
		}
	}
	return nil
}
