package tui

import (
	"testing"
	"time"

	"github.com/stagecraft/stagecraft/progress"
)

func TestResumeAtTheLastThingDone(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	sum := func(ex progress.ExerciseSummary, quizAt time.Time) progress.Summary {
		l1 := progress.LessonSummary{ID: "one", Read: true, LastRead: t0, Exercises: []progress.ExerciseSummary{ex}}
		if !quizAt.IsZero() {
			l1.Quiz = &progress.QuizSummary{Last: &progress.Score{At: quizAt}}
		}
		return progress.Summary{Modules: []progress.ModuleSummary{{Lessons: []progress.LessonSummary{l1, {ID: "two"}}}}}
	}
	cases := []struct {
		name string
		s    progress.Summary
		want string
	}{
		{"new learner", progress.Summary{Modules: []progress.ModuleSummary{{Lessons: []progress.LessonSummary{{ID: "one"}, {ID: "two"}}}}}, "one"},
		{"exercise checked last, not passed", sum(progress.ExerciseSummary{ID: "ex", Status: progress.Attempted, Last: &progress.Score{At: t0.Add(time.Hour)}}, time.Time{}), "ex"},
		{"exercise passed last: the next row", sum(progress.ExerciseSummary{ID: "ex", Status: progress.Passed, Last: &progress.Score{At: t0.Add(time.Hour)}}, time.Time{}), "two"},
		{"quiz taken after the exercise", sum(progress.ExerciseSummary{ID: "ex", Status: progress.Attempted, Last: &progress.Score{At: t0.Add(time.Hour)}}, t0.Add(2*time.Hour)), "one"},
	}
	for _, c := range cases {
		if got := resumeLesson(c.s); got != c.want {
			t.Errorf("%s: resume at %q, want %q", c.name, got, c.want)
		}
	}
}
