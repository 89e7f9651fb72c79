package progress

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/stagecraft/stagecraft/progress/srs"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one numbered step of the schema: migrations/NNNN_name.sql, plus an optional Go
// step for data the SQL cannot compute, run in the same transaction.
type migration struct {
	version int
	name    string
	sql     string
	after   func(ctx context.Context, tx *sql.Tx, sched srs.Scheduler) error
}

// goSteps are the Go parts of migrations, by version.
func goSteps() map[int]func(context.Context, *sql.Tx, srs.Scheduler) error {
	return map[int]func(context.Context, *sql.Tx, srs.Scheduler) error{
		2: replayCards,
	}
}

// migrations reads the embedded migrations in order. The files are part of the binary, so a
// malformed name is a programming error and panics in every test run.
func migrations() []migration {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		panic(err)
	}
	steps := goSteps()
	var out []migration
	for _, e := range entries {
		num, name, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			panic("progress: migration file " + e.Name() + " is not NNNN_name.sql")
		}
		body, err := migrationFiles.ReadFile("migrations/" + e.Name())
		if err != nil {
			panic(err)
		}
		out = append(out, migration{version: v, name: name, sql: string(body), after: steps[v]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i, m := range out {
		if m.version != i+1 {
			panic(fmt.Sprintf("progress: migrations must be numbered 1, 2, 3…; found %d at position %d", m.version, i+1))
		}
	}
	return out
}

// latestVersion is the schema version this binary writes.
func latestVersion() int { return len(migrations()) }

// LatestVersion is the newest schema version this stagecraft knows.
func LatestVersion() int { return latestVersion() }

// migrate brings the database to latestVersion. An existing store that needs migrating is first
// copied beside the file with VACUUM INTO (named after its old version); the migrations then run
// in one transaction, so a crash leaves either the old schema or the new one. Another process
// migrating at the same moment is harmless: the version is read again under the write lock.
func migrate(ctx context.Context, db *sql.DB, path string, sched srs.Scheduler) (backup string, err error) {
	var v int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return "", openError(path, err)
	}
	latest := latestVersion()
	if v > latest {
		return "", &UnusableError{Path: path, Reason: TooNew, Version: v, Known: latest}
	}
	if v == latest {
		return "", nil
	}
	if v > 0 {
		backup = backupName(path, v)
		if _, err := db.ExecContext(ctx, "VACUUM INTO ?", backup); err != nil {
			return "", fmt.Errorf("backing up the progress database to %s before upgrading it: %w", backup, err)
		}
	}
	tx, err := db.BeginTx(ctx, nil) // BEGIN IMMEDIATE (the writer's _txlock)
	if err != nil {
		return backup, fmt.Errorf("upgrading the progress database: %w", err)
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return backup, fmt.Errorf("upgrading the progress database: %w", err)
	}
	if v > latest {
		return backup, &UnusableError{Path: path, Reason: TooNew, Version: v, Known: latest}
	}
	now := time.Now().UnixMilli()
	for _, m := range migrations()[v:] {
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return backup, fmt.Errorf("upgrading the progress database to version %d (%s): %w", m.version, m.name, err)
		}
		if m.after != nil {
			if err := m.after(ctx, tx, sched); err != nil {
				return backup, fmt.Errorf("upgrading the progress database to version %d (%s): %w", m.version, m.name, err)
			}
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)", m.version, m.name, now); err != nil {
			return backup, fmt.Errorf("upgrading the progress database to version %d: %w", m.version, err)
		}
		// PRAGMA does not take parameters; the version is an int we control.
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
			return backup, fmt.Errorf("upgrading the progress database to version %d: %w", m.version, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return backup, fmt.Errorf("upgrading the progress database: %w", err)
	}
	return backup, nil
}

// backupName is <path>.v<version>.bak, or with a timestamp if that name is taken: an older
// backup is never overwritten.
func backupName(path string, version int) string {
	name := fmt.Sprintf("%s.v%d.bak", path, version)
	if _, err := os.Lstat(name); err == nil {
		name = fmt.Sprintf("%s.v%d.%d.bak", path, version, time.Now().UnixNano())
	}
	return name
}

// replayCards (migration 2) builds the review card of every question answered before cards
// existed, by replaying its answers in order through the scheduler.
func replayCards(ctx context.Context, tx *sql.Tx, sched srs.Scheduler) error {
	rows, err := tx.QueryContext(ctx, `SELECT learner_id, question_id, content_hash, rating, answered_at
		FROM quiz_answers ORDER BY learner_id, question_id, answered_at, id`)
	if err != nil {
		return err
	}
	type key struct {
		learner  int64
		question string
	}
	type replayed struct {
		card srs.Card
		hash string
	}
	cards := map[key]*replayed{}
	var order []key
	for rows.Next() {
		var (
			k      key
			hash   string
			rating int
			at     int64
		)
		if err := rows.Scan(&k.learner, &k.question, &hash, &rating, &at); err != nil {
			rows.Close()
			return err
		}
		c, ok := cards[k]
		if !ok {
			c = &replayed{}
			cards[k] = c
			order = append(order, k)
		}
		if c.hash != hash && c.hash != "" && hash != "" {
			c.card = srs.Card{} // the question changed: earlier answers were about other content
		}
		c.hash = hash
		c.card = sched.Next(c.card, srs.Rating(rating), fromMS(at))
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if err := rows.Err(); err != nil {
		return err
	}
	// The columns of version 2, written out here rather than shared with the live code, so a
	// later migration that changes review_cards does not break this step.
	for _, k := range order {
		c := cards[k].card
		if _, err := tx.ExecContext(ctx, `INSERT INTO review_cards(learner_id, question_id, content_hash,
			scheduler, state, due_at, last_review_at, reps, lapses, stability, difficulty, ease,
			interval_days, streak, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			k.learner, k.question, cards[k].hash, sched.Name(), int(c.State), ms(c.Due), nullMS(c.LastReview),
			c.Reps, c.Lapses, c.Stability, c.Difficulty, c.Ease, c.Interval, c.Streak, ms(c.LastReview)); err != nil {
			return err
		}
	}
	return nil
}
