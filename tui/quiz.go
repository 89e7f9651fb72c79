package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

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
}

// configOf is the screen's configuration of a run the study service planned.
func configOf(p *study.Plan, limit time.Duration) quizConfig {
	return quizConfig{Title: p.Title, QuizID: p.QuizID, LessonID: p.Lesson, Questions: p.Questions, Mode: p.Mode,
		TimeLimit: limit, PassPercent: p.Pass, Seed: p.Seed, SeedSet: true}
}

type (
	quizTickMsg  struct{}
	quizSavedMsg struct{ err error }
	quizDoneMsg  struct{ summary quiz.Summary }
)

// quizModel is one quiz sitting, one question per screen.
type quizModel struct {
	c    *Common
	cfg  quizConfig
	sess *quiz.Session
	run  *study.Run // records the run: answers wait for its start

	// Input for the current question.
	cursor int
	picked map[int]bool     // by position on the screen
	shown  quiz.Permutation // single, multiple: the author's option at each position on the screen
	order  quiz.Permutation // order: item indexes in the learner's current sequence
	text   textinput.Model
	hints  int

	last    *quiz.Response // the answer whose feedback is on screen (practice, review)
	summary *quiz.Summary
	w, h    int
}

func newQuizModel(c *Common, cfg quizConfig) quizModel {
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
	ti := newTextInput()
	ti.Prompt = "› "
	ti.Placeholder = "type your answer"
	m := quizModel{c: c, cfg: cfg, sess: quiz.NewSession(cfg.Title, cfg.Mode, cfg.Questions, opts...), text: ti,
		w: c.Width, h: c.Height - 2}
	m.run = c.Opts.Study.NewRun(&study.Plan{QuizID: cfg.QuizID, Lesson: cfg.LessonID}, m.sess.Started)
	m.resetInput()
	return m
}

func (m *quizModel) SetSize(w, h int) { m.w, m.h = w, h; m.text.SetWidth(max(w-10, 10)) }

func (m quizModel) finished() bool { return m.summary != nil }

func (m quizModel) typing() bool {
	q, ok := m.sess.Current()
	return ok && m.last == nil && m.summary == nil && q.Type == quiz.TypeShort
}

// Init records the start of the run and starts the countdown.
func (m quizModel) Init() tea.Cmd {
	var cmds []tea.Cmd
	o, ctx, run := m.c.Opts, m.c.Ctx, m.run
	if o.Study.Saves() {
		cmds = append(cmds, func() tea.Msg { return quizSavedMsg{err: run.Begin(ctx)} })
	}
	if m.cfg.TimeLimit > 0 && !m.c.Opts.manualClock {
		cmds = append(cmds, quizTick())
	}
	if q, ok := m.sess.Current(); ok && q.Type == quiz.TypeShort {
		cmds = append(cmds, m.text.Focus())
	}
	return tea.Batch(cmds...)
}

func quizTick() tea.Cmd {
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return quizTickMsg{} })
}

func (m *quizModel) resetInput() {
	m.cursor, m.hints, m.picked, m.shown, m.order = 0, 0, map[int]bool{}, nil, nil
	m.text.SetValue("")
	m.text.Blur()
	q, ok := m.sess.Current()
	if !ok {
		return
	}
	switch q.Type {
	case quiz.TypeSingle, quiz.TypeMultiple:
		m.shown = m.sess.ShownOrder()
	case quiz.TypeOrder:
		m.order = append(quiz.Permutation(nil), m.sess.ShownOrder()...)
	case quiz.TypeShort:
		m.text.Focus()
	}
}

