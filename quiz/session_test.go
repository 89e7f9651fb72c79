package quiz

import (
	"os"
	"slices"
	"testing"
	"time"
)

func sessionQuestions(t testing.TB) []*Question {
	t.Helper()
	data, err := os.ReadFile("testdata/session.yaml")
	if err != nil {
		t.Fatal(err)
	}
	qz, err := Parse("session.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	return qz.Questions
}

var t0 = time.Date(2025, 5, 1, 10, 0, 0, 0, time.UTC)

func TestSessionAnswersInOrder(t *testing.T) {
	qs := sessionQuestions(t)
	s := NewSession("Practice", "", qs, WithStart(t0))
	if s.Mode != ModePractice || s.PassPercent != DefaultPassPercent {
		t.Fatalf("defaults: mode %q pass %d", s.Mode, s.PassPercent)
	}
	answers := []Answer{Choices{0}, Choices{1, 0}, Bool(false), Text("  --FROM "), Permutation{0, 1, 2, 3}, Line(1)}
	want := []bool{true, true, false, true, true, false}
	now := t0
	for i, a := range answers {
		q, ok := s.Current()
		if !ok || q != qs[i] || s.Index() != i {
			t.Fatalf("question %d: Current = %v, %v (index %d)", i, q, ok, s.Index())
		}
		now = now.Add(time.Duration(i+1) * time.Second)
		r := s.Answer(a, 1, now)
		if r.Result.Correct != want[i] || r.Result.Err != nil {
			t.Errorf("%s: correct %v (err %v), want %v", q.ID, r.Result.Correct, r.Result.Err, want[i])
		}
		if r.Took != time.Duration(i+1)*time.Second {
			t.Errorf("%s: took %v, want %ds", q.ID, r.Took, i+1)
		}
		if r.HintsUsed != 1 {
			t.Errorf("%s: hints %d, want 1 in practice mode", q.ID, r.HintsUsed)
		}
	}
	if !s.Done() || !s.Ended.Equal(now) {
		t.Fatalf("done %v ended %v, want done at %v", s.Done(), s.Ended, now)
	}
	if _, ok := s.Current(); ok {
		t.Fatal("Current after the last question")
	}
	if r := s.Answer(Bool(true), 0, now); r.Question != nil || len(s.Responses) != 6 {
		t.Fatal("Answer on a done session recorded something")
	}
	if s.Score() != 1+2+1+3 || s.MaxScore() != 9 {
		t.Fatalf("score %d/%d, want 7/9", s.Score(), s.MaxScore())
	}
}

func TestSessionShownExcludesFeedbackTime(t *testing.T) {
	s := NewSession("", ModePractice, sessionQuestions(t), WithStart(t0))
	s.Answer(Choices{0}, 0, t0.Add(5*time.Second))
	s.Shown(t0.Add(30 * time.Second)) // the learner read feedback for 25s
	r := s.Answer(Choices{0, 1}, 0, t0.Add(32*time.Second))
	if r.Took != 2*time.Second {
		t.Fatalf("took %v, want 2s", r.Took)
	}
}

func TestSessionExamHasNoHints(t *testing.T) {
	qs := sessionQuestions(t)
	s := NewSession("Exam", ModeExam, qs, WithStart(t0))
	if _, ok := s.Hint(0); ok {
		t.Fatal("exam mode gave a hint")
	}
	if r := s.Answer(Choices{0}, 2, t0.Add(time.Second)); r.HintsUsed != 0 {
		t.Fatalf("exam answer records %d hints", r.HintsUsed)
	}
	p := NewSession("Practice", ModePractice, qs, WithStart(t0))
	if h, ok := p.Hint(0); !ok || h != "Look at the first line." {
		t.Fatalf("practice hint 0 = %q, %v", h, ok)
	}
	if _, ok := p.Hint(1); ok {
		t.Fatal("a hint beyond the question's hints")
	}
	if ModeExam.ShowsFeedback() || !ModeReview.ShowsFeedback() || !ModeReview.HintsAllowed() {
		t.Fatal("mode rules")
	}
}

func TestSessionTimeLimit(t *testing.T) {
	qs := sessionQuestions(t)
	s := NewSession("Exam", ModeExam, qs, WithStart(t0), WithTimeLimit(10*time.Minute))
	if got := s.Remaining(t0.Add(4 * time.Minute)); got != 6*time.Minute {
		t.Fatalf("remaining %v, want 6m", got)
	}
	if s.Expired(t0.Add(10*time.Minute - time.Nanosecond)) {
		t.Fatal("expired before the limit")
	}
	s.Answer(Choices{0}, 0, t0.Add(time.Minute))
	r := s.Answer(Choices{0, 1}, 0, t0.Add(11*time.Minute))
	if !r.Late || r.Result.Points != 0 {
		t.Fatalf("late answer: %+v", r)
	}
	if len(s.Responses) != 1 || !s.Done() || !s.Ended.Equal(t0.Add(10*time.Minute)) {
		t.Fatalf("after a late answer: %d responses, done %v, ended %v", len(s.Responses), s.Done(), s.Ended)
	}
	if s.Remaining(t0.Add(11*time.Minute)) != 0 {
		t.Fatal("remaining after the end")
	}
	sum := Summarize(s, t0.Add(12*time.Minute))
	if !sum.TimedOut || sum.TimeUsed != 10*time.Minute || sum.Answered != 1 || sum.Score != 1 {
		t.Fatalf("summary: timed out %v, used %v, answered %d, score %d", sum.TimedOut, sum.TimeUsed, sum.Answered, sum.Score)
	}
	none := NewSession("", ModePractice, qs, WithStart(t0), WithTimeLimit(-time.Second))
	if none.TimeLimit != 0 || none.Expired(t0.Add(1000*time.Hour)) || none.Remaining(t0) != 0 {
		t.Fatal("a session without a limit expired")
	}
}

func TestSessionSkipAndFinish(t *testing.T) {
	qs := sessionQuestions(t)
	s := NewSession("Quit early", ModePractice, qs, WithStart(t0), WithPassPercent(150))
	if s.PassPercent != 100 {
		t.Fatalf("pass percent %d, want clamped to 100", s.PassPercent)
	}
	s.Answer(Choices{0}, 0, t0.Add(time.Second))
	r := s.Skip(t0.Add(2 * time.Second))
	if !r.Skipped || r.Answer != nil || r.Result.MaxPoints != 2 || r.Question.ID != "s-multiple" {
		t.Fatalf("skip: %+v", r)
	}
	if q, _ := s.Current(); q.ID != "s-tf" {
		t.Fatalf("after skip, current is %s", q.ID)
	}
	s.Finish(t0.Add(3 * time.Second))
	if !s.Done() {
		t.Fatal("not done after Finish")
	}
	s.Finish(t0.Add(time.Hour)) // no effect
	sum := Summarize(s, t0.Add(time.Hour))
	if sum.TimeUsed != 3*time.Second || sum.Answered != 1 || sum.Total != 6 {
		t.Fatalf("summary: used %v answered %d total %d", sum.TimeUsed, sum.Answered, sum.Total)
	}
	statuses := make([]string, len(sum.Questions))
	for i, o := range sum.Questions {
		statuses[i] = o.Status
	}
	want := []string{StatusCorrect, StatusSkipped, StatusUnanswered, StatusUnanswered, StatusUnanswered, StatusUnanswered}
	if !slices.Equal(statuses, want) {
		t.Fatalf("statuses %v, want %v", statuses, want)
	}
}

func TestSessionShownOrder(t *testing.T) {
	qs := sessionQuestions(t)
	s := NewSession("", ModePractice, qs[4:5], WithStart(t0), WithSeed(7))
	p := s.ShownOrder()
	if len(p) != 4 || qs[4].Check(p).Correct {
		t.Fatalf("item order %v: want a wrong permutation of 4", p)
	}
	if !slices.Equal(p, NewSession("", ModePractice, qs[4:5], WithSeed(7)).ShownOrder()) {
		t.Fatal("the same seed showed another order")
	}
	if got := NewSession("", ModePractice, qs[:1], WithSeed(7)).ShownOrder(); len(got) != len(qs[0].Options) {
		t.Fatalf("option order for a single question: %v", got)
	}
	if NewSession("", ModePractice, qs[2:3]).ShownOrder() != nil {
		t.Fatal("an order for a true_false question")
	}
}
