package tui

import (
	"fmt"
	"reflect"

	tea "charm.land/bubbletea/v2"

	"github.com/stagecraft/stagecraft/progress"
	"github.com/stagecraft/stagecraft/study"
)

// show puts s on top of the stack and starts it. A screen opened over one of its own kind takes
// its place (the next lesson from a lesson, a quiz taken again), so esc goes back to where the
// first was opened from; the map at the bottom is never replaced.
func (m *Model) show(s Screen) tea.Cmd {
	if top := m.top(); len(m.stack) > 1 && reflect.TypeOf(top) == reflect.TypeOf(s) {
		top.Close()
		m.stack[len(m.stack)-1] = s
	} else {
		m.stack = append(m.stack, s)
	}
	return s.Init()
}

// pop leaves the screen on top for the one under it; the map stays.
func (m *Model) pop() {
	if len(m.stack) == 1 {
		return
	}
	m.top().Close()
	m.stack[len(m.stack)-1] = nil
	m.stack = m.stack[:len(m.stack)-1]
}

func (m *Model) back() tea.Cmd {
	m.pop()
	return loadSummary(m.c)
}

func (m *Model) openLesson(id string) tea.Cmd {
	l := m.c.Opts.Course.Lesson(id)
	if l == nil {
		return nil
	}
	ls, _ := m.summary.Lesson(id)
	cmd := m.show(newLesson(m.c, l, ls.Read))
	return tea.Batch(cmd, m.toAll(lessonOpenedMsg{ID: id}))
}

func (m *Model) openQuiz(lessonID string) tea.Cmd {
	o := m.c.Opts
	p, err := o.Study.LessonQuiz(m.c.Ctx, lessonID, study.Request{At: o.now()})
	switch {
	case err != nil:
		m.shell.status = "quiz: " + err.Error()
		return nil
	case p == nil:
		m.shell.status = "this lesson has no quiz"
		return nil
	}
	cfg := configOf(p, 0)
	cfg.InCourse = true
	return m.show(newQuizModel(m.c, cfg))
}

func (m *Model) openReviews() tea.Cmd {
	o := m.c.Opts
	if !o.Study.Saves() {
		m.shell.status = "no progress store: reviews need one"
		return nil
	}
	// The review `stagecraft quiz --review` runs: due questions first, then ones never answered.
	p, err := o.Study.Review(m.c.Ctx, study.Request{At: o.now()})
	if err != nil {
		m.shell.status = "reviews: " + err.Error()
		return nil
	}
	if len(p.Questions) == 0 {
		m.shell.status = noReviewsYet(p.Due)
		return nil
	}
	return m.show(newQuizModel(m.c, configOf(p, 0)))
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

func (m *Model) openExercise(id string) tea.Cmd {
	ex := m.c.Opts.Course.Exercise(id)
	if ex == nil {
		m.shell.status = fmt.Sprintf("no exercise %q", id)
		return nil
	}
	return m.show(newExercise(m.c, ex))
}

// openNext leaves the current screen for the next lesson or exercise: esc from there goes back to
// where the current screen was opened from, not to the screen just finished.
func (m *Model) openNext(from string) tea.Cmd {
	p, ok := nextAfter(m.c.Opts.Course, from)
	if !ok {
		m.shell.status = "that was the last one in the course"
		return nil
	}
	m.pop()
	var cmd tea.Cmd
	if p.lesson {
		cmd = m.openLesson(p.id)
	} else {
		cmd = m.openExercise(p.id)
	}
	return tea.Batch(cmd, loadSummary(m.c))
}

func loadSummary(c *Common) tea.Cmd {
	o := c.Opts
	ctx := c.Ctx
	return func() tea.Msg {
		s, err := o.Study.Summary(ctx)
		return summaryMsg{sum: s, err: err}
	}
}
