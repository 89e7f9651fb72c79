package progress

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stagecraft/stagecraft/progress/srs"
)

// fixture writes a store at schema version v as the stagecraft of that version left it: the
// migration SQL up to v, its schema_migrations rows and user_version, then the seed SQL.
func fixture(t *testing.T, path string, v int, seed string) {
	t.Helper()
	db := rawDB(t, path)
	for _, m := range migrations()[:v] {
		if _, err := db.Exec(m.sql); err != nil {
			t.Fatalf("fixture: migration %d: %v", m.version, err)
		}
		if _, err := db.Exec("INSERT INTO schema_migrations VALUES (?, ?, 0)", m.version, m.name); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec(fmt.Sprintf("PRAGMA user_version = %d", v)); err != nil {
		t.Fatal(err)
	}
	if seed != "" {
		if _, err := db.Exec(seed); err != nil {
			t.Fatalf("fixture seed: %v", err)
		}
	}
	mustNil(t, db.Close())
}

var (
	a1 = t0.UnixMilli()
	a2 = t0.Add(72 * time.Hour).UnixMilli()
)

// seedV1 is progress written by a version-1 stagecraft: no review cards yet.
var seedV1 = fmt.Sprintf(`
INSERT INTO learners(id, name, created_at) VALUES (1, 'ann', %[1]d);
INSERT INTO lesson_reads(uid, learner_id, lesson_id, read_at) VALUES ('r1', 1, 'stages', %[1]d);
INSERT INTO lesson_completions(learner_id, lesson_id, completed_at) VALUES (1, 'stages', %[1]d);
INSERT INTO quiz_runs(id, uid, learner_id, quiz_id, started_at, finished_at, score, max_score)
	VALUES (1, 'run1', 1, 'q-stages', %[1]d, %[1]d, 100, 200);
INSERT INTO quiz_answers(uid, learner_id, run_id, question_id, content_hash, answer, correct, rating, answered_at)
	VALUES ('ans1', 1, 1, 'q1', 'h1', 'a', 1, 3, %[1]d), ('ans2', 1, NULL, 'q1', 'h1', 'b', 0, 1, %[2]d),
	       ('ans3', 1, 1, 'q2', 'h2', 'a', 1, 4, %[1]d);
INSERT INTO exercise_attempts(uid, learner_id, exercise_id, dockerfile, passed, score, max_score, image_size, attempted_at)
	VALUES ('att1', 1, 'go-multistage', 'FROM scratch', 1, 10000, 10000, 1234, %[1]d);
`, a1, a2)

// seedV2 adds a card as a version-2 stagecraft would have written it.
var seedV2 = seedV1 + fmt.Sprintf(`
INSERT INTO review_cards(learner_id, question_id, content_hash, scheduler, state, due_at, last_review_at, reps,
	stability, difficulty, updated_at) VALUES (1, 'q1', 'h1', 'fsrs-5', 2, %[1]d, %[1]d, 7, 42.5, 3.25, %[1]d);
`, a2)

func TestMigrateFromEmptyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.db")
	mustNil(t, os.WriteFile(path, nil, 0o600))
	s := openAt(t, path)
	if s.Backup() != "" {
		t.Errorf("an empty file was backed up: %s", s.Backup())
	}
	if n := count(t, s.r, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'grading_results'"); n != 1 {
		t.Error("the latest schema is not there")
	}
}

