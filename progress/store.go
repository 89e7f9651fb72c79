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

	"github.com/mattn/go-sqlite3"

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

// fileState is what inspect learned about an existing file.
type fileState struct {
	exists  bool
	version int
}

// sqliteHeader starts every SQLite 3 database file.
const sqliteHeader = "SQLite format 3\x00"

// inspect checks an existing file without writing to it, through a read-only connection: PRAGMA
// quick_check, then the schema version. A missing or empty file is fine.
func inspect(ctx context.Context, path string) (fileState, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return fileState{}, nil
	}
	if err != nil {
		return fileState{}, &UnusableError{Path: path, Reason: Unreadable, Detail: err.Error(), Err: err}
	}
	if !fi.Mode().IsRegular() {
		return fileState{}, &UnusableError{Path: path, Reason: Unreadable, Detail: "not a regular file"}
	}
	if fi.Size() == 0 {
		return fileState{exists: true}, nil
	}
	// mode=ro: a read-only connection never checkpoints a WAL into the file on close, so a damaged
	// file stays byte for byte as it was.
	db, err := sql.Open("sqlite3", dsn(path, url.Values{"mode": {"ro"}, "_busy_timeout": {"10000"}}))
	if err != nil {
		return fileState{}, fmt.Errorf("opening the progress database: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	var problems []string
	rows, err := db.QueryContext(ctx, "PRAGMA quick_check(5)")
	if err != nil {
		return fileState{}, checkError(path, err)
	}
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			rows.Close()
			return fileState{}, checkError(path, err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Close(); err != nil {
		return fileState{}, checkError(path, err)
	}
	if err := rows.Err(); err != nil {
		return fileState{}, checkError(path, err)
	}
	if len(problems) > 0 {
		return fileState{}, &UnusableError{Path: path, Reason: Corrupt, Detail: "quick_check: " + strings.Join(problems, "; "), Backup: newestBackup(path)}
	}
	st := fileState{exists: true}
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&st.version); err != nil {
		return fileState{}, checkError(path, err)
	}
	if st.version == 0 {
		var tables int
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'").Scan(&tables); err != nil {
			return fileState{}, checkError(path, err)
		}
		if tables > 0 {
			return fileState{}, &UnusableError{Path: path, Reason: Foreign, Detail: fmt.Sprintf("it has tables (%d) but no stagecraft schema version", tables)}
		}
	}
	return st, nil
}

// headerProblem explains why SQLite said "not a database", from the file's first bytes. It is
// read only after SQLite (which locks) refused the file: a file another process is creating is
// never judged on a half-written header.
func headerProblem(path string) (Reason, string) {
	f, err := os.Open(path)
	if err != nil {
		return NotDatabase, ""
	}
	defer f.Close()
	head := make([]byte, 100)
	n, _ := f.ReadAt(head, 0)
	if n < len(sqliteHeader) || string(head[:len(sqliteHeader)]) != sqliteHeader {
		return NotDatabase, "the file does not start with the SQLite header"
	}
	if n < 100 {
		return Corrupt, fmt.Sprintf("the file ends after %d bytes, inside the database header", n)
	}
	return Corrupt, "the database header is damaged"
}

// checkError classifies an error met while checking a file.
func checkError(path string, err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch se.Code {
		case sqlite3.ErrNotADB:
			reason, detail := headerProblem(path)
			if detail == "" {
				detail = err.Error()
			}
			return &UnusableError{Path: path, Reason: reason, Detail: detail, Backup: newestBackup(path), Err: err}
		case sqlite3.ErrCorrupt:
			return &UnusableError{Path: path, Reason: Corrupt, Detail: err.Error(), Backup: newestBackup(path), Err: err}
		case sqlite3.ErrReadonly:
			return &UnusableError{Path: path, Reason: ReadOnly, Detail: err.Error(), Err: err}
		case sqlite3.ErrCantOpen, sqlite3.ErrPerm, sqlite3.ErrAuth, sqlite3.ErrIoErr:
			// The folder exists (Open made it), so a new file that cannot be opened is one the
			// folder does not let us create.
			if _, statErr := os.Stat(path); errors.Is(statErr, os.ErrNotExist) {
				return &UnusableError{Path: path, Reason: ReadOnly, Detail: fmt.Sprintf("it does not exist yet and cannot be created in %s (%v)", filepath.Dir(path), err), Err: err}
			}
			// A file we can read that SQLite cannot open: in WAL mode the -shm (and -wal) file
			// beside it must be created first, and the folder does not allow it.
			if se.Code == sqlite3.ErrCantOpen && readable(path) {
				return &UnusableError{Path: path, Reason: ReadOnly, Detail: fmt.Sprintf("SQLite cannot create its -wal and -shm files beside it in %s (%v)", filepath.Dir(path), err), Err: err}
			}
			return &UnusableError{Path: path, Reason: Unreadable, Detail: err.Error(), Err: err}
		}
	}
	return fmt.Errorf("checking the progress database %s: %w", path, err)
}

// readable is true if path is a regular file this process can open for reading.
func readable(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	fi, err := f.Stat()
	return err == nil && fi.Mode().IsRegular()
}

// openError classifies an error met opening the writer.
func openError(path string, err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) {
		return checkError(path, err)
	}
	return fmt.Errorf("opening the progress database %s: %w", path, err)
}

// enableWAL switches the file to WAL mode (a setting kept in the file, so once is enough). On a
// new file the switch writes the header by upgrading a read transaction to a write one, and SQLite
// answers an upgrade that meets another connection's lock with SQLITE_BUSY at once, without
// calling the busy handler (waiting there could deadlock). Processes opening a new file together
// would then fail with "database is locked"; so the switch is retried here, for as long as the
// busy timeout, until the other process has made it.
func enableWAL(ctx context.Context, db *sql.DB, path string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for wait := time.Millisecond; ; wait = min(2*wait, 50*time.Millisecond) {
		var mode string
		err := db.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode)
		if err == nil {
			if !strings.EqualFold(mode, "wal") {
				return fmt.Errorf("opening the progress database %s: it stays in %s journal mode, not WAL", path, mode)
			}
			return nil
		}
		var se sqlite3.Error
		if !errors.As(err, &se) || se.Code != sqlite3.ErrBusy || time.Now().After(deadline) {
			return openError(path, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
}

// probeWrite takes the write lock once and lets it go, writing nothing. SQLite quietly opens a
// file it may not write read-only, and the first write fails only later (the learner's first
// answer); so Open asks now and refuses a store it could not save to.
func probeWrite(ctx context.Context, db *sql.DB, path string) error {
	// On a file SQLite opened read-only, BEGIN IMMEDIATE quietly starts a read transaction; a
	// statement that writes is what fails, with SQLITE_READONLY. Setting user_version to itself
	// is such a statement on any file, even a new one with no tables yet, and is rolled back.
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return openError(path, err)
	}
	defer tx.Rollback()
	var v int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return openError(path, err)
	}
	// PRAGMA does not take parameters; v is an int SQLite gave.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v)); err != nil {
		return openError(path, err)
	}
	return nil
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
