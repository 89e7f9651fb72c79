package progress

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/stagecraft/stagecraft/progress/srs"
)

// ReviewCard is the spaced-repetition state of one question for one learner.
type ReviewCard struct {
	Question    string `json:"question"`
	ContentHash string `json:"content_hash,omitempty"` // the question content the card was learned on
	Scheduler   string `json:"scheduler"`              // the algorithm that last moved it
	srs.Card
	// Changed is when a content change reset the card; zero if it never was.
	Changed time.Time `json:"changed,omitzero"`
	Updated time.Time `json:"updated"`
}

const cardColumns = `question_id, content_hash, scheduler, state, due_at, last_review_at, reps, lapses,
	stability, difficulty, ease, interval_days, streak, changed_at, updated_at`

func scanCard(sc interface{ Scan(...any) error }) (ReviewCard, error) {
	var c ReviewCard
	var state int
	var due, updated int64
	var last, changed sql.NullInt64
	err := sc.Scan(&c.Question, &c.ContentHash, &c.Scheduler, &state, &due, &last, &c.Reps, &c.Lapses,
		&c.Stability, &c.Difficulty, &c.Ease, &c.Interval, &c.Streak, &changed, &updated)
	c.State, c.Due, c.LastReview = srs.State(state), fromMS(due), fromNullMS(last)
	c.Changed, c.Updated = fromNullMS(changed), fromMS(updated)
	return c, err
}

func loadCard(ctx context.Context, q querier, learner int64, question string) (ReviewCard, bool, error) {
	c, err := scanCard(q.QueryRowContext(ctx, "SELECT "+cardColumns+" FROM review_cards WHERE learner_id = ? AND question_id = ?", learner, question))
	if errors.Is(err, sql.ErrNoRows) {
		return ReviewCard{}, false, nil
	}
	return c, err == nil, err
}

func saveCard(ctx context.Context, tx *sql.Tx, learner int64, c ReviewCard, now time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO review_cards(learner_id, `+cardColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(learner_id, question_id) DO UPDATE SET
			content_hash = excluded.content_hash, scheduler = excluded.scheduler, state = excluded.state,
			due_at = excluded.due_at, last_review_at = excluded.last_review_at, reps = excluded.reps,
			lapses = excluded.lapses, stability = excluded.stability, difficulty = excluded.difficulty,
			ease = excluded.ease, interval_days = excluded.interval_days, streak = excluded.streak,
			changed_at = excluded.changed_at, updated_at = excluded.updated_at`,
		learner, c.Question, c.ContentHash, c.Scheduler, int(c.State), ms(c.Due), nullMS(c.LastReview),
		c.Reps, c.Lapses, c.Stability, c.Difficulty, c.Ease, c.Interval, c.Streak, nullMS(c.Changed), ms(now))
	return err
}

// Card returns a learner's card for a question; ok is false if the question was never answered.
func (s *Store) Card(ctx context.Context, learner, question string) (card ReviewCard, ok bool, err error) {
	id, found, err := s.findLearner(ctx, learner)
	if err != nil || !found {
		return ReviewCard{}, false, err
	}
	card, ok, err = loadCard(ctx, s.r, id, question)
	if err != nil {
		return ReviewCard{}, false, fmt.Errorf("reading the card of %s: %w", question, err)
	}
	return card, ok, nil
}

// Cards lists all of a learner's cards, by question id.
func (s *Store) Cards(ctx context.Context, learner string) ([]ReviewCard, error) {
	id, ok, err := s.findLearner(ctx, learner)
	if err != nil || !ok {
		return nil, err
	}
	return queryCards(ctx, s.r, "SELECT "+cardColumns+" FROM review_cards WHERE learner_id = ? ORDER BY question_id", id)
}

