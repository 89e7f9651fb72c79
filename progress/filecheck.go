package progress

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"
)

// Checking a store file before and while opening it: its header, SQLite's own checks, its schema
// version, whether it can be written, and what SQLite's errors mean for the learner.

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
