package study

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stagecraft/stagecraft/progress"
	"github.com/stagecraft/stagecraft/quiz"
)

func openStore(t *testing.T) *progress.Store {
	t.Helper()
	st, err := progress.Open(context.Background(), filepath.Join(t.TempDir(), "progress.db"), progress.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
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

// A lesson's quiz completes the lesson when passed, whichever face ran it; a failed run or a
// run that is not a lesson's quiz does not.
func TestFinishQuizRunCompletesItsLesson(t *testing.T) {
	ctx, st, at := context.Background(), openStore(t), time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	run := func(quizID, lesson string, passed bool) {
		t.Helper()
		uid, err := st.StartQuizRun(ctx, "ada", progress.QuizRun{Quiz: quizID, Started: at})
		if err != nil {
			t.Fatal(err)
		}
		sum := quiz.Summary{Score: 3, MaxScore: 10, Passed: passed}
		if passed {
			sum.Score = 9
		}
		if err := FinishQuizRun(ctx, st, "ada", uid, lesson, sum, at.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	run("layers-quiz", "layers", false)
	if completed(t, st, "ada")["layers"] {
		t.Fatal("a failed run completed the lesson")
	}
	run("session:practice", "", true)
	run("layers-quiz", "layers", true)
	if got := completed(t, st, "ada"); !got["layers"] || len(got) != 1 {
		t.Fatalf("completions = %v, want layers only", got)
	}
}

func TestReadLessonCompletesOnlyWithoutQuiz(t *testing.T) {
	ctx, st, at := context.Background(), openStore(t), time.Now()
	if err := ReadLesson(ctx, st, "ada", "with-quiz", true, at); err != nil {
		t.Fatal(err)
	}
	if err := ReadLesson(ctx, st, "ada", "no-quiz", false, at); err != nil {
		t.Fatal(err)
	}
	if got := completed(t, st, "ada"); got["with-quiz"] || !got["no-quiz"] {
		t.Fatalf("completions = %v, want no-quiz only", got)
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
