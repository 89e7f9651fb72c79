package tui

import (
	"fmt"
	"reflect"

	tea "charm.land/bubbletea/v2"

	"github.com/stagecraft/stagecraft/progress"
	"github.com/stagecraft/stagecraft/quiz"
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
	q := m.c.Opts.Course.QuizForLesson(lessonID)
	if q == nil {
		m.shell.status = "this lesson has no quiz"
		return nil
	}
	return m.show(newQuizModel(m.c, quizConfig{
		Title: q.Title, QuizID: q.ID, LessonID: lessonID, Questions: q.Questions, Mode: ModePractice,
		PassPercent: q.PassPercent, InCourse: true,
	}))
}

func (m *Model) openReviews() tea.Cmd {
	o := m.c.Opts
	if o.Store == nil {
		m.shell.status = "no progress store: reviews need one"
		return nil
	}
	cards, err := o.Store.DueCards(m.c.Ctx, o.Learner, o.now(), 20)
	if err != nil {
		m.shell.status = "reviews: " + err.Error()
		return nil
	}
	qs := questionsOf(o.Course, cards)
	if len(qs) == 0 {
		m.shell.status = noReviewsYet(m.summary.Due)
		return nil
	}
	return m.show(newQuizModel(m.c, quizConfig{Title: "Due reviews", Questions: qs, Mode: ModeReview, PassPercent: quiz.DefaultPassPercent}))
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
		if o.Store == nil {
			return summaryMsg{sum: emptySummary(o)}
		}
		s, err := o.Store.Summary(ctx, o.Learner, o.Outline, o.now())
		return summaryMsg{sum: s, err: err}
	}
}

// emptySummary is the summary of a learner with no store: nothing done.
func emptySummary(o *Options) progress.Summary {
	s := progress.Summary{Learner: o.Learner}
	for _, m := range o.Outline.Modules {
		ms := progress.ModuleSummary{ID: m.ID, Title: m.Title}
		for _, l := range m.Lessons {
			ls := progress.LessonSummary{ID: l.ID, Title: l.Title}
			for _, e := range l.ExerciseIDs {
				ls.Exercises = append(ls.Exercises, progress.ExerciseSummary{ID: e, Status: progress.NotStarted})
				s.Exercises.Total++
			}
			ms.Lessons = append(ms.Lessons, ls)
			s.Lessons.Total++
			s.Read.Total++
		}
		s.Modules = append(s.Modules, ms)
	}
	s.Completion.Total = s.Lessons.Total + s.Exercises.Total
	return s
}
