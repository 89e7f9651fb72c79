package tui

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/stagecraft/stagecraft/progress"
	"github.com/stagecraft/stagecraft/sandbox"
)

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