func (m quizModel) keyMap() bindings {
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
	if !ok {
		return bindings{}
	}
	hint := k.Hint
	hint.SetEnabled(m.cfg.Mode.HintsAllowed() && m.hints < len(q.Hints))
	if q.Type == quiz.TypeShort {
		hint.SetKeys("tab")
		hint.SetHelp("tab", "hint")
	}
	var short []key.Binding
	switch q.Type {
	case quiz.TypeSingle, quiz.TypeTrueFalse:
		short = []key.Binding{k.Pick, k.Up, k.Down, k.Submit}
	case quiz.TypeMultiple:
		pick := k.Pick
		pick.SetHelp("a-f", "toggle")
		short = []key.Binding{pick, k.Submit, k.Toggle, k.Up, k.Down}
	case quiz.TypeShort:
		short = []key.Binding{k.Submit}
	case quiz.TypeOrder:
		short = []key.Binding{k.MoveUp, k.MoveDown, k.Submit, k.Up, k.Down}
	case quiz.TypeSpotLine:
		up, down := k.Up, k.Down
		up.SetHelp("↑/k", "line up")
		down.SetHelp("↓/j", "line down")
		short = []key.Binding{up, down, k.Submit}
	}
	// The hint comes before the moves between options: when the footer is short of room, the
	// last keys are the ones left out.
	if q.Type == quiz.TypeSingle || q.Type == quiz.TypeTrueFalse || q.Type == quiz.TypeMultiple {
		short = append(short[:1:1], append([]key.Binding{hint}, short[1:]...)...)
	} else {
		short = append(short, hint)
	}
	return bindings{short: short, full: [][]key.Binding{short}}
}

// options are the choices of a single, multiple or true_false question, in the order shown
// (shown: the author's option at each position; nil for the author's order).
func options(q *quiz.Question, shown quiz.Permutation) []string {
	if q.Type == quiz.TypeTrueFalse {
		return []string{"True", "False"}
	}
	out := make([]string, len(q.Options))
	for pos := range q.Options {
		i := pos
		if len(shown) == len(q.Options) {
			i = shown[pos]
		}
		out[pos] = q.Options[i].Text
	}
	return out
}

// authored is the author's option at position pos on the screen.
func (m quizModel) authored(pos int) int {
	if pos >= 0 && pos < len(m.shown) {
		return m.shown[pos]
	}
	return pos
}

func (m quizModel) Update(msg tea.Msg) (quizModel, tea.Cmd) {
	now := m.c.Opts.now()
	switch msg := msg.(type) {
	case quizSavedMsg:
		if msg.err != nil {
			return m, msgCmd(statusMsg("saving the quiz: " + msg.err.Error()))
		}
		return m, nil
	case quizTickMsg:
		if m.summary != nil {
			return m, nil
		}
		if m.sess.Expired(now) {
			m.sess.Finish(now)
			return m.finish(now)
		}
		if m.c.Opts.manualClock {
			return m, nil
		}
		return m, quizTick()
	case tea.KeyPressMsg:
		if m.summary != nil {
			if msg.String() == "enter" || msg.String() == "esc" || msg.String() == "q" {
				return m, msgCmd(quizDoneMsg{summary: *m.summary})
			}
			if m.offersNext() {
				switch msg.String() {
				case "r":
					return m, msgCmd(openQuizMsg{LessonID: m.cfg.LessonID})
				case "n":
					if m.nextPlace().id != "" {
						return m, msgCmd(openNextMsg{From: m.cfg.LessonID})
					}
				}
			}
			return m, nil
		}
		if m.last != nil {
			if key.Matches(msg, m.c.Keys.Quiz.Next) {
				m.last = nil
				m.sess.Shown(now)
				if m.sess.Done() {
					return m.finish(now)
				}
				m.resetInput()
				return m, m.focusCmd()
			}
			return m, nil
		}
		return m.answerKey(msg, now)
	}
	if m.typing() {
		var cmd tea.Cmd
		m.text, cmd = m.text.Update(msg)
		return m, cmd
	}
	return m, nil
}

func (m quizModel) focusCmd() tea.Cmd {
	if m.typing() {
		return m.text.Focus()
	}
	return nil
}

