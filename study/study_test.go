package study

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stagecraft/stagecraft/content"
	"github.com/stagecraft/stagecraft/lessons"
	"github.com/stagecraft/stagecraft/progress"
	"github.com/stagecraft/stagecraft/quiz"
)

var t0 = time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)

func openStore(t *testing.T) *progress.Store {
	t.Helper()
	st, err := progress.Open(context.Background(), filepath.Join(t.TempDir(), "progress.db"), progress.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

var course = sync1(func() (*lessons.Course, error) { return lessons.Load(content.FS()) })

func sync1[T any](f func() (T, error)) func(testing.TB) T {
	var (
		v    T
		err  error
		done bool
	)
	return func(t testing.TB) T {
		t.Helper()
		if !done {
			v, err = f()
			done = true
		}
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// clock is a settable clock for a service.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

// newService is the built-in course on a fresh store file, at t0.
func newService(t *testing.T) (*Service, *progress.Store, *clock) {
	t.Helper()
	st, c := openStore(t), &clock{now: t0}
	return New(Config{Course: course(t), Store: st, Learner: "ada", Now: c.Now, CacheDir: t.TempDir()}), st, c
}

func completed(t *testing.T, st *progress.Store, learner string) map[string]bool {
	t.Helper()
	cs, err := st.Completions(context.Background(), learner)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, c := range cs {
		out[c.Lesson] = true
	}
	return out
}

// answer is the author's right answer to q (or a wrong one), as a learner would type it with
// the options in the author's order.
func answer(t *testing.T, q *quiz.Question, right bool) quiz.Answer {
	t.Helper()
	var in string
	switch q.Type {
	case quiz.TypeSingle, quiz.TypeMultiple:
		var picks []string
		for i, o := range q.Options {
			if o.Correct == right {
				picks = append(picks, quiz.OptionLetter(i))
			}
		}
		if !right || q.Type == quiz.TypeSingle {
			picks = picks[:1]
		}
		in = strings.Join(picks, " ")
	case quiz.TypeTrueFalse:
		in = strconv.FormatBool(q.IsTrue == right)
	case quiz.TypeShort:
		in = "certainly not this"
		if right {
			in = q.Accept[0]
		}
	case quiz.TypeOrder:
		var pos []string
		for i := range q.Items {
			pos = append(pos, strconv.Itoa(i+1))
		}
		if !right {
			pos[0], pos[1] = pos[1], pos[0]
		}
		in = strings.Join(pos, " ")
	case quiz.TypeSpotLine:
		in = strconv.Itoa(q.AnswerLine)
		if !right {
			in = strconv.Itoa(q.AnswerLine%len(q.CodeLines()) + 1)
		}
	}
	a, err := quiz.ParseAnswer(q, in, nil)
	if err != nil {
		t.Fatalf("%s: %v", q.ID, err)
	}
	return a
}

// sit answers every question of the plan through a Run, right while right(i), and finishes it.
func sit(t *testing.T, s *Service, p *Plan, right func(i int) bool) quiz.Summary {
	t.Helper()
	ctx := context.Background()
	sess := p.Session(s.Now(), 0)
	run := s.NewRun(p, sess.Started)
	for i := 0; ; i++ {
		q, ok := sess.Current()
		if !ok {
			break
		}
		if err := run.Record(ctx, sess.Answer(answer(t, q, right(i)), 0, s.Now())); err != nil {
			t.Fatal(err)
		}
	}
	sum := quiz.Summarize(sess, s.Now())
	if scored, err := run.Finish(ctx, sess, sum, s.Now()); err != nil || scored != s.Saves() {
		t.Fatalf("finish: scored %v, %v", scored, err)
	}
	return sum
}

// A lesson's quiz completes the lesson when passed, from whichever face: the plan of
// `quiz --lesson X` and the app's lesson quiz are the same plan. A failed run, or a practice
// that is not the whole quiz, does not.
func TestLessonQuizPassedCompletesTheLesson(t *testing.T) {
	ctx := context.Background()
	s, st, _ := newService(t)
	b, err := s.Bank()
	if err != nil {
		t.Fatal(err)
	}
	lesson := course(t).Lessons[0].ID
	qs, err := Select(b, Filter{Lessons: []string{lesson}})
	if err != nil {
		t.Fatal(err)
	}
	cli, err := s.Plan(ctx, qs, Request{})
	if err != nil {
		t.Fatal(err)
	}
	app, err := s.LessonQuiz(ctx, lesson, Request{})
	if err != nil {
		t.Fatal(err)
	}
	qz := course(t).QuizForLesson(lesson)
	if cli.Lesson != lesson || app.Lesson != lesson || cli.QuizID != qz.ID || app.QuizID != qz.ID || cli.Pass != qz.PassPercent || app.Pass != qz.PassPercent {
		t.Fatalf("plans: cli %+v, app %+v", cli, app)
	}
	// Two questions only: practice, not the lesson's quiz.
	part, _ := s.Plan(ctx, qs, Request{Count: 2})
	if part.Lesson != "" || part.QuizID != "session:practice" {
		t.Fatalf("part of a quiz counts as the lesson's: %+v", part)
	}
	sit(t, s, part, func(int) bool { return true })
	if sum := sit(t, s, app, func(int) bool { return false }); sum.Passed || completed(t, st, "ada")[lesson] {
		t.Fatal("a failed run completed the lesson")
	}
	if sum := sit(t, s, cli, func(int) bool { return true }); !sum.Passed {
		t.Fatal("all right and not passed")
	}
	if got := completed(t, st, "ada"); !got[lesson] || len(got) != 1 {
		t.Fatalf("completions = %v, want %s only", got, lesson)
	}
	runs, err := st.QuizRuns(ctx, "ada", qz.ID)
	if err != nil || len(runs) != 2 || runs[0].Finished.IsZero() || runs[1].Finished.IsZero() {
		t.Fatalf("two finished runs of %s: %+v, %v", qz.ID, runs, err)
	}
}

// A run quit before its end keeps its answers and gets no score; skipped questions are no answer.
func TestRunQuitEarlyIsNotScored(t *testing.T) {
	ctx := context.Background()
	s, st, _ := newService(t)
	p, err := s.LessonQuiz(ctx, course(t).Lessons[0].ID, Request{})
	if err != nil {
		t.Fatal(err)
	}
	sess := p.Session(t0, 0)
	run := s.NewRun(p, t0)
	first := sess.Questions[0]
	if err := run.Record(ctx, sess.Answer(answer(t, first, true), 1, t0)); err != nil {
		t.Fatal(err)
	}
	second := sess.Questions[1]
	if err := run.Record(ctx, sess.Skip(t0)); err != nil {
		t.Fatal(err)
	}
	sess.Finish(t0)
	sum := quiz.Summarize(sess, t0)
	if scored, err := run.Finish(ctx, sess, sum, t0); scored || err != nil {
		t.Fatalf("a run quit early was scored: %v, %v", scored, err)
	}
	runs, _ := st.QuizRuns(ctx, "ada", p.QuizID)
	if len(runs) != 1 || !runs[0].Finished.IsZero() {
		t.Fatalf("one unfinished run; got %+v", runs)
	}
	a1, _ := st.Answers(ctx, "ada", first.ID)
	a2, _ := st.Answers(ctx, "ada", second.ID)
	if len(a1) != 1 || !a1[0].Correct || a1[0].RunUID != runs[0].UID || a1[0].HintsUsed != 1 || len(a2) != 0 {
		t.Fatalf("answers: %+v; skipped: %+v", a1, a2)
	}
}

// A review takes the due questions first, then questions never answered; questions answered
// and not yet due wait for their day. The due counts use the store's day boundary.
func TestReviewBringsDueThenUnseen(t *testing.T) {
	ctx := context.Background()
	s, st, clk := newService(t)
	b, _ := s.Bank()
	all := b.Questions()
	p, err := s.Review(ctx, Request{Count: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Questions) != 5 || p.DueInRun != 0 || p.Questions[0] != all[0] || p.Pass != quiz.DefaultPassPercent || p.QuizID != "session:review" {
		t.Fatalf("a first review is the first unseen questions: %+v", p)
	}
	// Answer the first three: one wrong (due again soon), two right (due in days).
	sess := p.Session(t0, 0)
	run := s.NewRun(p, t0)
	for i := 0; i < 3; i++ {
		q, _ := sess.Current()
		if err := run.Record(ctx, sess.Answer(answer(t, q, i != 0), 0, t0)); err != nil {
			t.Fatal(err)
		}
	}
	clk.now = t0.Add(2 * time.Hour)
	p, err = s.Review(ctx, Request{Count: 3})
	if err != nil {
		t.Fatal(err)
	}
	if p.DueInRun != 1 || p.Questions[0] != all[0] || p.Questions[1] != all[3] || p.Questions[2] != all[4] {
		var ids []string
		for _, q := range p.Questions {
			ids = append(ids, q.ID)
		}
		t.Fatalf("review = %v (%d due), want %s then %s, %s", ids, p.DueInRun, all[0].ID, all[3].ID, all[4].ID)
	}
	want, err := st.DueCounts(ctx, "ada", clk.now)
	if err != nil {
		t.Fatal(err)
	}
	if p.Due != want || p.Due.Now != 1 {
		t.Fatalf("due among all = %+v, the store counts %+v", p.Due, want)
	}
	// Among questions without cards nothing is due.
	if d, _ := s.DueAmong(ctx, all[5:], clk.now); d != (progress.DueCounts{}) {
		t.Fatalf("due among unseen = %+v", d)
	}
}

func TestReadLessonCompletesOnlyWithoutQuiz(t *testing.T) {
	ctx := context.Background()
	s, st, _ := newService(t)
	c := course(t)
	withQuiz, noQuiz := "", ""
	for _, l := range c.Lessons {
		if c.QuizForLesson(l.ID) != nil && withQuiz == "" {
			withQuiz = l.ID
		}
		if c.QuizForLesson(l.ID) == nil && noQuiz == "" {
			noQuiz = l.ID
		}
	}
	for _, l := range []string{withQuiz, noQuiz} {
		if l == "" {
			continue
		}
		if err := s.ReadLesson(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	if got := completed(t, st, "ada"); got[withQuiz] || (noQuiz != "" && !got[noQuiz]) {
		t.Fatalf("completions = %v, want only %q", got, noQuiz)
	}
}

// Answers are recorded by the author's option, whatever order they were shown in.
func TestAnswerOfNamesTheAuthorsOption(t *testing.T) {
	q := &quiz.Question{ID: "q1", Type: quiz.TypeSingle, Options: []quiz.Option{{Text: "a"}, {Text: "b", Correct: true}}}
	// Shown with b first: the learner picked the first option shown, which is the author's second.
	r := quiz.Response{Question: q, Answer: quiz.Choices{1}, Shown: quiz.Permutation{1, 0}, Result: quiz.Result{Correct: true, Points: 1, MaxPoints: 1}}
	a := AnswerOf(r, "run-1")
	if a.Given != quiz.FormatAnswer(q, quiz.Choices{1}) || !a.Correct || a.RunUID != "run-1" || a.Question != "q1" {
		t.Fatalf("answer = %+v", a)
	}
}

// Without a store the service saves nothing and still plans.
func TestNoStore(t *testing.T) {
	ctx := context.Background()
	s := New(Config{Course: course(t), Learner: "ada", Now: func() time.Time { return t0 }})
	sum, err := s.Summary(ctx)
	if err != nil || sum.Lessons.Total != len(course(t).Lessons) || sum.Lessons.Done != 0 {
		t.Fatalf("summary: %+v, %v", sum.Lessons, err)
	}
	p, err := s.Review(ctx, Request{})
	if err != nil || len(p.Questions) != DefaultReviewCount {
		t.Fatalf("review without a store: %v", err)
	}
	sit(t, s, p, func(int) bool { return true })
}
