package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/stagecraft/stagecraft/study"
)

// A screen under the top one still gets the messages meant for it: the lesson under a quiz is
// laid out again when the window shrinks, so esc back to it shows it at the new width at once.
func TestScreenUnderneathFollowsResize(t *testing.T) {
	hs := newHarness(t, "under", 120, 40, nil)
	hs.keys("enter", "t")
	if hs.quiz() == nil {
		t.Fatal("t did not open the quiz")
	}
	if n := len(hs.model().stack); n != 3 {
		t.Fatalf("map, lesson, quiz: the stack holds %d screens", n)
	}
	hs.send(tea.WindowSizeMsg{Width: 70, Height: 40})
	hs.w = 70
	var cmd tea.Cmd
	hs.m, cmd = hs.m.Update(tea.KeyPressMsg{Code: tea.KeyEscape})
	_ = cmd // the summary reload: the lesson must not need it to be laid out
	if hs.lesson() == nil {
		t.Fatalf("esc from the quiz goes back to the lesson, not %T", hs.top())
	}
	f := ansi.Strip(hs.frame())
	if strings.Contains(f, "rendering…") {
		t.Fatalf("the lesson was not rendered while under the quiz:\n%s", f)
	}
	// The viewport cuts what is wider than the window; the text itself must be laid out anew.
	for _, l := range strings.Split(hs.lesson().rendered, "\n") {
		if w := ansi.StringWidth(l); w > 70 {
			t.Fatalf("the lesson is laid out %d columns wide after the window shrank to 70 under the quiz: %q", w, l)
		}
	}
	for _, l := range strings.Split(f, "\n") {
		if w := ansi.StringWidth(l); w > 70 {
			t.Errorf("a line is %d columns wide after the window shrank to 70 under the quiz: %q", w, l)
		}
	}
}

// Opening a screen over one of its kind replaces it: n through the lessons keeps one lesson on
// the stack, so esc goes straight back to the map.
func TestNextLessonReplacesTheLesson(t *testing.T) {
	hs := newHarness(t, "replace", 80, 24, nil)
	hs.keys("enter", "n", "n")
	if n := len(hs.model().stack); n != 2 {
		t.Fatalf("after two n the stack holds %d screens, want the map and one lesson", n)
	}
	hs.keys("esc")
	if !hs.onHome() {
		t.Fatalf("esc after n goes to %T, want the map", hs.top())
	}
}

// `stagecraft quiz` on a lesson's quiz: the results do not offer the course's next lesson or a
// retake (that app has no course screens), and esc on them ends the app.
func TestQuizAppResults(t *testing.T) {
	course := loadTestCourse(t)
	q := course.QuizForLesson("first-stage")
	plan := &study.Plan{Title: q.Title, Questions: q.Questions, Mode: ModePractice, Lesson: "first-stage", QuizID: q.ID, Seed: 1}
	m := newQuizApp(context.Background(), QuizOptions{Plan: plan, Course: course})
	m.c.Opts.Now = func() time.Time { return testNow }
	hs := &harness{t: t, m: m, name: "quizapp", w: 80, h: 24}
	hs.run(m.Init())
	hs.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	for i := 0; i < 20 && !hs.quiz().finished(); i++ {
		hs.keys("a", "enter", "enter")
	}
	if !hs.quiz().finished() {
		t.Fatal("the quiz did not finish")
	}
	f := ansi.Strip(hs.frame())
	if strings.Contains(f, "retake") || strings.Contains(f, "n: next") {
		t.Errorf("the quiz command's results offer course screens:\n%s", f)
	}
	hs.keys("r", "n")
	if hs.m.(quizApp).quitting || !hs.quiz().finished() {
		t.Fatal("r and n left the results")
	}
	hs.keys("esc")
	if !hs.m.(quizApp).quitting {
		t.Fatal("esc on the results does not end the quiz command")
	}
	if sum := hs.m.(quizApp).QuizSummary(); sum.Total != len(q.Questions) || sum.Answered != len(q.Questions) {
		t.Errorf("summary %+v, want %d questions answered", sum, len(q.Questions))
	}
}
