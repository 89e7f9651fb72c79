package progress

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/stagecraft/stagecraft/progress/srs"
)

// QuizRun is one sitting of a quiz. Finished is zero while it runs (or if it was abandoned);
// Score and MaxScore are set when it finishes.
type QuizRun struct {
	UID         string    `json:"uid"`
	Quiz        string    `json:"quiz"`
	ContentHash string    `json:"content_hash,omitempty"`
	Started     time.Time `json:"started"`
	Finished    time.Time `json:"finished,omitzero"`
	Score       Points    `json:"score"`
	MaxScore    Points    `json:"max_score"`
}

// Answer is one answer to one question, in a quiz run or in a review outside any run.
type Answer struct {
	UID          string        `json:"uid"`
	RunUID       string        `json:"run,omitempty"` // the quiz run, "" for a review
	Question     string        `json:"question"`
	QuestionType string        `json:"type,omitempty"` // course-format type; picks the Easy threshold
	ContentHash  string        `json:"content_hash,omitempty"`
	Given        string        `json:"given"` // the answer given, as the quiz encodes it
	Correct      bool          `json:"correct"`
	Points       Points        `json:"points"`
	MaxPoints    Points        `json:"max_points"`
	HintsUsed    int           `json:"hints_used"`
	Took         time.Duration `json:"took_ns"`
	// Rating is what the answer did to the review card; zero means srs.RatingFor(Correct,
	// HintsUsed, Took, QuestionType).
	Rating srs.Rating `json:"rating"`
	At     time.Time  `json:"at"`
}

// errNoQuizRun: an answer names a quiz run the learner does not have.
var errNoQuizRun = errors.New("no quiz run")

// StartQuizRun records the start of a quiz sitting and returns its uid (run.UID, or a new one).
func (s *Store) StartQuizRun(ctx context.Context, learner string, run QuizRun) (string, error) {
	if run.Quiz == "" {
		return "", errors.New("starting a quiz run: no quiz id")
	}
	if run.UID == "" {
		run.UID = newUID()
	}
	err := s.writeLearner(ctx, learner, func(tx *sql.Tx, id int64) error {
		return insertRun(ctx, tx, id, run)
	})
	if err != nil {
		return "", fmt.Errorf("starting quiz %s for %s: %w", run.Quiz, learner, err)
	}
	return run.UID, nil
}