func queryCards(ctx context.Context, q querier, query string, args ...any) ([]ReviewCard, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("reading review cards: %w", err)
	}
	defer rows.Close()
	var out []ReviewCard
	for rows.Next() {
		c, err := scanCard(rows)
		if err != nil {
			return nil, fmt.Errorf("reading review cards: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// DueCards returns up to limit cards due at now, most overdue first (limit ≤ 0: all of them).
func (s *Store) DueCards(ctx context.Context, learner string, now time.Time, limit int) ([]ReviewCard, error) {
	id, ok, err := s.findLearner(ctx, learner)
	if err != nil || !ok {
		return nil, err
	}
	if limit <= 0 {
		limit = -1
	}
	return queryCards(ctx, s.r, "SELECT "+cardColumns+` FROM review_cards
		WHERE learner_id = ? AND due_at <= ? ORDER BY due_at, question_id LIMIT ?`, id, ms(now), limit)
}

// DueCounts says how many reviews are waiting.
type DueCounts struct {
	Now      int `json:"now"`      // due at now (overdue included)
	Today    int `json:"today"`    // due before the end of today, in now's time zone (includes Now)
	Tomorrow int `json:"tomorrow"` // due during tomorrow
}

// DueCounts counts a learner's due reviews at now.
func (s *Store) DueCounts(ctx context.Context, learner string, now time.Time) (DueCounts, error) {
	id, ok, err := s.findLearner(ctx, learner)
	if err != nil || !ok {
		return DueCounts{}, err
	}
	return dueCounts(ctx, s.r, id, now)
}

// DayEnds are the ends of now's day and of the next one, in now's time zone: the boundaries of
// "due today" and "due tomorrow" wherever reviews are counted.
func DayEnds(now time.Time) (endToday, endTomorrow time.Time) {
	y, m, d := now.Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, now.Location()), time.Date(y, m, d+2, 0, 0, 0, 0, now.Location())
}

// Count adds a review due at due to the counts at now, as the store's DueCounts counts them.
func (c *DueCounts) Count(due, now time.Time) {
	endToday, endTomorrow := DayEnds(now)
	switch {
	case !due.After(now):
		c.Now++
		c.Today++
	case due.Before(endToday):
		c.Today++
	case due.Before(endTomorrow):
		c.Tomorrow++
	}
}

func dueCounts(ctx context.Context, q querier, learner int64, now time.Time) (DueCounts, error) {
	endToday, endTomorrow := DayEnds(now)
	var c DueCounts
	err := q.QueryRowContext(ctx, `SELECT
			coalesce(sum(due_at <= ?), 0),
			coalesce(sum(due_at < ?), 0),
			coalesce(sum(due_at >= ? AND due_at < ?), 0)
		FROM review_cards WHERE learner_id = ?`,
		ms(now), ms(endToday), ms(endToday), ms(endTomorrow), learner).Scan(&c.Now, &c.Today, &c.Tomorrow)
	if err != nil {
		return DueCounts{}, fmt.Errorf("counting due reviews: %w", err)
	}
	return c, nil
}

// Mastery is how well a group of questions (a lesson's, a tag's) is known.
type Mastery struct {
	// Recall is the mean probability of recalling each question of the group at the time asked,
	// 0…1. Questions never answered count as 0: unseen is not known; so do questions whose last
	// answer was wrong, until they are answered right.
	Recall float64 `json:"recall"`
	Seen   int     `json:"seen"`  // questions with a card
	Total  int     `json:"total"` // questions in the group
}

// Mastery computes, for each named group of question ids, the learners' mean recall at now.
// Groups come from the course: a lesson's questions, or the questions carrying a tag.
func (s *Store) Mastery(ctx context.Context, learner string, groups map[string][]string, now time.Time) (map[string]Mastery, error) {
	out := make(map[string]Mastery, len(groups))
	id, ok, err := s.findLearner(ctx, learner)
	if err != nil {
		return nil, err
	}
	var cards []ReviewCard
	if ok {
		if cards, err = queryCards(ctx, s.r, "SELECT "+cardColumns+" FROM review_cards WHERE learner_id = ?", id); err != nil {
			return nil, err
		}
	}
	recall := s.recallByQuestion(cards, nil, now)
	for name, qs := range groups {
		out[name] = masteryOf(recall, qs)
	}
	return out, nil
}

// recallByQuestion is each card's recall probability at now. A card learned on content other
// than hashes[question] (when given) counts as unseen. A card whose last answer was wrong
// (learning or relearning) is seen but recalled 0: the forgetting curve starts again at 1 on
// every review, right or wrong, which would show a lesson just failed as fully recalled.
func (s *Store) recallByQuestion(cards []ReviewCard, hashes map[string]string, now time.Time) map[string]float64 {
	out := make(map[string]float64, len(cards))
	for _, c := range cards {
		if c.LastReview.IsZero() {
			continue // reset by a content change, not answered since
		}
		if h, ok := hashes[c.Question]; ok && h != "" && c.ContentHash != "" && h != c.ContentHash {
			continue
		}
		if c.State == srs.Learning || c.State == srs.Relearning {
			out[c.Question] = 0
			continue
		}
		out[c.Question] = s.retrievability(c, now)
	}
	return out
}

// retrievability uses the scheduler that last moved the card, so switching the store's scheduler
// does not misread cards the other one wrote.
func (s *Store) retrievability(c ReviewCard, now time.Time) float64 {
	switch c.Scheduler {
	case s.sched.Name():
		return s.sched.Retrievability(c.Card, now)
	case srs.SM2{}.Name():
		return srs.SM2{}.Retrievability(c.Card, now)
	default:
		return srs.NewFSRS().Retrievability(c.Card, now)
	}
}

func masteryOf(recall map[string]float64, questions []string) Mastery {
	m := Mastery{Total: len(questions)}
	if m.Total == 0 {
		return m
	}
	sum := 0.0
	for _, q := range questions {
		if r, ok := recall[q]; ok {
			m.Seen++
			sum += r
		}
	}
	m.Recall = sum / float64(m.Total)
	return m
}

// SyncQuestions tells the store the current content hash of each question (id → hash) and resets
// every card, of every learner, that was learned on other content: the card starts afresh, is
// due at once and is flagged Changed. Answers are kept with the hash they were given on. It returns how many cards
// were reset. Call it after loading the course.
func (s *Store) SyncQuestions(ctx context.Context, hashes map[string]string, now time.Time) (int, error) {
	reset := 0
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `UPDATE review_cards SET content_hash = ?, state = 0, due_at = ?,
			last_review_at = NULL, reps = 0, lapses = 0, stability = 0, difficulty = 0, ease = 0,
			interval_days = 0, streak = 0, changed_at = ?, updated_at = ?
			WHERE question_id = ? AND content_hash <> ? AND content_hash <> ''`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for q, h := range hashes {
			if h == "" {
				continue
			}
			res, err := stmt.ExecContext(ctx, h, ms(now), ms(now), ms(now), q, h)
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			reset += int(n)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("resetting cards of changed questions: %w", err)
	}
	return reset, nil
}