func TestMigrateFromVersion1(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "progress.db")
	fixture(t, path, 1, seedV1)
	s := openAt(t, path)

	if want := path + ".v1.bak"; s.Backup() != want {
		t.Fatalf("backup %q, want %q", s.Backup(), want)
	}
	bak := rawDB(t, s.Backup())
	if v := count(t, bak, "PRAGMA user_version"); v != 1 {
		t.Errorf("backup has version %d, want 1", v)
	}
	if n := count(t, bak, "SELECT count(*) FROM quiz_answers"); n != 3 {
		t.Errorf("backup has %d answers, want 3", n)
	}
	if v := count(t, s.r, "PRAGMA user_version"); v != LatestVersion() {
		t.Errorf("version %d after upgrade", v)
	}
	answers, err := s.Answers(ctx, "ann", "")
	mustNil(t, err)
	attempts, err := s.Attempts(ctx, "ann", "")
	mustNil(t, err)
	if len(answers) != 3 || len(attempts) != 1 || attempts[0].ImageSize != 1234 {
		t.Fatalf("after upgrade: %d answers, %+v", len(answers), attempts)
	}

	// Migration 2 rebuilt the cards by replaying the answers through the scheduler.
	f := srs.NewFSRS()
	want := f.Next(f.Next(srs.Card{}, srs.Good, fromMS(a1)), srs.Again, fromMS(a2))
	card, ok, err := s.Card(ctx, "ann", "q1")
	mustNil(t, err)
	if !ok || !sameCard(card, ReviewCard{Question: "q1", ContentHash: "h1", Scheduler: "fsrs-5", Card: want}) {
		t.Errorf("replayed card:\n got %+v\nwant %+v", card, want)
	}
	if card.Lapses != 1 || card.State != srs.Relearning {
		t.Errorf("replayed card lost its lapse: %+v", card)
	}
	if c2, ok, _ := s.Card(ctx, "ann", "q2"); !ok || c2.Reps != 1 {
		t.Errorf("card q2: %+v", c2)
	}

	// The upgraded store takes new kinds of records.
	run, err := s.StartGradingRun(ctx, GradingRun{Exercise: "go-multistage", Started: t0})
	mustNil(t, err)
	mustNil(t, s.RecordResult(ctx, run, GradingResult{Student: "s1", Gradable: true, At: t0}))
}

func TestMigrateFromVersion2(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "progress.db")
	fixture(t, path, 2, seedV2)
	s := openAt(t, path)
	if s.Backup() != path+".v2.bak" {
		t.Errorf("backup %q", s.Backup())
	}
	// Existing cards are kept as they were, not replayed.
	card, ok, err := s.Card(ctx, "ann", "q1")
	mustNil(t, err)
	if !ok || card.Reps != 7 || card.Stability != 42.5 || card.Difficulty != 3.25 {
		t.Errorf("card after upgrade: %+v", card)
	}
	if n := count(t, s.r, "SELECT count(*) FROM grading_runs"); n != 0 {
		t.Errorf("grading runs: %d", n)
	}
	mustNil(t, s.Close())

	// Opening an up-to-date store again migrates nothing and writes no backup.
	s2 := openAt(t, path)
	if s2.Backup() != "" {
		t.Errorf("second open made a backup: %s", s2.Backup())
	}
}

func TestBackupNeverOverwritten(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.db")
	old := []byte("an older backup")
	mustNil(t, os.WriteFile(path+".v1.bak", old, 0o600))
	fixture(t, path, 1, seedV1)
	s := openAt(t, path)
	if s.Backup() == path+".v1.bak" || !strings.HasPrefix(s.Backup(), path+".v1.") || !strings.HasSuffix(s.Backup(), ".bak") {
		t.Errorf("backup name %q", s.Backup())
	}
	if got, _ := os.ReadFile(path + ".v1.bak"); !bytes.Equal(got, old) {
		t.Error("the older backup was overwritten")
	}
	if n := count(t, rawDB(t, s.Backup()), "SELECT count(*) FROM quiz_answers"); n != 3 {
		t.Errorf("new backup has %d answers", n)
	}
}

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	mustNil(t, err)
	return sha256.Sum256(b)
}

// refused opens path, expects an *UnusableError with the reason, and checks the file did not change.
func refused(t *testing.T, path string, reason Reason) *UnusableError {
	t.Helper()
	before := fileSum(t, path)
	s, err := Open(context.Background(), path, Options{})
	if err == nil {
		s.Close()
		t.Fatalf("Open accepted a %s file", reason)
	}
	var ue *UnusableError
	if !errors.As(err, &ue) || !errors.Is(err, ErrUnusable) {
		t.Fatalf("Open: %T %v, want *UnusableError", err, err)
	}
	if ue.Reason != reason {
		t.Errorf("reason %v (%v), want %v", ue.Reason, err, reason)
	}
	msg := err.Error()
	t.Logf("refusal: %s", msg)
	for _, want := range []string{path, "not changed", "--db"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q does not say %q", msg, want)
		}
	}
	if fileSum(t, path) != before {
		t.Error("the file changed")
	}
	if _, err := Check(context.Background(), path); !errors.As(err, &ue) || ue.Reason != reason {
		t.Errorf("Check: %v, want the same refusal", err)
	}
	if fileSum(t, path) != before {
		t.Error("Check changed the file")
	}
	return ue
}

