package tui

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/stagecraft/stagecraft/progress"
)

// row is one line of the course map: a module heading, a lesson or an exercise.
type row struct {
	kind     int // rowModule, rowLesson, rowExercise
	id       string
	title    string
	module   progress.ModuleSummary
	lesson   progress.LessonSummary
	exercise progress.ExerciseSummary
}

const (
	rowModule = iota
	rowLesson
	rowExercise
)

// homeModel is the course map.
type homeModel struct {
	c         *Common
	sum       progress.Summary
	rows      []row // all rows
	visible   []int // indexes into rows after the filter
	cursor    int   // index into visible
	offset    int
	filter    textinput.Model
	filtering bool
	loaded    bool // a summary came: the cursor starts where the learner left off
	w, h      int
}

func newHome(c *Common) *homeModel {
	ti := newTextInput()
	ti.Prompt = "/ "
	ti.Placeholder = "filter lessons and exercises"
	return &homeModel{c: c, filter: ti}
}

// newTextInput is a text field with a steady cursor: calm, and the same in every frame.
func newTextInput() textinput.Model {
	ti := textinput.New()
	st := ti.Styles()
	st.Cursor.Blink = false
	ti.SetStyles(st)
	return ti
}

func (m *homeModel) Init() tea.Cmd { return nil }

func (m *homeModel) SetSize(w, h int) tea.Cmd {
	m.w, m.h = w, h
	m.filter.SetWidth(max(w-6, 10))
	return nil
}

// Typing: the filter has the keys.
func (m *homeModel) Typing() bool { return m.filtering }

// OwnsEsc: esc clears a filter before it would do anything else.
func (m *homeModel) OwnsEsc() bool { return m.filter.Value() != "" }

func (m *homeModel) Close() {}

func (m *homeModel) setSummary(s progress.Summary, first bool) {
	var cur string
	if len(m.visible) > 0 && m.cursor < len(m.visible) {
		cur = m.rows[m.visible[m.cursor]].id
	}
	m.sum = s
	m.rows = m.rows[:0]
	course := m.c.Opts.Course
	for _, mod := range s.Modules {
		m.rows = append(m.rows, row{kind: rowModule, id: "module:" + mod.ID, title: mod.Title, module: mod})
		for _, l := range mod.Lessons {
			title := l.Title
			if cl := course.Lesson(l.ID); cl != nil {
				title = cl.Title
			}
			m.rows = append(m.rows, row{kind: rowLesson, id: l.ID, title: title, lesson: l})
			for _, e := range l.Exercises {
				title := e.ID
				if ce := course.Exercise(e.ID); ce != nil {
					title = ce.Title
				}
				m.rows = append(m.rows, row{kind: rowExercise, id: e.ID, title: title, exercise: e})
			}
		}
	}
	m.applyFilter()
	if first || cur == "" {
		cur = resumeLesson(s)
	}
	m.selectID(cur)
}

// resumeLesson is where the learner left off: the row of the last thing they did (a lesson
// read, its quiz taken, an exercise checked), or the next one when that thing is done; the
// first lesson for a new learner.
func resumeLesson(s progress.Summary) string {
	type place struct {
		id   string
		at   time.Time
		done bool
	}
	var order []place // lessons and their exercises, as the map lists them
	for _, m := range s.Modules {
		for _, l := range m.Lessons {
			at := l.LastRead
			if l.Quiz != nil && l.Quiz.Last != nil && l.Quiz.Last.At.After(at) {
				at = l.Quiz.Last.At
			}
			order = append(order, place{l.ID, at, l.Completed})
			for _, e := range l.Exercises {
				var eat time.Time
				if e.Last != nil {
					eat = e.Last.At
				}
				order = append(order, place{e.ID, eat, e.Status == progress.Passed})
			}
		}
	}
	if len(order) == 0 {
		return ""
	}
	last := -1
	for i, p := range order {
		if !p.at.IsZero() && (last < 0 || p.at.After(order[last].at)) {
			last = i
		}
	}
	if last < 0 {
		return order[0].id
	}
	if order[last].done && last+1 < len(order) {
		return order[last+1].id
	}
	return order[last].id
}

func (m *homeModel) selectID(id string) {
	for i, r := range m.visible {
		if m.rows[r].id == id {
			m.cursor = i
			return
		}
	}
	m.cursor = 0
	m.skipHeadings(1)
}

