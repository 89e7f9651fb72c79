package progress

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/stagecraft/stagecraft/progress/srs"
)

// Options tune a Store; the zero value is what stagecraft uses.
type Options struct {
	// Scheduler schedules review cards; nil means FSRS-5 with its defaults.
	Scheduler srs.Scheduler
	// Readers is the size of the read connection pool; 0 means 4.
	Readers int
	// BusyTimeout is how long a statement waits for another connection's or process's lock
	// before giving up; 0 means 10 seconds.
	BusyTimeout time.Duration
}

// Store is an open progress database. It is safe for concurrent use.
type Store struct {
	path   string
	w      *sql.DB // the one writer connection; every transaction is BEGIN IMMEDIATE
	r      *sql.DB // read-only pool
	sched  srs.Scheduler
	backup string

	mu       sync.Mutex
	learners map[string]int64 // learner name → id; learners are never deleted
}

// Open opens the store at path, creating it (and its folder) if missing, checking an existing
// file (header, PRAGMA quick_check, schema version) before anything writes to it, and applying
// pending migrations. A damaged, foreign or newer file gives an *UnusableError and is not changed.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	if path == "" {
		return nil, errors.New("opening the progress database: no path")
	}
	path, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("opening the progress database: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("creating the folder of the progress database: %w", err)
	}
	st, err := inspect(ctx, path)
	if err != nil {
		return nil, err
	}
	if st.version > latestVersion() {
		return nil, &UnusableError{Path: path, Reason: TooNew, Version: st.version, Known: latestVersion()}
	}
	if opts.Scheduler == nil {
		opts.Scheduler = srs.NewFSRS()
	}
	if opts.Readers <= 0 {
		opts.Readers = 4
	}
	if opts.BusyTimeout <= 0 {
		opts.BusyTimeout = 10 * time.Second
	}
	s := &Store{path: path, sched: opts.Scheduler, learners: map[string]int64{}}
	busy := fmt.Sprint(opts.BusyTimeout.Milliseconds())
	// synchronous=FULL: in WAL mode every commit is fsynced, so a power cut loses at most the
	// write in flight; NORMAL would only survive process crashes. The journal mode is not in the
	// DSN: enableWAL sets it, because that step needs a retry the driver does not make.
	s.w, err = sql.Open("sqlite3", dsn(path, url.Values{
		"_busy_timeout": {busy},
		"_foreign_keys": {"1"},
		"_synchronous":  {"FULL"},
		"_txlock":       {"immediate"},
		// The writer runs the same few statements over and over: keep them prepared.
		"_stmt_cache_size": {"32"},
	}))
	if err != nil {
		return nil, fmt.Errorf("opening the progress database: %w", err)
	}
	s.w.SetMaxOpenConns(1)
	s.w.SetMaxIdleConns(1)
	s.w.SetConnMaxIdleTime(0)
	if err := s.w.PingContext(ctx); err != nil {
		s.w.Close()
		return nil, openError(path, err)
	}
	if err := enableWAL(ctx, s.w, path, opts.BusyTimeout); err != nil {
		s.w.Close()
		return nil, err
	}
	if err := probeWrite(ctx, s.w, path); err != nil {
		s.w.Close()
		return nil, err
	}
	if s.backup, err = migrate(ctx, s.w, path, s.sched); err != nil {
		s.w.Close()
		return nil, err
	}
	s.r, err = sql.Open("sqlite3", dsn(path, url.Values{
		"_busy_timeout":    {busy},
		"_foreign_keys":    {"1"},
		"_query_only":      {"1"},
		"_stmt_cache_size": {"32"},
	}))
	if err != nil {
		s.w.Close()
		return nil, fmt.Errorf("opening the progress database: %w", err)
	}
	s.r.SetMaxOpenConns(opts.Readers)
	s.r.SetMaxIdleConns(opts.Readers)
	return s, nil
}

