package progress

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Reading the facts a Summary is computed from, and the streak, in one transaction.

type facts struct {
	lastRead  map[string]time.Time
	completed map[string]bool
	runs      map[string][]QuizRun
	attempts  map[string][]attemptFacts
	cards     []ReviewCard
	ids       []string // "lesson:ID", "quiz:ID", "exercise:ID" with any progress
}

// attemptFacts is an attempt without its Dockerfile and report, which Summary does not need.
type attemptFacts struct {
	hash            string
	passed          bool
	score, maxScore Points
	size            int64
	at              time.Time
}

func readFacts(ctx context.Context, tx *sql.Tx, learner int64, o Outline, now time.Time) (facts, error) {
	f := facts{lastRead: map[string]time.Time{}, completed: map[string]bool{}, runs: map[string][]QuizRun{}, attempts: map[string][]attemptFacts{}}
	seen := map[string]bool{}
	note := func(k string) {
		if !seen[k] {
			seen[k] = true
			f.ids = append(f.ids, k)
		}
	}

	rows, err := tx.QueryContext(ctx, "SELECT lesson_id, max(read_at) FROM lesson_reads WHERE learner_id = ? GROUP BY lesson_id", learner)
	if err != nil {
		return f, err
	}
	for rows.Next() {
		var lesson string
		var at int64
		if err := rows.Scan(&lesson, &at); err != nil {
			rows.Close()
			return f, err
		}
		f.lastRead[lesson] = fromMS(at)
		note("lesson:" + lesson)
	}
	if err := closeRows(rows); err != nil {
		return f, err
	}

	rows, err = tx.QueryContext(ctx, "SELECT lesson_id FROM lesson_completions WHERE learner_id = ?", learner)
	if err != nil {
		return f, err
	}
	for rows.Next() {
		var lesson string
		if err := rows.Scan(&lesson); err != nil {
			rows.Close()
			return f, err
		}
		f.completed[lesson] = true
		note("lesson:" + lesson)
	}
	if err := closeRows(rows); err != nil {
		return f, err
	}

	rows, err = tx.QueryContext(ctx, `SELECT quiz_id, content_hash, started_at, finished_at, score, max_score
		FROM quiz_runs WHERE learner_id = ? AND finished_at IS NOT NULL ORDER BY finished_at, id`, learner)
	if err != nil {
		return f, err
	}
	for rows.Next() {
		var r QuizRun
		var started, finished, score, maxScore int64
		if err := rows.Scan(&r.Quiz, &r.ContentHash, &started, &finished, &score, &maxScore); err != nil {
			rows.Close()
			return f, err
		}
		r.Started, r.Finished, r.Score, r.MaxScore = fromMS(started), fromMS(finished), Points(score), Points(maxScore)
		f.runs[r.Quiz] = append(f.runs[r.Quiz], r)
		note("quiz:" + r.Quiz)
	}
	if err := closeRows(rows); err != nil {
		return f, err
	}

	// Attempts: only the columns Summary needs (the Dockerfile and report stay on disk).
	rows, err = tx.QueryContext(ctx, `SELECT exercise_id, content_hash, passed, score, max_score,
		coalesce(image_size, 0), attempted_at FROM exercise_attempts
		WHERE learner_id = ? AND gradable = 1 ORDER BY attempted_at, id`, learner)
	if err != nil {
		return f, err
	}
	for rows.Next() {
		var ex string
		var a attemptFacts
		var score, maxScore, at int64
		if err := rows.Scan(&ex, &a.hash, &a.passed, &score, &maxScore, &a.size, &at); err != nil {
			rows.Close()
			return f, err
		}
		a.score, a.maxScore, a.at = Points(score), Points(maxScore), fromMS(at)
		f.attempts[ex] = append(f.attempts[ex], a)
		note("exercise:" + ex)
	}
	if err := closeRows(rows); err != nil {
		return f, err
	}

	f.cards, err = queryCards(ctx, tx, "SELECT "+cardColumns+" FROM review_cards WHERE learner_id = ?", learner)
	return f, err
}

func closeRows(rows *sql.Rows) error {
	if err := rows.Close(); err != nil {
		return err
	}
	return rows.Err()
}

// better reports whether a beats b as a best score: the higher share of its maximum, compared
// exactly by cross-multiplying integers.
func better(a, b Score) bool {
	return int64(a.Score)*int64(b.MaxScore) > int64(b.Score)*int64(a.MaxScore)
}

func quizSummary(id string, runs []QuizRun, hash string) *QuizSummary {
	q := &QuizSummary{ID: id}
	for _, r := range runs { // in finishing order
		if hash != "" && r.ContentHash != "" && r.ContentHash != hash {
			q.Outdated++
			continue
		}
		sc := Score{Score: r.Score, MaxScore: r.MaxScore, At: r.Finished}
		q.Runs++
		if q.Best == nil || better(sc, *q.Best) {
			b := sc
			q.Best = &b
		}
		q.Last = &sc
	}
	return q
}

