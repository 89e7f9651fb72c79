package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/stagecraft/stagecraft/progress"
	"github.com/stagecraft/stagecraft/sandbox"
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

func (m homeModel) View() string {
	s := m.c.Styles
	w := max(m.w, 40)
	var b strings.Builder
	course := m.c.Opts.Course
	sum := m.sum
	// Header: title, overall progress, due reviews, streak.
	pct := sum.Completion.Percent()
	bar := progressBar(s, pct, min(24, w/4))
	head := s.Title.Render(course.Title)
	right := fmt.Sprintf("%s %3d%%", bar, pct)
	b.WriteString(" " + spread(head, right, w-2) + "\n")
	due := "no reviews due"
	if sum.Due.Now > 0 {
		due = s.Warn.Render(fmt.Sprintf("%d reviews due (r)", sum.Due.Now))
	}
	streak := ""
	if sum.Streak.Current > 0 {
		streak = fmt.Sprintf(" · streak %d day%s", sum.Streak.Current, plural(sum.Streak.Current))
	}
	b.WriteString(" " + s.Faint.Render(fmt.Sprintf("lessons %d/%d read · exercises %d/%d passed%s · ",
		sum.Read.Done, sum.Read.Total, sum.Exercises.Done, sum.Exercises.Total, streak)) + due + "\n")
	if m.filtering || m.filter.Value() != "" {
		b.WriteString(" " + m.filter.View() + "\n")
	} else {
		b.WriteString("\n")
	}
	// Rows, scrolled so the cursor shows.
	listH := max(m.h-3, 1)
	off := m.offset
	if m.cursor < off {
		off = m.cursor
	}
	if m.cursor >= off+listH {
		off = m.cursor - listH + 1
	}
	// Keep the module heading of the first lesson in view when there is room.
	if off > 0 && m.cursor-off < listH-1 && m.rows[m.visible[off-1]].kind == rowModule {
		off--
	}
	if len(m.visible) == 0 {
		b.WriteString(s.Faint.Render("   nothing matches the filter") + "\n")
	}
	for i := off; i < len(m.visible) && i < off+listH; i++ {
		b.WriteString(m.renderRow(m.rows[m.visible[i]], i == m.cursor, w) + "\n")
	}
	return b.String()
}

// mapLegend says what the map's marks mean, for the help screen.
const mapLegend = "✓ done (read, and quiz passed) · ◐ half done · · not started\n" +
	"quiz ✓ 4/5 passed (best) · quiz 1/5 best, not passed · quiz — not taken"

// Legend is the map's part of the full help.
func (m *homeModel) Legend() string {
	return m.c.Styles.Subtitle.Render("  On the map") + "\n" + indent(mapLegend, 2)
}

func (m homeModel) renderRow(r row, selected bool, w int) string {
	s := m.c.Styles
	switch r.kind {
	case rowModule:
		return " " + s.Subtitle.Render(r.title) + s.Faint.Render(fmt.Sprintf("  %d/%d", r.module.Completion.Done, r.module.Completion.Total))
	case rowLesson:
		// ✓ means one thing: the lesson is done (read, and its quiz passed); the quiz's own mark
		// is in the quiz column (mapLegend says so in the help).
		mark := s.Faint.Render("·")
		switch {
		case r.lesson.Completed && r.lesson.Read:
			mark = s.OK.Render("✓")
		case r.lesson.Read || r.lesson.Completed:
			mark = s.Accent.Render("◐")
		}
		quiz := ""
		if q := r.lesson.Quiz; q != nil {
			switch {
			case q.Best != nil && r.lesson.Completed:
				quiz = fmt.Sprintf("quiz ✓ %s/%s", points(q.Best.Score), points(q.Best.MaxScore))
			case q.Best != nil:
				quiz = fmt.Sprintf("quiz %s/%s", points(q.Best.Score), points(q.Best.MaxScore))
			default:
				quiz = "quiz —"
			}
		}
		title := r.title
		cur := "  "
		if selected {
			cur = s.Cursor.Render("▸ ")
			title = s.Selected.Render(title)
		}
		left := " " + cur + mark + " " + title
		return spread(truncateStyled(left, w-14), s.Faint.Render(quiz), w-1)
	default:
		e := r.exercise
		status := string(e.Status)
		st := s.Faint
		switch e.Status {
		case progress.Passed, progress.PassedEarlier:
			st = s.OK
			status = "passed"
		case progress.Attempted:
			st = s.Warn
		}
		info := st.Render(status)
		if e.BestImage > 0 {
			info += s.Faint.Render(" · " + sandbox.HumanBytes(e.BestImage))
		}
		title := "⚒ " + r.title
		cur := "  "
		if selected {
			cur = s.Cursor.Render("▸ ")
			title = s.Selected.Render(title)
		}
		left := "     " + cur + title
		return spread(truncateStyled(left, w-lipgloss.Width(info)-3), info, w-1)
	}
}

// spread puts left and right on one line of width w.
func spread(left, right string, w int) string {
	gap := w - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		gap = 1
	}
	return left + strings.Repeat(" ", gap) + right
}

func truncateStyled(s string, w int) string {
	if lipgloss.Width(s) <= w {
		return s
	}
	return lipgloss.NewStyle().MaxWidth(max(w-1, 1)).Render(s) + "…"
}

func progressBar(s Styles, pct, w int) string {
	if w < 4 {
		w = 4
	}
	full := pct * w / 100
	return s.BarFull.Render(strings.Repeat("█", full)) + s.BarEmpty.Render(strings.Repeat("░", w-full))
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// points writes whole points without decimals: 2, 1.5.
func points(p progress.Points) string {
	return strings.TrimSuffix(strings.TrimRight(strings.TrimRight(p.String(), "0"), "."), ".")
}