func (m quizModel) answerKey(msg tea.KeyPressMsg, now time.Time) (quizModel, tea.Cmd) {
	k := m.c.Keys.Quiz
	q, ok := m.sess.Current()
	if !ok {
		return m, nil
	}
	// Hints, one tier at a time.
	hintKey := key.Matches(msg, k.Hint)
	if q.Type == quiz.TypeShort {
		hintKey = msg.String() == "tab"
	}
	if hintKey {
		if m.cfg.Mode.HintsAllowed() && m.hints < len(q.Hints) {
			m.hints++
		}
		return m, nil
	}
	s := msg.String()
	switch q.Type {
	case quiz.TypeShort:
		if s == "enter" {
			if strings.TrimSpace(m.text.Value()) == "" {
				return m, nil
			}
			return m.submit(quiz.Text(m.text.Value()), now)
		}
		var cmd tea.Cmd
		m.text, cmd = m.text.Update(msg)
		return m, cmd
	case quiz.TypeSingle, quiz.TypeMultiple, quiz.TypeTrueFalse:
		n := len(options(q, m.shown))
		if i, ok := choiceIndex(s, n, q.Type == quiz.TypeTrueFalse); ok {
			m.cursor = i
			if q.Type == quiz.TypeMultiple {
				m.picked[i] = !m.picked[i]
			} else {
				m.picked = map[int]bool{i: true}
			}
			return m, nil
		}
		switch {
		case key.Matches(msg, k.Up):
			m.cursor = max(m.cursor-1, 0)
		case key.Matches(msg, k.Down):
			m.cursor = min(m.cursor+1, n-1)
		case key.Matches(msg, k.Toggle) && q.Type == quiz.TypeMultiple:
			m.picked[m.cursor] = !m.picked[m.cursor]
		case key.Matches(msg, k.Submit):
			switch q.Type {
			case quiz.TypeMultiple:
				var c quiz.Choices
				for pos := 0; pos < n; pos++ {
					if m.picked[pos] {
						c = append(c, m.authored(pos))
					}
				}
				if len(c) == 0 {
					return m, msgCmd(statusMsg("pick at least one option (letters or space), then enter"))
				}
				return m.submit(c, now)
			case quiz.TypeTrueFalse:
				return m.submit(quiz.Bool(m.cursor == 0), now)
			default:
				return m.submit(quiz.Choices{m.authored(m.cursor)}, now)
			}
		}
	case quiz.TypeOrder:
		n := len(m.order)
		switch {
		case key.Matches(msg, k.MoveUp):
			if m.cursor > 0 {
				m.order[m.cursor], m.order[m.cursor-1] = m.order[m.cursor-1], m.order[m.cursor]
				m.cursor--
			}
		case key.Matches(msg, k.MoveDown):
			if m.cursor < n-1 {
				m.order[m.cursor], m.order[m.cursor+1] = m.order[m.cursor+1], m.order[m.cursor]
				m.cursor++
			}
		case key.Matches(msg, k.Up):
			m.cursor = max(m.cursor-1, 0)
		case key.Matches(msg, k.Down):
			m.cursor = min(m.cursor+1, n-1)
		case key.Matches(msg, k.Submit):
			return m.submit(append(quiz.Permutation(nil), m.order...), now)
		}
	case quiz.TypeSpotLine:
		n := len(q.CodeLines())
		switch {
		case key.Matches(msg, k.Up):
			m.cursor = max(m.cursor-1, 0)
		case key.Matches(msg, k.Down):
			m.cursor = min(m.cursor+1, n-1)
		case key.Matches(msg, k.Submit):
			return m.submit(quiz.Line(m.cursor+1), now)
		}
	}
	return m, nil
}

// choiceIndex maps a, b, … or 1, 2, … (and t/f for true_false) to an option.
func choiceIndex(s string, n int, tf bool) (int, bool) {
	if len(s) != 1 {
		return 0, false
	}
	ch := s[0]
	if tf {
		switch ch {
		case 't':
			return 0, true
		case 'f':
			return 1, true
		}
	}
	var i int
	switch {
	case ch >= 'a' && ch <= 'z':
		i = int(ch - 'a')
	case ch >= '1' && ch <= '9':
		i = int(ch - '1')
	default:
		return 0, false
	}
	return i, i < n
}

// submit scores the answer, saves it, and shows feedback (or moves on, in an exam).
func (m quizModel) submit(a quiz.Answer, now time.Time) (quizModel, tea.Cmd) {
	r := m.sess.Answer(a, m.hints, now)
	save := m.saveAnswer(r)
	if r.Late || m.sess.Done() && !m.cfg.Mode.ShowsFeedback() {
		mm, cmd := m.finish(now)
		return mm, tea.Batch(save, cmd)
	}
	if m.cfg.Mode.ShowsFeedback() {
		m.last = &r
		return m, save
	}
	m.resetInput()
	return m, tea.Batch(save, m.focusCmd())
}

func (m quizModel) saveAnswer(r quiz.Response) tea.Cmd {
	o, ctx, run := m.c.Opts, m.c.Ctx, m.run
	if !o.Study.Saves() {
		return nil
	}
	// Which responses are answers to keep (not a skip, not a late one) is the recorder's rule.
	return func() tea.Msg { return quizSavedMsg{err: run.Record(ctx, r)} }
}

