package lineui

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stagecraft/stagecraft/content"
	"github.com/stagecraft/stagecraft/lessons"
	"github.com/stagecraft/stagecraft/progress"
	"github.com/stagecraft/stagecraft/sandbox"
)

// Without a terminal, the course map, the learner's progress on it and the CLI's commands are
// printed.
func TestWriteCourse(t *testing.T) {
	c, err := lessons.Load(content.FS())
	if err != nil {
		t.Fatal(err)
	}
	first := c.Modules[0].Lessons[0]
	exs := c.ExercisesForLesson(first.ID)
	var ex *lessons.Exercise
	for _, m := range c.Modules {
		for _, l := range m.Lessons {
			if e := c.ExercisesForLesson(l.ID); ex == nil && len(e) > 0 {
				ex = e[0]
			}
		}
	}
	if ex == nil {
		t.Fatal("the built-in course has no exercise")
	}

	var empty strings.Builder
	WriteCourse(&empty, c, progress.Summary{})
	for _, want := range []string{c.Title, c.Modules[0].Title, first.Title, "exercise " + ex.ID, "not started", "stagecraft quiz"} {
		if !strings.Contains(empty.String(), want) {
			t.Errorf("missing %q in:\n%s", want, empty.String())
		}
	}
	if strings.Contains(empty.String(), "Progress ") {
		t.Errorf("no store, yet a progress line:\n%s", empty.String())
	}

	// A learner who read the first lesson and scored 3 of 4 on its quiz.
	ls := progress.LessonSummary{ID: first.ID, Read: true,
		Quiz: &progress.QuizSummary{Best: &progress.Score{Score: progress.PointsOf(3), MaxScore: progress.PointsOf(4)}}}
	for _, e := range exs {
		ls.Exercises = append(ls.Exercises, progress.ExerciseSummary{ID: e.ID, Status: progress.Passed, BestImage: 4_400_000})
	}
	sum := progress.Summary{Modules: []progress.ModuleSummary{{ID: c.Modules[0].ID, Lessons: []progress.LessonSummary{ls}}},
		Read: progress.Count{Done: 1, Total: len(c.Lessons)}, Completion: progress.Count{Done: 1, Total: len(c.Lessons)}}
	var b strings.Builder
	WriteCourse(&b, c, sum)
	for _, want := range []string{
		"Progress ", "lessons 1/" + strconv.Itoa(len(c.Lessons)) + " read",
		"  ✓ " + first.Title, "quiz 3/4",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("missing %q in:\n%s", want, b.String())
		}
	}
	if len(exs) > 0 && !strings.Contains(b.String(), "passed, smallest image "+sandbox.HumanBytes(4_400_000)) {
		t.Errorf("the first lesson's exercise is not shown passed with its image size:\n%s", b.String())
	}
}
