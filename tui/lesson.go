package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"github.com/stagecraft/stagecraft/lessons"
)

// lessonRenderedMsg carries a lesson rendered by a Cmd at a width and style.
type lessonRenderedMsg struct {
	id    string
	width int
	style lessons.Style
	out   string
	err   error
}

// lessonModel is the lesson reader.
type lessonModel struct {
	c        *Common
	lesson   *lessons.Lesson
	vp       viewport.Model
	rendered string // the content for (renderedW, renderedS)
	width    int    // the width of the last render asked for
	style    lessons.Style
	ready    bool
	read     bool // the learner reached the end (now or before)
	w, h     int
}

// newLesson is the reader on l, at the window's size; read says whether the learner read it
// before. Init renders it.
func newLesson(c *Common, l *lessons.Lesson, read bool) *lessonModel {
	vp := viewport.New()
	vp.MouseWheelEnabled = true
	vp.MouseWheelDelta = 3
	m := &lessonModel{c: c, vp: vp}
	m.SetSize(c.Width, c.bodyHeight())
	m.lesson, m.read = l, read
	return m
}

func (m *lessonModel) Init() tea.Cmd { return m.render() }

func (m *lessonModel) markdownStyle() lessons.Style {
	return lessons.StyleFor(m.c.Styles.Dark, m.c.Opts.NoColor)
}

// SetSize resizes the viewport and re-renders at the new width.
func (m *lessonModel) SetSize(w, h int) tea.Cmd {
	m.w, m.h = w, h
	m.vp.SetWidth(w)
	m.vp.SetHeight(max(h-3, 1))
	if m.lesson == nil || m.renderWidth() == m.width {
		return nil
	}
	return m.render()
}

func (m *lessonModel) renderWidth() int { return max(min(m.w, 100), 20) }

func (m *lessonModel) render() tea.Cmd {
	l, r, w, st := m.lesson, m.c.Opts.Renderer, m.renderWidth(), m.markdownStyle()
	m.width = w
	body := lessonMarkdown(l)
	return func() tea.Msg {
		out, err := r.Render(body, w, st)
		return lessonRenderedMsg{id: l.ID, width: w, style: st, out: out, err: err}
	}
}

// lessonMarkdown is the lesson's title, objectives and body as one document.
func lessonMarkdown(l *lessons.Lesson) string {
	var b strings.Builder
	if !strings.HasPrefix(strings.TrimSpace(l.Body), "# ") {
		fmt.Fprintf(&b, "# %s\n\n", l.Title)
	}
	if len(l.Objectives) > 0 {
		b.WriteString("**You will learn to**\n\n")
		for _, o := range l.Objectives {
			fmt.Fprintf(&b, "- %s\n", o)
		}
		b.WriteString("\n")
	}
	b.WriteString(l.Body)
	return b.String()
}

func (m *lessonModel) Keys() help.KeyMap {
	k := m.c.Keys.Lesson
	course := m.c.Opts.Course
	next, prev, quiz, ex := k.Next, k.Prev, k.Quiz, k.Exercise
	if m.lesson != nil {
		next.SetEnabled(course.Next(m.lesson) != nil)
		prev.SetEnabled(course.Prev(m.lesson) != nil)
		quiz.SetEnabled(course.QuizForLesson(m.lesson.ID) != nil)
		ex.SetEnabled(len(course.ExercisesForLesson(m.lesson.ID)) > 0)
	}
	return bindings{
		short: []key.Binding{k.Down, k.PageDown, next, prev, quiz, ex},
		full:  [][]key.Binding{{k.Down, k.Up, k.PageDown, k.PageUp, k.Top, k.Bottom}, {next, prev, quiz, ex}},
	}
}

func (m *lessonModel) Typing() bool  { return false }
func (m *lessonModel) OwnsEsc() bool { return false }
func (m *lessonModel) Close()        {}