// Close closes both connection pools. The last connection to close checkpoints the WAL.
func (s *Store) Close() error {
	return errors.Join(s.r.Close(), s.w.Close())
}

// Path is the absolute path of the database file.
func (s *Store) Path() string { return s.path }

// Backup is the copy written before Open migrated an existing store, or "" if Open did not migrate.
func (s *Store) Backup() string { return s.backup }

// Scheduler is the review scheduler the store uses.
func (s *Store) Scheduler() srs.Scheduler { return s.sched }

// dsn builds a mattn/go-sqlite3 URI for path: the path is escaped so that '?', '#' and '%' in
// folder names cannot be read as URI syntax.
func dsn(path string, q url.Values) string {
	u := url.URL{Scheme: "file", Path: path, OmitHost: true}
	return u.String() + "?" + q.Encode()
}

// writeTx runs fn in one write transaction (BEGIN IMMEDIATE: the write lock is taken up front, so
// two writers never deadlock upgrading read locks) and commits it.
func (s *Store) writeTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// learnerID finds or creates the learner called name, inside a write transaction. Only ids of
// committed learners are cached (writeLearner does it after the commit).
func (s *Store) learnerID(ctx context.Context, tx *sql.Tx, name string) (int64, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return 0, errors.New("no learner name")
	}
	s.mu.Lock()
	id, ok := s.learners[name]
	s.mu.Unlock()
	if ok {
		return id, nil
	}
	err := tx.QueryRowContext(ctx, "SELECT id FROM learners WHERE name = ?", name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		err = tx.QueryRowContext(ctx, "INSERT INTO learners(name, created_at) VALUES (?, ?) RETURNING id",
			name, time.Now().UnixMilli()).Scan(&id)
	}
	return id, err
}

// writeLearner runs fn in one write transaction with the id of the learner called name,
// creating the learner on first use.
func (s *Store) writeLearner(ctx context.Context, name string, fn func(tx *sql.Tx, learner int64) error) error {
	var id int64
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		var err error
		if id, err = s.learnerID(ctx, tx, name); err != nil {
			return err
		}
		return fn(tx, id)
	})
	if err == nil {
		s.rememberLearner(name, id)
	}
	return err
}

// rememberLearner caches a learner id once the transaction that may have created it committed.
func (s *Store) rememberLearner(name string, id int64) {
	s.mu.Lock()
	s.learners[strings.TrimSpace(name)] = id
	s.mu.Unlock()
}

// findLearner looks a learner up for reading; ok is false if the learner has no data yet.
func (s *Store) findLearner(ctx context.Context, name string) (id int64, ok bool, err error) {
	name = strings.TrimSpace(name)
	s.mu.Lock()
	id, ok = s.learners[name]
	s.mu.Unlock()
	if ok {
		return id, true, nil
	}
	err = s.r.QueryRowContext(ctx, "SELECT id FROM learners WHERE name = ?", name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	s.rememberLearner(name, id)
	return id, true, nil
}

// Learners lists every learner name, sorted.
func (s *Store) Learners(ctx context.Context) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT name FROM learners ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("listing learners: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("listing learners: %w", err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// newUID is a random 128-bit identifier for an event row, global across stores so that
// export/import merges without duplicates.
func newUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b[:])
}

// ms is a time as stored: Unix milliseconds.
func ms(t time.Time) int64 { return t.UnixMilli() }

// fromMS reads a stored time, in UTC.
func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }

// nullMS stores a zero time as NULL.
func nullMS(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMilli(), Valid: true}
}

// fromNullMS reads a nullable stored time; NULL is the zero time.
func fromNullMS(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return fromMS(v.Int64)
}

// compactJSON validates a JSON document and removes its insignificant space, so a report stored,
// exported (indented) and imported again is byte for byte what was stored. Empty means "{}".
func compactJSON(raw []byte) (string, error) {
	if len(raw) == 0 {
		return "{}", nil
	}
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return "", err
	}
	return b.String(), nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