func (m quizModel) finish(now time.Time) (quizModel, tea.Cmd) {
	m.sess.Finish(now)
	sum := quiz.Summarize(m.sess, now)
	m.summary = &sum
	m.last = nil
	o, ctx, run, sess := m.c.Opts, m.c.Ctx, m.run, m.sess
	if !o.Study.Saves() {
		return m, nil
	}
	return m, func() tea.Msg {
		if _, err := run.Finish(ctx, sess, sum, now); err != nil {
			return statusMsg("saving the quiz: " + err.Error())
		}
		return progressChangedMsg{}
	}
}

func (m quizModel) View() string {
	if m.summary != nil {
		return m.summaryView()
	}
	s := m.c.Styles
	w := max(m.w, 40)
	var b strings.Builder
	q, ok := m.sess.Current()
	if m.last != nil {
		q = m.last.Question
	}
	if !ok && m.last == nil {
		return ""
	}
	idx := m.sess.Index()
	if m.last != nil {
		idx--
	}
	right := fmt.Sprintf("%d/%d · %s · %s", idx+1, len(m.sess.Questions), q.Difficulty, plural1(q.Points, "pt"))
	if m.cfg.TimeLimit > 0 {
		rem := m.sess.Remaining(m.c.Opts.now())
		st := s.Faint
		if rem < time.Minute {
			st = s.Warn
		}
		right = st.Render("⏱ "+quiz.FormatDuration(rem.Truncate(time.Second))) + "  " + right
	}
	title := m.cfg.Title
	if m.cfg.Mode == quiz.ModeExam {
		title += " — exam"
	}
	b.WriteString(" " + spread(s.Title.Render(title), s.Faint.Render(right), w-2) + "\n\n")
	b.WriteString(indent(wrap(q.Prompt, w-4), 2) + "\n")
	codeLines := q.CodeLines()
	if len(codeLines) > 0 && q.Type != quiz.TypeSpotLine {
		b.WriteString("\n" + m.codeBlock(codeLines, -1, -1) + "\n")
	}
	b.WriteString("\n")
	if m.last != nil {
		b.WriteString(m.feedbackView(q, *m.last, w))
		return b.String()
	}
	b.WriteString(m.inputView(q, w))
	if m.hints > 0 {
		b.WriteString("\n")
		for i := 0; i < m.hints; i++ {
			b.WriteString(indent(s.Accent.Render(fmt.Sprintf("hint %d/%d: ", i+1, len(q.Hints)))+wrap(reflow(q.Hints[i]), w-16), 2) + "\n")
		}
	}
	return b.String()
}

func plural1(n int, w string) string { return fmt.Sprintf("%d %s%s", n, w, plural(n)) }