func insertRun(ctx context.Context, tx *sql.Tx, learner int64, run QuizRun) error {
	var score, maxScore sql.NullInt64
	if !run.Finished.IsZero() {
		score = sql.NullInt64{Int64: int64(run.Score), Valid: true}
		maxScore = sql.NullInt64{Int64: int64(run.MaxScore), Valid: true}
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO quiz_runs(uid, learner_id, quiz_id, content_hash, started_at,
		finished_at, score, max_score) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(uid) DO UPDATE SET finished_at = excluded.finished_at, score = excluded.score,
			max_score = excluded.max_score
		WHERE quiz_runs.finished_at IS NULL AND excluded.finished_at IS NOT NULL`,
		run.UID, learner, run.Quiz, run.ContentHash, ms(run.Started), nullMS(run.Finished), score, maxScore)
	return err
}

// FinishQuizRun records the end of a quiz sitting and its score.
func (s *Store) FinishQuizRun(ctx context.Context, learner, runUID string, score, maxScore Points, at time.Time) error {
	err := s.writeLearner(ctx, learner, func(tx *sql.Tx, id int64) error {
		res, err := tx.ExecContext(ctx, `UPDATE quiz_runs SET finished_at = ?, score = ?, max_score = ?
			WHERE uid = ? AND learner_id = ?`, ms(at), int64(score), int64(maxScore), runUID, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("no quiz run %s", runUID)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("finishing quiz run for %s: %w", learner, err)
	}
	return nil
}

// RecordAnswer stores an answer and, in the same transaction, moves the question's review card
// with the store's scheduler. If the card was learned on other content (its hash differs from
// a.ContentHash), it is reset first and flagged Changed: old recall does not carry over to a
// changed question. It returns the card after the answer.
func (s *Store) RecordAnswer(ctx context.Context, learner string, a Answer) (ReviewCard, error) {
	if a.Question == "" {
		return ReviewCard{}, errors.New("recording an answer: no question id")
	}
	if a.UID == "" {
		a.UID = newUID()
	}
	if a.At.IsZero() {
		a.At = time.Now()
	}
	if a.Rating == 0 {
		a.Rating = srs.RatingFor(a.Correct, a.HintsUsed, a.Took, a.QuestionType)
	}
	if !a.Rating.Valid() {
		return ReviewCard{}, fmt.Errorf("recording an answer to %s: rating %d is not 1…4", a.Question, a.Rating)
	}
	var card ReviewCard
	err := s.writeLearner(ctx, learner, func(tx *sql.Tx, id int64) error {
		inserted, err := insertAnswer(ctx, tx, id, a)
		if err != nil {
			return err
		}
		if !inserted { // the same answer again (a retry): the card already counted it
			card, _, err = loadCard(ctx, tx, id, a.Question)
			return err
		}
		card, err = s.reviewCard(ctx, tx, id, a)
		return err
	})
	if err != nil {
		return ReviewCard{}, fmt.Errorf("recording %s's answer to %s: %w", learner, a.Question, err)
	}
	return card, nil
}

// insertAnswer inserts a; inserted is false if an answer with its uid was already there.
func insertAnswer(ctx context.Context, tx *sql.Tx, learner int64, a Answer) (inserted bool, err error) {
	var run sql.NullInt64
	if a.RunUID != "" {
		err := tx.QueryRowContext(ctx, "SELECT id FROM quiz_runs WHERE uid = ? AND learner_id = ?", a.RunUID, learner).Scan(&run.Int64)
		if errors.Is(err, sql.ErrNoRows) {
			return false, fmt.Errorf("%w %s for this learner", errNoQuizRun, a.RunUID)
		}
		if err != nil {
			return false, err
		}
		run.Valid = true
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO quiz_answers(uid, learner_id, run_id, question_id, content_hash,
		answer, correct, points, max_points, hints_used, took_ms, rating, answered_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(uid) DO NOTHING`,
		a.UID, learner, run, a.Question, a.ContentHash, a.Given, boolInt(a.Correct), int64(a.Points),
		int64(a.MaxPoints), a.HintsUsed, a.Took.Milliseconds(), int(a.Rating), ms(a.At))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// reviewCard applies answer a to its card and saves it.
func (s *Store) reviewCard(ctx context.Context, tx *sql.Tx, learner int64, a Answer) (ReviewCard, error) {
	card, found, err := loadCard(ctx, tx, learner, a.Question)
	if err != nil {
		return ReviewCard{}, err
	}
	if !found {
		card = ReviewCard{Question: a.Question, ContentHash: a.ContentHash}
	}
	if found && card.ContentHash != a.ContentHash && a.ContentHash != "" {
		if card.ContentHash != "" {
			card.Card = srs.Card{}
			card.Changed = a.At
		}
		card.ContentHash = a.ContentHash
	}
	card.Scheduler = s.sched.Name()
	card.Card = s.sched.Next(card.Card, a.Rating, a.At)
	return card, saveCard(ctx, tx, learner, card, a.At)
}

// Answers lists a learner's answers to a question ("" for every question), oldest first.
func (s *Store) Answers(ctx context.Context, learner, question string) ([]Answer, error) {
	id, ok, err := s.findLearner(ctx, learner)
	if err != nil || !ok {
		return nil, err
	}
	return queryAnswers(ctx, s.r, id, question)
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func queryAnswers(ctx context.Context, q querier, learner int64, question string) ([]Answer, error) {
	rows, err := q.QueryContext(ctx, `SELECT a.uid, coalesce(r.uid, ''), a.question_id, a.content_hash, a.answer,
		a.correct, a.points, a.max_points, a.hints_used, a.took_ms, a.rating, a.answered_at
		FROM quiz_answers a LEFT JOIN quiz_runs r ON r.id = a.run_id
		WHERE a.learner_id = ? AND (? = '' OR a.question_id = ?) ORDER BY a.answered_at, a.id`, learner, question, question)
	if err != nil {
		return nil, fmt.Errorf("reading answers: %w", err)
	}
	defer rows.Close()
	var out []Answer
	for rows.Next() {
		var a Answer
		var points, maxPoints, took, at int64
		var rating int
		if err := rows.Scan(&a.UID, &a.RunUID, &a.Question, &a.ContentHash, &a.Given, &a.Correct,
			&points, &maxPoints, &a.HintsUsed, &took, &rating, &at); err != nil {
			return nil, fmt.Errorf("reading answers: %w", err)
		}
		a.Points, a.MaxPoints, a.Rating = Points(points), Points(maxPoints), srs.Rating(rating)
		a.Took, a.At = time.Duration(took)*time.Millisecond, fromMS(at)
		out = append(out, a)
	}
	return out, rows.Err()
}

// QuizRuns lists a learner's runs of a quiz ("" for every quiz), oldest first.
func (s *Store) QuizRuns(ctx context.Context, learner, quiz string) ([]QuizRun, error) {
	id, ok, err := s.findLearner(ctx, learner)
	if err != nil || !ok {
		return nil, err
	}
	return queryRuns(ctx, s.r, id, quiz)
}

func queryRuns(ctx context.Context, q querier, learner int64, quiz string) ([]QuizRun, error) {
	rows, err := q.QueryContext(ctx, `SELECT uid, quiz_id, content_hash, started_at, finished_at,
		coalesce(score, 0), coalesce(max_score, 0) FROM quiz_runs
		WHERE learner_id = ? AND (? = '' OR quiz_id = ?) ORDER BY started_at, id`, learner, quiz, quiz)
	if err != nil {
		return nil, fmt.Errorf("reading quiz runs: %w", err)
	}
	defer rows.Close()
	var out []QuizRun
	for rows.Next() {
		var r QuizRun
		var started int64
		var finished sql.NullInt64
		var score, maxScore int64
		if err := rows.Scan(&r.UID, &r.Quiz, &r.ContentHash, &started, &finished, &score, &maxScore); err != nil {
			return nil, fmt.Errorf("reading quiz runs: %w", err)
		}
		r.Started, r.Finished = fromMS(started), fromNullMS(finished)
		r.Score, r.MaxScore = Points(score), Points(maxScore)
		out = append(out, r)
	}
	return out, rows.Err()
}
