package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/stagecraft/stagecraft/lessons"
)

// place is one stop on the course's path: a lesson or an exercise.
type place struct {
	lesson    bool
	id, title string
}

// openNextMsg asks the root to replace the current screen with what follows from in the course.
type openNextMsg struct{ From string }

// nextAfter is what follows id (a lesson or an exercise) in the order the map lists them: a
// lesson's exercises, then the next lesson.
func nextAfter(c *lessons.Course, id string) (place, bool) {
	if c == nil {
		return place{}, false
	}
	var path []place
	for _, m := range c.Modules {
		for _, l := range m.Lessons {
			path = append(path, place{lesson: true, id: l.ID, title: l.Title})
			for _, e := range c.ExercisesForLesson(l.ID) {
				path = append(path, place{id: e.ID, title: e.Title})
			}
		}
	}
	for i, p := range path {
		if p.id == id && i+1 < len(path) {
			return path[i+1], true
		}
	}
	return place{}, false
}

// openNext leaves the current screen for the next lesson or exercise: esc from there goes back to
// where the current screen was opened from, not to the screen just finished.
func (m Model) openNext(from string) (tea.Model, tea.Cmd) {
	p, ok := nextAfter(m.c.Opts.Course, from)
	if !ok {
		m.status = "that was the last one in the course"
		return m, nil
	}
	if m.screen == screenExercise {
		m.exercise.stop()
	}
	if len(m.prev) > 0 {
		m.screen, m.prev = m.prev[len(m.prev)-1], m.prev[:len(m.prev)-1]
	} else {
		m.screen = screenHome
	}
	var next tea.Model
	var cmd tea.Cmd
	if p.lesson {
		next, cmd = m.openLesson(p.id)
	} else {
		next, cmd = m.openExercise(p.id)
	}
	return next, tea.Batch(cmd, loadSummary(m.c))
}

// fitShort drops a screen's least important keys (the last ones) until the footer fits w
// columns, keeping the last keep bindings (esc, ?) always: a cut footer hid exactly those.
func fitShort(bs []key.Binding, keep int, w int, view func([]key.Binding) string) []key.Binding {
	for len(bs) > keep && lipgloss.Width(view(bs)) > w {
		cut := len(bs) - keep - 1
		if cut < 0 {
			break
		}
		bs = append(append([]key.Binding{}, bs[:cut]...), bs[cut+1:]...)
	}
	return bs
}
