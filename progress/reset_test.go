package progress

import (
	"context"
	"testing"
)

func TestReset(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	populate(t, s)
	l := OutlineLesson{ID: "stages", QuizID: "q-stages", QuestionIDs: []string{"s1", "s2"}, ExerciseIDs: []string{"go-multistage"}}

	rm, err := s.ResetExercise(ctx, "ann", "go-multistage")
	mustNil(t, err)
	if rm != (Removed{Attempts: 1}) {
		t.Errorf("reset exercise: %+v", rm)
	}
	rm, err = s.ResetLesson(ctx, "ann", l)
	mustNil(t, err)
	if rm != (Removed{Reads: 1, Completions: 1, QuizRuns: 2, Answers: 3, Cards: 2}) {
		t.Errorf("reset lesson: %+v", rm)
	}
	for _, table := range []string{"lesson_reads", "lesson_completions", "quiz_runs", "quiz_answers", "review_cards", "exercise_attempts"} {
		if n := count(t, s.r, "SELECT count(*) FROM "+table+" WHERE learner_id = (SELECT id FROM learners WHERE name = 'ann')"); n != 0 {
			t.Errorf("ann still has %d rows in %s", n, table)
		}
		if n := count(t, s.r, "SELECT count(*) FROM "+table+" WHERE learner_id = (SELECT id FROM learners WHERE name = 'bob')"); n == 0 {
			t.Errorf("bob lost his %s", table)
		}
	}
	rm, err = s.ResetLearner(ctx, "bob")
	mustNil(t, err)
	if rm.Total() != 1+1+2+3+2+1 {
		t.Errorf("reset all: %+v", rm)
	}
	if n := count(t, s.r, "SELECT count(*) FROM grading_results"); n != 2 {
		t.Errorf("a learner reset touched grading results: %d left", n)
	}
	rm, err = s.ResetLearner(ctx, "nobody")
	if err != nil || rm.Total() != 0 {
		t.Errorf("reset of an unknown learner: %+v %v", rm, err)
	}
}
