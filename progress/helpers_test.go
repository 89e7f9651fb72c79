package progress

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"
)

var t0 = time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)

// openTemp opens a store in a fresh temp dir and closes it with the test.
func openTemp(t testing.TB) *Store {
	t.Helper()
	return openAt(t, filepath.Join(t.TempDir(), "progress.db"))
}

func openAt(t testing.TB, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// rawDB opens the file with no store around it, for fixtures and for checking what is on disk.
func rawDB(t testing.TB, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func count(t testing.TB, db interface {
	QueryRow(string, ...any) *sql.Row
}, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func mustNil(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// sameCard compares two cards as stored: times to the millisecond, floats exactly.
func sameCard(a, b ReviewCard) bool {
	at, bt := a.Card, b.Card
	times := [][2]time.Time{{at.Due, bt.Due}, {at.LastReview, bt.LastReview}, {a.Changed, b.Changed}}
	for _, p := range times {
		if p[0].UnixMilli() != p[1].UnixMilli() || p[0].IsZero() != p[1].IsZero() {
			return false
		}
	}
	at.Due, bt.Due, at.LastReview, bt.LastReview = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return at == bt && a.Question == b.Question && a.ContentHash == b.ContentHash && a.Scheduler == b.Scheduler
}
