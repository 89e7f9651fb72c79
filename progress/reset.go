package progress

import (
	"context"
	"database/sql"
	"fmt"
)

// Removed counts what a reset deleted.
type Removed struct {
	Reads, Completions, QuizRuns, Answers, Cards, Attempts int
}

// Total is the number of records deleted.
func (r Removed) Total() int {
	return r.Reads + r.Completions + r.QuizRuns + r.Answers + r.Cards + r.Attempts
}

// ResetExercise deletes a learner's attempts at an exercise.
func (s *Store) ResetExercise(ctx context.Context, learner, exercise string) (Removed, error) {
	var rm Removed
	err := s.resetTx(ctx, learner, func(tx *sql.Tx, id int64) error {
		return del(ctx, tx, &rm.Attempts, "DELETE FROM exercise_attempts WHERE learner_id = ? AND exercise_id = ?", id, exercise)
	})
	if err != nil {
		return Removed{}, fmt.Errorf("resetting exercise %s for %s: %w", exercise, learner, err)
	}
	return rm, nil
}

// ResetLesson deletes a learner's progress in a lesson: its reads and completion, its quiz runs
// with their answers, the answers and review cards of its questions, and the attempts at its
// exercises.
func (s *Store) ResetLesson(ctx context.Context, learner string, l OutlineLesson) (Removed, error) {
	var rm Removed
	err := s.resetTx(ctx, learner, func(tx *sql.Tx, id int64) error {
		if err := del(ctx, tx, &rm.Reads, "DELETE FROM lesson_reads WHERE learner_id = ? AND lesson_id = ?", id, l.ID); err != nil {
			return err
		}
		if err := del(ctx, tx, &rm.Completions, "DELETE FROM lesson_completions WHERE learner_id = ? AND lesson_id = ?", id, l.ID); err != nil {
			return err
		}
		if l.QuizID != "" {
			if err := del(ctx, tx, &rm.Answers, `DELETE FROM quiz_answers WHERE learner_id = ?
				AND run_id IN (SELECT id FROM quiz_runs WHERE learner_id = ? AND quiz_id = ?)`, id, id, l.QuizID); err != nil {
				return err
			}
			if err := del(ctx, tx, &rm.QuizRuns, "DELETE FROM quiz_runs WHERE learner_id = ? AND quiz_id = ?", id, l.QuizID); err != nil {
				return err
			}
		}
		for _, q := range l.QuestionIDs {
			if err := del(ctx, tx, &rm.Answers, "DELETE FROM quiz_answers WHERE learner_id = ? AND question_id = ?", id, q); err != nil {
				return err
			}
			if err := del(ctx, tx, &rm.Cards, "DELETE FROM review_cards WHERE learner_id = ? AND question_id = ?", id, q); err != nil {
				return err
			}
		}
		for _, e := range l.ExerciseIDs {
			if err := del(ctx, tx, &rm.Attempts, "DELETE FROM exercise_attempts WHERE learner_id = ? AND exercise_id = ?", id, e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Removed{}, fmt.Errorf("resetting lesson %s for %s: %w", l.ID, learner, err)
	}
	return rm, nil
}

// ResetLearner deletes all of a learner's progress. The learner's name stays known.
func (s *Store) ResetLearner(ctx context.Context, learner string) (Removed, error) {
	var rm Removed
	err := s.resetTx(ctx, learner, func(tx *sql.Tx, id int64) error {
		for _, d := range []struct {
			n     *int
			table string
		}{
			{&rm.Answers, "quiz_answers"}, {&rm.QuizRuns, "quiz_runs"}, {&rm.Cards, "review_cards"},
			{&rm.Reads, "lesson_reads"}, {&rm.Completions, "lesson_completions"}, {&rm.Attempts, "exercise_attempts"},
		} {
			if err := del(ctx, tx, d.n, "DELETE FROM "+d.table+" WHERE learner_id = ?", id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Removed{}, fmt.Errorf("resetting all progress of %s: %w", learner, err)
	}
	return rm, nil
}

// resetTx runs fn in a write transaction if the learner exists; a learner with no data has
// nothing to reset.
func (s *Store) resetTx(ctx context.Context, learner string, fn func(tx *sql.Tx, id int64) error) error {
	id, ok, err := s.findLearner(ctx, learner)
	if err != nil || !ok {
		return err
	}
	return s.writeTx(ctx, func(tx *sql.Tx) error { return fn(tx, id) })
}

func del(ctx context.Context, tx *sql.Tx, n *int, q string, args ...any) error {
	res, err := tx.ExecContext(ctx, q, args...)
	if err != nil {
		return err
	}
	c, err := res.RowsAffected()
	*n += int(c)
	return err
}