// bigStore writes a store of many pages and closes it.
func bigStore(t *testing.T, path string) {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, path, Options{})
	mustNil(t, err)
	for i := range 60 {
		_, err := s.RecordAttempt(ctx, "ann", Attempt{Exercise: fmt.Sprint("ex", i), Dockerfile: strings.Repeat("RUN echo layer\n", 300), Gradable: true, At: t0})
		mustNil(t, err)
	}
	mustNil(t, s.Close())
	if _, err := os.Stat(path + "-wal"); err == nil {
		t.Fatal("the WAL was not checkpointed on close")
	}
}

func TestRefuseTruncatedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.db")
	fixture(t, path, 1, seedV1)
	openAt(t, path).Close() // upgrades: leaves a backup beside the file
	bigStore(t, path)
	st, _ := os.Stat(path)
	mustNil(t, os.Truncate(path, st.Size()/2))
	ue := refused(t, path, Corrupt)
	if ue.Backup != path+".v1.bak" || !strings.Contains(ue.Error(), path+".v1.bak") {
		t.Errorf("the error does not point at the backup: %v", ue)
	}
}

func TestRefuseGarbage(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.db")
	mustNil(t, os.WriteFile(garbage, bytes.Repeat([]byte("not sqlite! "), 1000), 0o600))
	ue := refused(t, garbage, NotDatabase)
	if ue.Backup != "" || !strings.Contains(ue.Error(), "No backup") {
		t.Errorf("no backup exists, the message should say so: %v", ue)
	}

	// A real store with garbage over its middle pages: the header is fine, the b-trees are not.
	mangled := filepath.Join(dir, "mangled.db")
	bigStore(t, mangled)
	b, err := os.ReadFile(mangled)
	mustNil(t, err)
	for i := 4096; i < len(b)*3/4; i++ {
		b[i] = 0xA5
	}
	mustNil(t, os.WriteFile(mangled, b, 0o600))
	refused(t, mangled, Corrupt)

	// Only a header.
	short := filepath.Join(dir, "short.db")
	mustNil(t, os.WriteFile(short, []byte(sqliteHeader+"\x10\x00"), 0o600))
	refused(t, short, Corrupt)
}

func TestRefuseForeignDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "other.db")
	db := rawDB(t, path)
	_, err := db.Exec("CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes(body) VALUES ('mine')")
	mustNil(t, err)
	mustNil(t, db.Close())
	refused(t, path, Foreign)
}

func TestRefuseNewerVersion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.db")
	fixture(t, path, LatestVersion(), seedV2)
	db := rawDB(t, path)
	_, err := db.Exec(fmt.Sprintf("PRAGMA user_version = %d", LatestVersion()+1))
	mustNil(t, err)
	mustNil(t, db.Close())
	ue := refused(t, path, TooNew)
	if ue.Version != LatestVersion()+1 || ue.Known != LatestVersion() || !strings.Contains(ue.Error(), "newer stagecraft") {
		t.Errorf("refusal: %v", ue)
	}
}

func TestRefuseUnreadable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.db")
	mustNil(t, os.Mkdir(path, 0o700))
	_, err := Open(context.Background(), path, Options{})
	var ue *UnusableError
	if !errors.As(err, &ue) || ue.Reason != Unreadable {
		t.Fatalf("Open of a directory: %v", err)
	}
}

func TestCheck(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.db")
	h, err := Check(ctx, missing)
	if err != nil || h.Exists || h.Known != LatestVersion() {
		t.Errorf("missing file: %+v %v", h, err)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("Check created the file")
	}

	path := filepath.Join(dir, "progress.db")
	fixture(t, path, 1, seedV1)
	before := fileSum(t, path)
	h, err = Check(ctx, path)
	if err != nil || h.Version != 1 || h.Learners != 1 || !h.Exists {
		t.Errorf("version-1 file: %+v %v", h, err)
	}
	if fileSum(t, path) != before {
		t.Error("Check migrated or changed the file")
	}
	openAt(t, path).Close()
	h, err = Check(ctx, path)
	if err != nil || h.Version != LatestVersion() || len(h.Backups) != 1 {
		t.Errorf("upgraded file: %+v %v", h, err)
	}
}