func (m *lessonModel) Update(msg tea.Msg) (Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.BackgroundColorMsg:
		return m, m.render() // the root changed the styles: the Markdown style follows
	case lessonRenderedMsg:
		if m.lesson == nil || msg.id != m.lesson.ID || msg.width != m.renderWidth() || msg.style != m.markdownStyle() {
			return m, nil // a render for an older size or lesson
		}
		if msg.err != nil {
			msg.out = m.lesson.Body
		}
		// Keep the reading position across a re-render, as a share of the text.
		pct := m.vp.ScrollPercent()
		m.vp.SetContent(msg.out)
		if m.ready && pct > 0 {
			m.vp.SetYOffset(int(pct * float64(max(m.vp.TotalLineCount()-m.vp.Height(), 0))))
		}
		m.rendered, m.ready = msg.out, true
		return m, m.checkEnd()
	case tea.KeyPressMsg:
		k := m.c.Keys.Lesson
		course := m.c.Opts.Course
		switch {
		case key.Matches(msg, k.Next):
			if n := course.Next(m.lesson); n != nil {
				return m, msgCmd(openLessonMsg{ID: n.ID})
			}
			return m, nil
		case key.Matches(msg, k.Prev):
			if p := course.Prev(m.lesson); p != nil {
				return m, msgCmd(openLessonMsg{ID: p.ID})
			}
			return m, nil
		case key.Matches(msg, k.Quiz):
			if course.QuizForLesson(m.lesson.ID) != nil {
				return m, msgCmd(openQuizMsg{LessonID: m.lesson.ID})
			}
			return m, nil
		case key.Matches(msg, k.Exercise):
			if exs := course.ExercisesForLesson(m.lesson.ID); len(exs) > 0 {
				return m, msgCmd(openExerciseMsg{ID: exs[0].ID})
			}
			return m, nil
		case key.Matches(msg, k.Top):
			m.vp.GotoTop()
		case key.Matches(msg, k.Bottom):
			m.vp.GotoBottom()
		case key.Matches(msg, k.PageDown):
			m.vp.PageDown()
		case key.Matches(msg, k.PageUp):
			m.vp.PageUp()
		case key.Matches(msg, k.Down):
			m.vp.ScrollDown(1)
		case key.Matches(msg, k.Up):
			m.vp.ScrollUp(1)
		default:
			return m, nil
		}
		return m, m.checkEnd()
	case tea.MouseWheelMsg:
		var cmd tea.Cmd
		m.vp, cmd = m.vp.Update(msg)
		return m, tea.Batch(cmd, m.checkEnd())
	}
	return m, nil
}

// checkEnd records the read once the learner has seen the end of the lesson.
func (m *lessonModel) checkEnd() tea.Cmd {
	if m.read || !m.ready || !m.vp.AtBottom() {
		return nil
	}
	m.read = true
	o, ctx, id := m.c.Opts, m.c.Ctx, m.lesson.ID
	if !o.Study.Saves() {
		return nil
	}
	return func() tea.Msg {
		if err := o.Study.ReadLesson(ctx, id); err != nil {
			return statusMsg("saving the read: " + err.Error())
		}
		return progressChangedMsg{}
	}
}

func (m lessonModel) View() string {
	s := m.c.Styles
	if m.lesson == nil {
		return ""
	}
	course := m.c.Opts.Course
	mod := ""
	if md := course.Module(m.lesson.Module); md != nil {
		mod = md.Title + " › "
	}
	head := s.Faint.Render(mod) + s.Title.Render(m.lesson.Title)
	pos := fmt.Sprintf("%d/%d", m.lesson.Index+1, len(course.Lessons))
	top := " " + spread(truncateStyled(head, m.w-12), s.Faint.Render(pos), m.w-2)
	if !m.ready {
		return top + "\n\n" + s.Faint.Render("  rendering…")
	}
	pct := int(m.vp.ScrollPercent() * 100)
	if m.vp.TotalLineCount() <= m.vp.Height() {
		pct = 100
	}
	status := fmt.Sprintf("%3d%%", pct)
	if m.read {
		status = s.OK.Render("✓ read") + "  " + status
	}
	var next []string
	if m.vp.AtBottom() {
		if course.QuizForLesson(m.lesson.ID) != nil {
			next = append(next, "t: take the quiz")
		}
		if len(course.ExercisesForLesson(m.lesson.ID)) > 0 {
			next = append(next, "e: the exercise")
		}
		if course.Next(m.lesson) != nil {
			next = append(next, "n: next lesson")
		}
	}
	bottom := " " + spread(s.Accent.Render(strings.Join(next, " · ")), status, m.w-2)
	return top + "\n" + m.vp.View() + "\n" + bottom
}
