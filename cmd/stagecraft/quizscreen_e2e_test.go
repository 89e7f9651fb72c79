package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stagecraft/stagecraft/content"
	"github.com/stagecraft/stagecraft/lessons"
)

// `stagecraft quiz` on a terminal, with the real binary in tmux: the quiz screen on its own,
// answered to its results, which offer nothing of the course app; esc there ends the command,
// which prints the score line.
func TestE2EQuizScreen(t *testing.T) {
	course, err := lessons.Load(content.FS())
	if err != nil {
		t.Fatal(err)
	}
	l := course.Modules[0].Lessons[0]
	q := course.QuizForLesson(l.ID)
	if q == nil {
		t.Fatalf("the first lesson %s has no quiz", l.ID)
	}
	e := newE2E(t)
	s := startTmux(t, e.env, e.bin, "--db", e.db, "quiz", "--lesson", l.ID)
	s.waitFor(20*time.Second, "1/")
	for i := 0; i < 40 && !strings.Contains(s.screen(), "results"); i++ {
		s.keys("a", "Enter")
		if strings.Contains(s.screen(), "right answer") || strings.Contains(s.screen(), "Right") {
			s.keys("Enter")
		}
	}
	scr := s.waitFor(10*time.Second, "results", "By difficulty", "enter done")
	if strings.Contains(scr, "retake") || strings.Contains(scr, "next lesson") {
		t.Errorf("the quiz command's results offer the course app's keys:\n%s", scr)
	}
	s.keys("Escape")
	want := fmt.Sprintf("%d of %d answered.", len(q.Questions), len(q.Questions))
	scr = s.waitFor(10*time.Second, q.Title+":", "points", want)
	if strings.Contains(scr, "panic") {
		t.Fatalf("panic:\n%s", scr)
	}
}