func (m quizModel) codeBlock(lines []string, cursor, mark int) string {
	s := m.c.Styles
	var b strings.Builder
	for i, l := range lines {
		no := s.LineNo.Render(fmt.Sprintf("%3d │ ", i+1))
		text := highlightDockerfile(s, l)
		prefix := "  "
		switch {
		case i == mark:
			prefix = s.Bad.Render("✗ ")
			text = s.LineHL.Render(l)
		case i == cursor:
			prefix = s.Cursor.Render("▸ ")
			text = s.Selected.Render(l)
		}
		b.WriteString(" " + prefix + no + text + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

func (m quizModel) inputView(q *quiz.Question, w int) string {
	s := m.c.Styles
	var b strings.Builder
	switch q.Type {
	case quiz.TypeSingle, quiz.TypeMultiple, quiz.TypeTrueFalse:
		for i, o := range options(q, m.shown) {
			box := "( )"
			if q.Type == quiz.TypeMultiple {
				box = "[ ]"
				if m.picked[i] {
					box = "[x]"
				}
			} else if m.picked[i] {
				box = "(•)"
			}
			b.WriteString(m.listItem(fmt.Sprintf("%s %s  ", box, quiz.OptionLetter(i)), o, i == m.cursor, w))
		}
		if q.Type == quiz.TypeMultiple {
			b.WriteString("\n" + s.Faint.Render("  pick every option that applies, then enter") + "\n")
		}
	case quiz.TypeShort:
		b.WriteString("  " + m.text.View() + "\n")
	case quiz.TypeOrder:
		b.WriteString(s.Faint.Render("  put these in order: move the selected item with K/J or [ ]") + "\n\n")
		for pos, it := range m.order {
			b.WriteString(m.listItem(fmt.Sprintf("%d. ", pos+1), q.Items[it], pos == m.cursor, w))
		}
	case quiz.TypeSpotLine:
		b.WriteString(s.Faint.Render("  move to the line that is wrong and press enter") + "\n\n")
		b.WriteString(m.codeBlock(q.CodeLines(), m.cursor, -1) + "\n")
	}
	return b.String()
}

func (m quizModel) feedbackView(q *quiz.Question, r quiz.Response, w int) string {
	s := m.c.Styles
	var b strings.Builder
	if q.Type == quiz.TypeSpotLine {
		mark := int(r.Answer.(quiz.Line)) - 1
		if r.Result.Correct {
			mark = -1
		}
		b.WriteString(m.codeBlock(q.CodeLines(), q.AnswerLine-1, mark) + "\n\n")
	}
	if r.Result.Correct {
		b.WriteString("  " + s.OK.Render("✓ Right") + s.Faint.Render(fmt.Sprintf("  +%d", r.Result.Points)) + "\n")
	} else {
		b.WriteString("  " + s.Bad.Render("✗ Not quite") + "\n")
		b.WriteString(hang(s.Faint.Render("  your answer:  "), quiz.AnswerText(q, r.Answer), w) + "\n")
		b.WriteString(hang(s.Faint.Render("  right answer: "), correctAnswer(q, r.Shown), w) + "\n")
	}
	for _, fb := range r.Result.Feedback {
		b.WriteString("\n" + indent(s.Accent.Render("› ")+wrap(reflow(fb), w-8), 2) + "\n")
	}
	if q.Explanation != "" {
		b.WriteString("\n" + indent(wrap(reflow(q.Explanation), w-4), 2) + "\n")
	}
	return b.String()
}

// correctAnswer writes the right answer for the feedback line: options with the letters they
// were shown with (shown, the order on the screen; nil: the texts alone).
func correctAnswer(q *quiz.Question, shown quiz.Permutation) string {
	switch q.Type {
	case quiz.TypeSingle, quiz.TypeMultiple:
		var parts []string
		if len(shown) != len(q.Options) {
			for _, i := range q.CorrectOptions() {
				parts = append(parts, q.Options[i].Text)
			}
			return strings.Join(parts, "; ")
		}
		for pos, i := range shown { // in the order shown: A before C
			if q.Options[i].Correct {
				parts = append(parts, quiz.OptionLetter(pos)+" "+q.Options[i].Text)
			}
		}
		return strings.Join(parts, "; ")
	case quiz.TypeTrueFalse:
		if q.IsTrue {
			return "true"
		}
		return "false"
	case quiz.TypeShort:
		if len(q.Accept) > 0 {
			return q.Accept[0]
		}
		return "/" + q.Pattern + "/"
	case quiz.TypeOrder:
		return strings.Join(q.Items, " → ")
	case quiz.TypeSpotLine:
		return fmt.Sprintf("line %d", q.AnswerLine)
	}
	return ""
}

func (m quizModel) summaryView() string {
	s := m.c.Styles
	sum := *m.summary
	w := max(m.w, 40)
	var b strings.Builder
	verdict := s.Bad.Render("not passed")
	if sum.Passed {
		verdict = s.OK.Render("passed")
	}
	b.WriteString(" " + s.Title.Render(m.cfg.Title+" — results") + "\n\n")
	b.WriteString(fmt.Sprintf("  Score %d/%d (%.0f%%) · %s · pass mark %d%%", sum.Score, sum.MaxScore, sum.Percent, verdict, sum.PassPercent))
	if sum.TimedOut {
		b.WriteString(" · " + s.Warn.Render("time ran out"))
	}
	b.WriteString("\n\n")
	b.WriteString(s.Subtitle.Render("  By difficulty") + "\n")
	for _, d := range quiz.Difficulties() {
		t, ok := sum.ByDifficulty[d]
		if !ok || t.Total == 0 {
			continue
		}
		pct := t.Correct * 100 / t.Total
		b.WriteString(fmt.Sprintf("  %-7s %s %d/%d\n", d, progressBar(s, pct, 20), t.Correct, t.Total))
	}
	if len(sum.Missed) > 0 {
		b.WriteString("\n" + s.Subtitle.Render("  To review") + "\n")
		course := m.c.Opts.Course
		for _, o := range sum.Questions {
			if o.Status == quiz.StatusCorrect {
				continue
			}
			var q *quiz.Question
			for _, qq := range m.sess.Questions {
				if qq.ID == o.ID {
					q = qq
				}
			}
			if q == nil {
				continue
			}
			where := ""
			if course != nil {
				if l := course.Lesson(q.Lesson); l != nil {
					where = s.Faint.Render("  (" + l.Title + ")")
				}
			}
			b.WriteString("  " + s.Bad.Render("✗ ") + truncateStyled(firstLine(q.Prompt), w-10-lipgloss.Width(where)) + where + "\n")
			if m.cfg.Mode == quiz.ModeExam {
				b.WriteString(hang(s.Faint.Render("    right answer: "), correctAnswer(q, shownFor(m.sess, q)), w) + "\n")
			}
		}
	} else {
		b.WriteString("\n  " + s.OK.Render("Every question right.") + "\n")
	}
	if m.offersNext() {
		what := "r: take it again"
		if p := m.nextPlace(); p.id != "" {
			what = "n: next — " + p.title + " · " + what
		}
		b.WriteString("\n  " + s.Faint.Render(truncate(what, w-4)) + "\n")
	}
	return b.String()
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// listItem is one option or item of a list: wrapped under its box or number rather than cut,
// since the end of an option is often what tells it from the next one.
func (m quizModel) listItem(prefix, text string, selected bool, w int) string {
	s := m.c.Styles
	cur := "  "
	if selected {
		cur = s.Cursor.Render("▸ ")
	}
	pw := lipgloss.Width(prefix)
	lines := strings.Split(wrap(text, w-4-pw), "\n")
	var b strings.Builder
	for i, l := range lines {
		l = strings.TrimRight(l, " ")
		if i == 0 {
			l = prefix + l
		} else {
			cur, l = "  ", strings.Repeat(" ", pw)+l
		}
		if selected {
			l = s.Selected.Render(l)
		}
		b.WriteString(" " + cur + l + "\n")
	}
	return b.String()
}

// hang writes text after a label, its later lines wrapped under the text's first.
func hang(label, text string, w int) string {
	lw := lipgloss.Width(label)
	lines := strings.Split(wrap(text, w-lw-2), "\n")
	for i := range lines {
		lines[i] = strings.TrimRight(lines[i], " ")
		if i > 0 {
			lines[i] = strings.Repeat(" ", lw) + lines[i]
		}
	}
	return label + strings.Join(lines, "\n")
}

// reflow joins the lines of each paragraph of course text: YAML block text keeps the author's
// line breaks, which wrapping at another width would turn into ragged half-lines. Lines that
// are indented or start a list item keep their break, as do blank lines between paragraphs.
func reflow(text string) string {
	lines := strings.Split(strings.TrimSpace(text), "\n")
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			prev := strings.TrimSpace(lines[i-1])
			t := strings.TrimSpace(l)
			if prev == "" || t == "" || l != strings.TrimLeft(l, " \t") || strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* ") || strings.HasPrefix(t, "```") || strings.HasPrefix(prev, "```") {
				b.WriteString("\n")
			} else {
				b.WriteString(" ")
			}
		}
		b.WriteString(strings.TrimRight(l, " \t"))
	}
	return b.String()
}

// offersNext: a lesson's quiz in the course (not reviews, not the quiz command's own screen)
// ends by offering to take it again or go on.
func (m quizModel) offersNext() bool { return m.cfg.LessonID != "" && m.c.Opts.Course != nil }

// nextPlace is what follows the quiz's lesson in the course.
func (m quizModel) nextPlace() place {
	p, _ := nextAfter(m.c.Opts.Course, m.cfg.LessonID)
	return p
}

// wrap word-wraps plain text to width.
func wrap(text string, width int) string {
	return lipgloss.NewStyle().Width(max(width, 20)).Render(strings.TrimSpace(text))
}

func indent(s string, n int) string {
	pad := strings.Repeat(" ", n)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = pad + strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
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
