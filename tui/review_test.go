package tui

import (
	"context"
	"strings"
	"testing"

	"github.com/stagecraft/stagecraft/quiz"
)

// The app's review is the one `stagecraft quiz --review` runs: questions never answered come in
// after the due ones (a new learner has reviews to do), at the course's pass mark, and its
// answers are saved in a review run like the command line's.
func TestReviewBringsUnseenQuestions(t *testing.T) {
	hs := newHarness(t, "review", 80, 24, nil)
	hs.send(openReviewsMsg{})
	m := hs.quiz()
	if m == nil {
		t.Fatalf("a new learner's review opened nothing: %q", hs.model().shell.status)
	}
	all := loadTestCourse(t).AllQuestions()
	if len(m.sess.Questions) != len(all) || m.sess.Questions[0].ID != all[0].ID {
		t.Fatalf("review asks %d questions, the course has %d unseen", len(m.sess.Questions), len(all))
	}
	if m.cfg.Mode != quiz.ModeReview || m.cfg.PassPercent != quiz.DefaultPassPercent || m.cfg.QuizID != "session:review" {
		t.Fatalf("review config = %+v", m.cfg)
	}
	q := m.sess.Questions[0]
	if q.Type != quiz.TypeSingle {
		t.Fatalf("the test course's first question is %s, not single", q.Type)
	}
	right := quiz.ShownPosition(m.sess.ShownOrder(), q.CorrectOptions()[0])
	hs.keys(strings.ToLower(quiz.OptionLetter(right)), "enter")
	runs, err := hs.store.QuizRuns(context.Background(), "ada", "session:review")
	if err != nil || len(runs) != 1 {
		t.Fatalf("one review run; got %+v, %v", runs, err)
	}
	answers, _ := hs.store.Answers(context.Background(), "ada", q.ID)
	if len(answers) != 1 || !answers[0].Correct || answers[0].RunUID != runs[0].UID {
		t.Fatalf("the answer is saved in the review run; got %+v", answers)
	}
}