func exerciseSummary(id string, attempts []attemptFacts, hash string) ExerciseSummary {
	e := ExerciseSummary{ID: id, Status: NotStarted}
	passedEarlier := false
	for _, a := range attempts { // oldest first
		if hash != "" && a.hash != "" && a.hash != hash {
			e.Outdated++
			passedEarlier = passedEarlier || a.passed
			continue
		}
		sc := Score{Score: a.score, MaxScore: a.maxScore, At: a.at}
		e.Attempts++
		if e.Best == nil || better(sc, *e.Best) {
			b := sc
			e.Best = &b
		}
		e.Last = &sc
		if a.passed {
			e.Status = Passed
			if a.size > 0 && (e.BestImage == 0 || a.size < e.BestImage) {
				e.BestImage = a.size
			}
		} else if e.Status == NotStarted {
			e.Status = Attempted
		}
	}
	if e.Status != Passed && passedEarlier {
		e.Status = PassedEarlier
	}
	return e
}

// streak computes the streak from the local days with activity. The days are computed in SQL,
// so only one row per active day crosses into Go: each timestamp is shifted by the UTC offset of
// now's time zone in force at that moment (the zone's periods between the first and last activity,
// from time.ZoneBounds, become a CASE), then divided into days.
func streak(ctx context.Context, tx *sql.Tx, learner int64, now time.Time) (Streak, error) {
	var first, last sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT min(lo), max(hi) FROM (
		SELECT min(read_at) lo, max(read_at) hi FROM lesson_reads WHERE learner_id = ?1
		UNION ALL SELECT min(answered_at), max(answered_at) FROM quiz_answers WHERE learner_id = ?1
		UNION ALL SELECT min(attempted_at), max(attempted_at) FROM exercise_attempts WHERE learner_id = ?1)`, learner).Scan(&first, &last)
	if err != nil || !first.Valid {
		return Streak{}, err
	}
	shift, args := zoneShift(now.Location(), first.Int64, last.Int64)
	args = append([]any{learner}, args...)
	q := fmt.Sprintf(`SELECT (t + %[1]s) / 86400000 AS d FROM (SELECT read_at t FROM lesson_reads WHERE learner_id = ?1) GROUP BY d
		UNION SELECT (t + %[1]s) / 86400000 FROM (SELECT answered_at t FROM quiz_answers WHERE learner_id = ?1) GROUP BY 1
		UNION SELECT (t + %[1]s) / 86400000 FROM (SELECT attempted_at t FROM exercise_attempts WHERE learner_id = ?1) GROUP BY 1`, shift)
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return Streak{}, err
	}
	days := map[time.Time]bool{}
	loc := now.Location()
	for rows.Next() {
		var d int64
		if err := rows.Scan(&d); err != nil {
			rows.Close()
			return Streak{}, err
		}
		u := time.UnixMilli(d * 86400000).UTC() // the local calendar date, read as if it were UTC
		days[time.Date(u.Year(), u.Month(), u.Day(), 0, 0, 0, 0, loc)] = true
	}
	if err := closeRows(rows); err != nil {
		return Streak{}, err
	}
	return streakOf(days, now), nil
}

// zoneShift returns an SQL expression in t giving the UTC offset in milliseconds of loc at t,
// for t between first and last (Unix ms), and its arguments (numbered from ?2).
func zoneShift(loc *time.Location, first, last int64) (string, []any) {
	var whens strings.Builder
	var args []any
	t := time.UnixMilli(first).In(loc)
	for range 1000 { // a zone changes offset a few times a year at most
		_, end := t.ZoneBounds()
		if end.IsZero() || end.UnixMilli() > last {
			break
		}
		_, off := t.Zone()
		args = append(args, end.UnixMilli(), int64(off)*1000)
		fmt.Fprintf(&whens, " WHEN t < ?%d THEN ?%d", len(args), len(args)+1)
		t = end
	}
	_, off := t.Zone()
	args = append(args, int64(off)*1000)
	if whens.Len() == 0 {
		return fmt.Sprintf("?%d", len(args)+1), args
	}
	return fmt.Sprintf("CASE%s ELSE ?%d END", whens.String(), len(args)+1), args
}

// streakOf computes a Streak from the set of local midnights with activity.
func streakOf(days map[time.Time]bool, now time.Time) Streak {
	var st Streak
	if len(days) == 0 {
		return st
	}
	sorted := make([]time.Time, 0, len(days))
	for d := range days {
		sorted = append(sorted, d)
	}
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Before(sorted[j]) })
	run := 0
	var prev time.Time
	for _, d := range sorted {
		if !prev.IsZero() && d.Equal(nextDay(prev)) {
			run++
		} else {
			run = 1
		}
		st.Longest = max(st.Longest, run)
		prev = d
	}
	st.LastActive = prev
	y, m, dd := now.Date()
	today := time.Date(y, m, dd, 0, 0, 0, 0, now.Location())
	yesterday := time.Date(y, m, dd-1, 0, 0, 0, 0, now.Location())
	if prev.Equal(today) || prev.Equal(yesterday) {
		st.Current = run
	}
	return st
}

func nextDay(d time.Time) time.Time {
	y, m, dd := d.Date()
	return time.Date(y, m, dd+1, 0, 0, 0, 0, d.Location())
}
