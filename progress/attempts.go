package progress

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Attempt is one check of a learner's Dockerfile for an exercise.
type Attempt struct {
	UID         string `json:"uid"`
	Exercise    string `json:"exercise"`
	ContentHash string `json:"content_hash,omitempty"`
	Dockerfile  string `json:"dockerfile"`
	Passed      bool   `json:"passed"`
	// Gradable is false when the environment failed (BuildKit unreachable): such an attempt is
	// kept for the record but never counts as a score.
	Gradable  bool            `json:"gradable"`
	Score     Points          `json:"score"`
	MaxScore  Points          `json:"max_score"`
	ImageSize int64           `json:"image_size,omitempty"` // bytes unpacked; 0 when no image was built
	Report    json.RawMessage `json:"report,omitempty"`     // the stagecraft.check/v1 report
	Duration  time.Duration   `json:"duration_ns"`
	At        time.Time       `json:"at"`
}

// RecordAttempt stores an exercise attempt and returns its uid.
func (s *Store) RecordAttempt(ctx context.Context, learner string, a Attempt) (string, error) {
	if a.Exercise == "" {
		return "", errors.New("recording an attempt: no exercise id")
	}
	if a.UID == "" {
		a.UID = newUID()
	}
	if a.At.IsZero() {
		a.At = time.Now()
	}
	if len(a.Report) > 0 && !json.Valid(a.Report) {
		return "", fmt.Errorf("recording an attempt at %s: the report is not valid JSON", a.Exercise)
	}
	err := s.writeLearner(ctx, learner, func(tx *sql.Tx, id int64) error {
		return insertAttempt(ctx, tx, id, a)
	})
	if err != nil {
		return "", fmt.Errorf("recording %s's attempt at %s: %w", learner, a.Exercise, err)
	}
	return a.UID, nil
}

func insertAttempt(ctx context.Context, tx *sql.Tx, learner int64, a Attempt) error {
	report, err := compactJSON(a.Report)
	if err != nil {
		return fmt.Errorf("the report is not valid JSON: %w", err)
	}
	var size sql.NullInt64
	if a.ImageSize > 0 {
		size = sql.NullInt64{Int64: a.ImageSize, Valid: true}
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO exercise_attempts(uid, learner_id, exercise_id, content_hash,
		dockerfile, passed, gradable, score, max_score, image_size, report, duration_ms, attempted_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(uid) DO NOTHING`,
		a.UID, learner, a.Exercise, a.ContentHash, a.Dockerfile, boolInt(a.Passed), boolInt(a.Gradable),
		int64(a.Score), int64(a.MaxScore), size, report, a.Duration.Milliseconds(), ms(a.At))
	return err
}

// Attempts lists a learner's attempts at an exercise ("" for every exercise), oldest first.
func (s *Store) Attempts(ctx context.Context, learner, exercise string) ([]Attempt, error) {
	id, ok, err := s.findLearner(ctx, learner)
	if err != nil || !ok {
		return nil, err
	}
	return queryAttempts(ctx, s.r, id, exercise)
}

func queryAttempts(ctx context.Context, q querier, learner int64, exercise string) ([]Attempt, error) {
	rows, err := q.QueryContext(ctx, `SELECT uid, exercise_id, content_hash, dockerfile, passed, gradable,
		score, max_score, coalesce(image_size, 0), report, duration_ms, attempted_at FROM exercise_attempts
		WHERE learner_id = ? AND (? = '' OR exercise_id = ?) ORDER BY attempted_at, id`, learner, exercise, exercise)
	if err != nil {
		return nil, fmt.Errorf("reading attempts: %w", err)
	}
	defer rows.Close()
	var out []Attempt
	for rows.Next() {
		var a Attempt
		var score, maxScore, dur, at int64
		var report string
		if err := rows.Scan(&a.UID, &a.Exercise, &a.ContentHash, &a.Dockerfile, &a.Passed, &a.Gradable,
			&score, &maxScore, &a.ImageSize, &report, &dur, &at); err != nil {
			return nil, fmt.Errorf("reading attempts: %w", err)
		}
		a.Score, a.MaxScore = Points(score), Points(maxScore)
		a.Report = json.RawMessage(report)
		a.Duration, a.At = time.Duration(dur)*time.Millisecond, fromMS(at)
		out = append(out, a)
	}
	return out, rows.Err()
}