func (m *homeModel) applyFilter() {
	q := strings.ToLower(strings.TrimSpace(m.filter.Value()))
	m.visible = m.visible[:0]
	if q == "" {
		for i := range m.rows {
			m.visible = append(m.visible, i)
		}
		return
	}
	match := func(r row) bool {
		return strings.Contains(strings.ToLower(r.title), q) || strings.Contains(strings.ToLower(r.id), q)
	}
	for i := 0; i < len(m.rows); i++ {
		if m.rows[i].kind != rowModule {
			continue
		}
		head := i
		var hits []int
		for j := i + 1; j < len(m.rows) && m.rows[j].kind != rowModule; j++ {
			if match(m.rows[j]) || match(m.rows[head]) {
				hits = append(hits, j)
			}
		}
		if len(hits) > 0 {
			m.visible = append(m.visible, head)
			m.visible = append(m.visible, hits...)
		}
	}
	if m.cursor >= len(m.visible) {
		m.cursor = 0
	}
	m.skipHeadings(1)
}

// skipHeadings moves the cursor off module headings, in direction dir.
func (m *homeModel) skipHeadings(dir int) {
	for n := 0; n < len(m.visible); n++ {
		if m.cursor < 0 {
			m.cursor, dir = 0, 1
		}
		if m.cursor >= len(m.visible) {
			m.cursor, dir = len(m.visible)-1, -1
		}
		if m.rows[m.visible[m.cursor]].kind != rowModule {
			return
		}
		m.cursor += dir
	}
}

func (m homeModel) selected() (row, bool) {
	if m.cursor < 0 || m.cursor >= len(m.visible) {
		return row{}, false
	}
	return m.rows[m.visible[m.cursor]], true
}

func (m *homeModel) Keys() help.KeyMap {
	k := m.c.Keys.Home
	if m.filtering {
		apply := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply filter"))
		clear := key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear"))
		return bindings{short: []key.Binding{apply, clear}, full: [][]key.Binding{{apply, clear}}}
	}
	// r always works (it says when reviews come due); the footer shows it when some are due.
	rev := k.Reviews
	short := []key.Binding{k.Up, k.Down, k.Open, k.Filter, k.Stats, k.Quit}
	if m.sum.Due.Now > 0 {
		short = []key.Binding{k.Up, k.Down, k.Open, k.Filter, rev, k.Stats, k.Quit}
	}
	return bindings{
		short: short,
		full:  [][]key.Binding{{k.Up, k.Down, k.Top, k.Bottom}, {k.Open, k.Filter, rev, k.Stats, k.Quit}},
	}
}

func (m *homeModel) Update(msg tea.Msg) (Screen, tea.Cmd) {
	k := m.c.Keys.Home
	switch msg := msg.(type) {
	case summaryMsg:
		first := !m.loaded
		m.loaded = true
		m.setSummary(msg.sum, first)
		return m, nil
	case lessonOpenedMsg:
		m.selectID(msg.ID)
		return m, nil
	case tea.MouseWheelMsg:
		if msg.Button == tea.MouseWheelDown {
			m.move(1)
		} else if msg.Button == tea.MouseWheelUp {
			m.move(-1)
		}
		return m, nil
	case tea.KeyPressMsg:
		if m.filtering {
			switch msg.String() {
			case "enter":
				m.filtering = false
				m.filter.Blur()
				return m, nil
			case "esc":
				m.filtering = false
				m.filter.Blur()
				m.filter.SetValue("")
				m.applyFilter()
				return m, nil
			case "up", "down":
				m.move(map[string]int{"up": -1, "down": 1}[msg.String()])
				return m, nil
			}
			var cmd tea.Cmd
			m.filter, cmd = m.filter.Update(msg)
			m.applyFilter()
			return m, cmd
		}
		switch {
		case key.Matches(msg, k.Up):
			m.move(-1)
		case key.Matches(msg, k.Down):
			m.move(1)
		case key.Matches(msg, k.Top):
			m.cursor = 0
			m.skipHeadings(1)
		case key.Matches(msg, k.Bottom):
			m.cursor = len(m.visible) - 1
			m.skipHeadings(-1)
		case key.Matches(msg, k.Filter):
			m.filtering = true
			m.filter.SetValue("")
			m.applyFilter()
			return m, m.filter.Focus()
		case msg.String() == "esc" && m.filter.Value() != "":
			m.filter.SetValue("")
			m.applyFilter()
		case key.Matches(msg, k.Open):
			r, ok := m.selected()
			if !ok {
				return m, nil
			}
			if r.kind == rowExercise {
				return m, msgCmd(openExerciseMsg{ID: r.id})
			}
			return m, msgCmd(openLessonMsg{ID: r.id})
		case key.Matches(msg, k.Reviews):
			return m, msgCmd(openReviewsMsg{})
		case key.Matches(msg, k.Stats):
			return m, msgCmd(openStatsMsg{})
		case key.Matches(msg, k.Quit):
			return m, tea.Quit
		}
	}
	return m, nil
}

func (m *homeModel) move(d int) {
	if len(m.visible) == 0 {
		return
	}
	c := m.cursor + d
	if c < 0 || c >= len(m.visible) {
		return
	}
	m.cursor = c
	m.skipHeadings(d)
}

func msgCmd(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }
