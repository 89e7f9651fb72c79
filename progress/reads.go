package progress

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// LessonRead is one opening of a lesson.
type LessonRead struct {
	UID         string    `json:"uid"`
	Lesson      string    `json:"lesson"`
	ContentHash string    `json:"content_hash,omitempty"`
	At          time.Time `json:"at"`
}

// Completion records that a learner finished a lesson (the caller decides what finishing means).
type Completion struct {
	Lesson      string    `json:"lesson"`
	ContentHash string    `json:"content_hash,omitempty"`
	At          time.Time `json:"at"`
}

// MarkRead records that learner opened a lesson (r.At: when; r.UID: empty for a new read).
func (s *Store) MarkRead(ctx context.Context, learner string, r LessonRead) error {
	if r.Lesson == "" {
		return fmt.Errorf("recording a lesson read: no lesson id")
	}
	if r.UID == "" {
		r.UID = newUID()
	}
	err := s.writeLearner(ctx, learner, func(tx *sql.Tx, id int64) error {
		return insertRead(ctx, tx, id, r)
	})
	if err != nil {
		return fmt.Errorf("recording that %s read %s: %w", learner, r.Lesson, err)
	}
	return nil
}

func insertRead(ctx context.Context, tx *sql.Tx, learner int64, r LessonRead) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO lesson_reads(uid, learner_id, lesson_id, content_hash, read_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT(uid) DO NOTHING`, r.UID, learner, r.Lesson, r.ContentHash, ms(r.At))
	return err
}

// MarkCompleted records that learner completed a lesson. The first completion is kept; completing
// again after the lesson changed updates the content hash and time.
func (s *Store) MarkCompleted(ctx context.Context, learner string, c Completion) error {
	if c.Lesson == "" {
		return fmt.Errorf("recording a lesson completion: no lesson id")
	}
	err := s.writeLearner(ctx, learner, func(tx *sql.Tx, id int64) error {
		return upsertCompletion(ctx, tx, id, c)
	})
	if err != nil {
		return fmt.Errorf("recording that %s completed %s: %w", learner, c.Lesson, err)
	}
	return nil
}

func upsertCompletion(ctx context.Context, tx *sql.Tx, learner int64, c Completion) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO lesson_completions(learner_id, lesson_id, content_hash, completed_at)
		VALUES (?, ?, ?, ?)
		ON CONFLICT(learner_id, lesson_id) DO UPDATE SET
			content_hash = excluded.content_hash, completed_at = excluded.completed_at
		WHERE lesson_completions.content_hash <> excluded.content_hash AND excluded.content_hash <> ''
			AND excluded.completed_at > lesson_completions.completed_at`,
		learner, c.Lesson, c.ContentHash, ms(c.At))
	return err
}

// Reads lists a learner's reads of a lesson ("" for every lesson), oldest first.
func (s *Store) Reads(ctx context.Context, learner, lesson string) ([]LessonRead, error) {
	id, ok, err := s.findLearner(ctx, learner)
	if err != nil || !ok {
		return nil, err
	}
	return queryLessonReads(ctx, s.r, id, lesson)
}

func queryReads(ctx context.Context, q querier, learner int64) ([]LessonRead, error) {
	return queryLessonReads(ctx, q, learner, "")
}

func queryLessonReads(ctx context.Context, q querier, learner int64, lesson string) ([]LessonRead, error) {
	rows, err := q.QueryContext(ctx, `SELECT uid, lesson_id, content_hash, read_at FROM lesson_reads
		WHERE learner_id = ? AND (? = '' OR lesson_id = ?) ORDER BY read_at, id`, learner, lesson, lesson)
	if err != nil {
		return nil, fmt.Errorf("reading lesson reads: %w", err)
	}
	defer rows.Close()
	var out []LessonRead
	for rows.Next() {
		var r LessonRead
		var at int64
		if err := rows.Scan(&r.UID, &r.Lesson, &r.ContentHash, &at); err != nil {
			return nil, fmt.Errorf("reading lesson reads: %w", err)
		}
		r.At = fromMS(at)
		out = append(out, r)
	}
	return out, rows.Err()
}

// Completions lists a learner's completed lessons, by lesson id.
func (s *Store) Completions(ctx context.Context, learner string) ([]Completion, error) {
	id, ok, err := s.findLearner(ctx, learner)
	if err != nil || !ok {
		return nil, err
	}
	return queryCompletions(ctx, s.r, id)
}

func queryCompletions(ctx context.Context, q querier, learner int64) ([]Completion, error) {
	rows, err := q.QueryContext(ctx, `SELECT lesson_id, content_hash, completed_at FROM lesson_completions
		WHERE learner_id = ? ORDER BY lesson_id`, learner)
	if err != nil {
		return nil, fmt.Errorf("reading completions: %w", err)
	}
	defer rows.Close()
	var out []Completion
	for rows.Next() {
		var c Completion
		var at int64
		if err := rows.Scan(&c.Lesson, &c.ContentHash, &at); err != nil {
			return nil, fmt.Errorf("reading completions: %w", err)
		}
		c.At = fromMS(at)
		out = append(out, c)
	}
	return out, rows.Err()
}
