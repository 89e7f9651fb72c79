package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stagecraft/stagecraft/progress"
	"github.com/stagecraft/stagecraft/quiz"
	"github.com/stagecraft/stagecraft/study"
	"github.com/stagecraft/stagecraft/tui"
)

// TestQuizReviewOrder prepares review cards through the progress API and checks that review asks
// the due ones in the scheduler's order, then new ones, and leaves the not-yet-due alone.
func TestQuizReviewOrder(t *testing.T) {
	e := newQuizEnv(t, "")
	ctx := context.Background()
	st := e.store(t)
	record := func(id string, correct bool, at time.Time) {
		t.Helper()
		q := e.course.Question(id)
		if _, err := st.RecordAnswer(ctx, "ann", progress.Answer{Question: id, QuestionType: string(q.Type),
			ContentHash: q.ContentHash(), Correct: correct, Took: 30 * time.Second, At: at}); err != nil {
			t.Fatal(err)
		}
	}
	record("st-tf", true, quizT0.Add(-60*24*time.Hour))     // long ago: most overdue
	record("st-single", false, quizT0.Add(-2*24*time.Hour)) // forgotten two days ago
	record("cp-short", true, quizT0.Add(-time.Hour))        // just learned: not due
	record("st-spot", true, quizT0.Add(-20*24*time.Hour))
	due, err := st.DueCards(ctx, "ann", quizT0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var dueIDs []string
	for _, c := range due {
		dueIDs = append(dueIDs, c.Question)
	}
	if slices.Contains(dueIDs, "cp-short") || len(dueIDs) < 2 {
		t.Fatalf("the prepared cards are not as the test expects: due %v", dueIDs)
	}
	counts, _ := st.DueCounts(ctx, "ann", quizT0)
	st.Close()

	// Answer the first question wrong, then quit.
	first := e.course.Question(dueIDs[0])
	e.g.In = strings.NewReader(typed(t, first, first.ShownOrder(3), false) + "\nq\n")
	o := e.options()
	o.Review, o.Seed, o.SeedSet = true, 3, true
	if err := runQuiz(ctx, o); err != nil {
		t.Fatalf("%v\n%s", err, e.out)
	}
	// Due first (the store's order), then never-answered in course order; cp-short waits.
	var want []string
	want = append(want, dueIDs...)
	for _, q := range e.course.AllQuestions() {
		if !slices.Contains([]string{"st-tf", "st-single", "cp-short", "st-spot"}, q.ID) {
			want = append(want, q.ID)
		}
	}
	text := e.out.String()
	for _, w := range []string{
		fmt.Sprintf("Review: %d due now, %d due today, %d due tomorrow.", counts.Now, counts.Today, counts.Tomorrow),
		fmt.Sprintf("This session: %d questions, %d due and %d new.", len(want), len(dueIDs), len(want)-len(dueIDs)),
		fmt.Sprintf("Question 1 of %d", len(want)),
		strings.TrimSpace(first.Prompt),
		"Reviews now due:",
	} {
		if !strings.Contains(text, w) {
			t.Errorf("output lacks %q\n%s", w, text)
		}
	}

	st2 := e.store(t)
	svc := study.New(study.Config{Course: e.course, Store: st2, Learner: "ann", Now: func() time.Time { return quizT0 }})
	p, err := svc.Plan(ctx, e.course.AllQuestions(), study.Request{Mode: quiz.ModeReview, Seed: 3, SeedSet: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, q := range p.Questions {
		got = append(got, q.ID)
	}
	// After the wrong answer the first card is due again soon, but not at quizT0: the order at
	// quizT0 without it is the rest of the due ones, then the new ones.
	card, _, _ := st2.Card(ctx, "ann", dueIDs[0])
	if card.Due.After(quizT0) {
		want = want[1:]
	}
	if !slices.Equal(got, want) {
		t.Errorf("review order %v, want %v", got, want)
	}
}

func TestQuizBadInput(t *testing.T) {
	tests := []struct {
		name string
		set  func(o *quizOptions)
		want string
	}{
		{"unknown lesson", func(o *quizOptions) { o.Lessons = []string{"stagez"} }, "--lesson stagez: no such lesson (did you mean stages?)"},
		{"lesson by part of its name", func(o *quizOptions) { o.Lessons = []string{"cop"} }, "--lesson cop: no such lesson (did you mean copy?)"},
		{"unknown lesson, nothing near", func(o *quizOptions) { o.Lessons = []string{"networking"} }, "--lesson networking: no such lesson; the lessons are stages, copy"},
		{"unknown module", func(o *quizOptions) { o.Modules = []string{"basic"} }, "--module basic: no such module (did you mean basics?); the modules are basics"},
		{"unknown tag", func(o *quizOptions) { o.Tags = []string{"stage"} }, "--tag stage: no question has this tag (did you mean stages?)"},
		{"empty filter", func(o *quizOptions) {
			o.Lessons, o.Difficulties = []string{"copy"}, []string{"easy", "hard"}
			o.Tags = []string{"stages"}
		}, "no question matches --lesson copy --tag stages --difficulty easy --difficulty hard: each filter narrows the choice"},
		{"empty difficulty", func(o *quizOptions) {
			o.Lessons, o.Difficulties = []string{"stages"}, []string{"hard"}
			o.Tags = []string{"copy"}
		},
			"no question matches --lesson stages --tag copy --difficulty hard: without --difficulty there are 1 medium"},
		{"bad difficulty", func(o *quizOptions) { o.Difficulties = []string{"hardd"} }, `--difficulty "hardd": use easy, medium or hard (did you mean hard?)`},
		{"two modes", func(o *quizOptions) { o.Review, o.Exam = true, true }, "--review and --exam are different modes"},
		{"report format", func(o *quizOptions) { o.Report = "r.txt" }, "--report r.txt: name a .json or .md file"},
		{"pass mark", func(o *quizOptions) { o.Pass = 101 }, "--pass 101: the pass mark is a percentage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newQuizEnv(t, "a\n")
			o := e.options()
			tt.set(o)
			err := runQuiz(context.Background(), o)
			var ex *exitError
			if !errors.As(err, &ex) || ex.code != exitUsage || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want exit 2 with %q", err, tt.want)
			}
		})
	}
}

// TestQuizInputEnds: stdin ends mid-quiz; the answers given are saved, the run is finished, the
// exit status is 2 with a clear message.
func TestQuizInputEnds(t *testing.T) {
	e := newQuizEnv(t, "")
	first := e.course.Question("st-single")
	e.g.In = strings.NewReader(typed(t, first, first.ShownOrder(9), true) + "\n")
	o := e.options()
	o.Lessons, o.Seed, o.SeedSet = []string{"stages"}, 9, true
	err := runQuiz(context.Background(), o)
	var ex *exitError
	if !errors.As(err, &ex) || ex.code != exitUsage || !strings.Contains(err.Error(), "the input ended before the quiz did: the 1 answer given is saved; give one answer per line") {
		t.Fatalf("error %v", err)
	}
	if !strings.Contains(e.out.String(), "The input ended before the quiz did; the 1 answer given is saved.") {
		t.Errorf("output:\n%s", e.out)
	}
	st := e.store(t)
	answers, _ := st.Answers(context.Background(), "ann", "")
	runs, _ := st.QuizRuns(context.Background(), "ann", "")
	// The answer is kept; the run is not scored: 1 of 4 answered is not a best of 1/6.
	if len(answers) != 1 || !answers[0].Correct || len(runs) != 1 || !runs[0].Finished.IsZero() || runs[0].Score != 0 {
		t.Errorf("answers %+v runs %+v", answers, runs)
	}
}

// An input that ends before the first answer records no run and no score.
func TestQuizInputEndsBeforeAnyAnswer(t *testing.T) {
	e := newQuizEnv(t, "")
	e.g.In = strings.NewReader("")
	o := e.options()
	o.Lessons, o.Seed, o.SeedSet = []string{"stages"}, 9, true
	err := runQuiz(context.Background(), o)
	if err == nil || !strings.Contains(err.Error(), "no answer was given") {
		t.Fatalf("error %v", err)
	}
	st := e.store(t)
	runs, _ := st.QuizRuns(context.Background(), "ann", "")
	for _, r := range runs {
		if !r.Finished.IsZero() {
			t.Errorf("a quiz with no answers is stored as finished: %+v", r)
		}
	}
}

// TestQuizTimeRunsOut: the clock passes the limit while a question waits: the late answer does
// not count and the exam ends.
func TestQuizTimeRunsOut(t *testing.T) {
	e := newQuizEnv(t, "A\nA\nA\n")
	o := e.options()
	o.Exam, o.Count, o.Seed, o.SeedSet, o.Time = true, 5, 1, true, 10*time.Minute
	o.Now = stepClock(quizT0, 2*time.Minute)
	err := runQuiz(context.Background(), o)
	var ex *exitError
	if !errors.As(err, &ex) || ex.code != exitFailed {
		t.Fatalf("error %v, want exit 1 (not passed)", err)
	}
	text := e.out.String()
	if !strings.Contains(text, "Time is up;") || !strings.Contains(text, "Time 10:00 of 10:00.") {
		t.Errorf("output:\n%s", text)
	}
}

// TestQuizTUIPath: on a terminal the interactive screen runs with the session's options.
func TestQuizTUIPath(t *testing.T) {
	e := newQuizEnv(t, "")
	o := e.options()
	o.Exam, o.Count, o.Time = true, 3, 20*time.Minute
	o.IsTerminal = func(any) bool { return true }
	var got tui.QuizOptions
	o.RunTUI = func(_ context.Context, opts tui.QuizOptions) (quiz.Summary, error) {
		got = opts
		return quiz.Summary{Score: 3, MaxScore: 3, Passed: true, PassPercent: 70, Answered: 3, Total: 3}, nil
	}
	if err := runQuiz(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	if p := got.Plan; p == nil || p.Mode != quiz.ModeExam || got.TimeLimit != 20*time.Minute || len(p.Questions) != 3 || got.Study == nil ||
		got.Study.Learner() != "ann" || !got.Study.Saves() || p.QuizID != "session:exam" || p.Pass != 70 || got.Course == nil {
		t.Errorf("tui options %+v", got)
	}
	if !strings.Contains(e.out.String(), "Exam: 3/3 points, passed (pass mark 70%); 3 of 3 answered.") {
		t.Errorf("output %q", e.out)
	}
	// --plain wins over a terminal.
	o.Plain, got = true, tui.QuizOptions{}
	o.In = strings.NewReader("q\n")
	runQuiz(context.Background(), o)
	if got.Plan != nil {
		t.Error("--plain ran the TUI")
	}
}
