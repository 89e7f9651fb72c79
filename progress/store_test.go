package progress

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/stagecraft/stagecraft/progress/srs"
)

func TestOpenCreatesConfiguredStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nested", "dir", "progress.db")
	s := openAt(t, path)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("store file not created: %v", err)
	}
	ctx := context.Background()
	var mode string
	mustNil(t, s.w.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode))
	if mode != "wal" {
		t.Errorf("journal_mode = %q, want wal", mode)
	}
	var fk, sync, busy, version int
	mustNil(t, s.w.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk))
	mustNil(t, s.r.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk))
	mustNil(t, s.w.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync))
	mustNil(t, s.r.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy))
	mustNil(t, s.w.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version))
	if fk != 1 || sync != 2 || busy != 10000 || version != LatestVersion() {
		t.Errorf("foreign_keys %d synchronous %d busy_timeout %d user_version %d", fk, sync, busy, version)
	}
	if _, err := s.r.ExecContext(ctx, "INSERT INTO learners(name, created_at) VALUES ('x', 0)"); err == nil {
		t.Error("the reader pool accepted a write")
	}
	if s.Backup() != "" {
		t.Errorf("a new store made a backup: %s", s.Backup())
	}
	if n := count(t, s.w, "SELECT count(*) FROM schema_migrations"); n != LatestVersion() {
		t.Errorf("schema_migrations has %d rows", n)
	}
}

func TestForeignKeysEnforced(t *testing.T) {
	s := openTemp(t)
	_, err := s.w.Exec("INSERT INTO lesson_reads(uid, learner_id, lesson_id, read_at) VALUES ('u', 999, 'l', 0)")
	if err == nil {
		t.Fatal("a read of a learner that does not exist was accepted")
	}
}

func TestPathWithURISyntax(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "odd ?name#x%20")
	s := openAt(t, filepath.Join(dir, "p.db"))
	mustNil(t, s.MarkRead(context.Background(), "ann", LessonRead{Lesson: "l1", At: t0}))
	if _, err := os.Stat(filepath.Join(dir, "p.db")); err != nil {
		t.Fatalf("the file is not where asked: %v", err)
	}
}

func TestRoundTripEveryRecordKind(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "progress.db")
	s, err := Open(ctx, path, Options{})
	mustNil(t, err)

	read := LessonRead{Lesson: "stages", ContentHash: "h-lesson", At: t0}
	mustNil(t, s.MarkRead(ctx, "ann", read))
	done := Completion{Lesson: "stages", ContentHash: "h-lesson", At: t0.Add(time.Minute)}
	mustNil(t, s.MarkCompleted(ctx, "ann", done))

	runUID, err := s.StartQuizRun(ctx, "ann", QuizRun{Quiz: "q-stages", ContentHash: "h-quiz", Started: t0})
	mustNil(t, err)
	ans := Answer{
		RunUID: runUID, Question: "stages-1", QuestionType: "single", ContentHash: "h-q1", Given: `["b"]`,
		Correct: true, Points: 150, MaxPoints: 150, HintsUsed: 1, Took: 12340 * time.Millisecond, At: t0.Add(2 * time.Minute),
	}
	card, err := s.RecordAnswer(ctx, "ann", ans)
	mustNil(t, err)
	if card.Reps != 1 || card.State != srs.Review || card.Scheduler != "fsrs-5" || card.ContentHash != "h-q1" {
		t.Errorf("card after one answer: %+v", card)
	}
	mustNil(t, s.FinishQuizRun(ctx, "ann", runUID, 150, 200, t0.Add(3*time.Minute)))

	report := json.RawMessage(`{"schema":"stagecraft.check/v1","passed":true}`)
	att := Attempt{
		Exercise: "go-multistage", ContentHash: "h-ex", Dockerfile: "FROM scratch\n", Passed: true, Gradable: true,
		Score: 9950, MaxScore: 10000, ImageSize: 7_340_032, Report: report, Duration: 4200 * time.Millisecond, At: t0.Add(4 * time.Minute),
	}
	attUID, err := s.RecordAttempt(ctx, "ann", att)
	mustNil(t, err)

	gr := GradingRun{Exercise: "go-multistage", ContentHash: "h-ex", Started: t0, Options: json.RawMessage(`{"jobs":4}`)}
	gradeUID, err := s.StartGradingRun(ctx, gr)
	mustNil(t, err)
	res := GradingResult{Student: "s-042", Score: 3333, MaxScore: 10000, Gradable: true, Report: report, DockerfileHash: "sha256:ab", At: t0.Add(5 * time.Minute)}
	mustNil(t, s.RecordResult(ctx, gradeUID, res))
	mustNil(t, s.FinishGradingRun(ctx, gradeUID, t0.Add(6*time.Minute)))
	mustNil(t, s.Close())

	// Everything must come back from the file.
	s = openAt(t, path)
	reads, err := s.Reads(ctx, "ann", "")
	mustNil(t, err)
	if len(reads) != 1 || reads[0].Lesson != read.Lesson || reads[0].ContentHash != read.ContentHash || !reads[0].At.Equal(read.At) || reads[0].UID == "" {
		t.Errorf("reads: %+v", reads)
	}
	comps, err := s.Completions(ctx, "ann")
	mustNil(t, err)
	if len(comps) != 1 || comps[0].Lesson != "stages" || !comps[0].At.Equal(done.At) {
		t.Errorf("completions: %+v", comps)
	}
	runs, err := s.QuizRuns(ctx, "ann", "q-stages")
	mustNil(t, err)
	if len(runs) != 1 || runs[0].UID != runUID || runs[0].Score != 150 || runs[0].MaxScore != 200 ||
		!runs[0].Finished.Equal(t0.Add(3*time.Minute)) || runs[0].ContentHash != "h-quiz" {
		t.Errorf("runs: %+v", runs)
	}
	answers, err := s.Answers(ctx, "ann", "stages-1")
	mustNil(t, err)
	want := ans
	want.UID, want.QuestionType, want.Rating = answers[0].UID, "", srs.Hard // right after a hint
	if len(answers) != 1 || !reflect.DeepEqual(answers[0], want) {
		t.Errorf("answer:\n got %+v\nwant %+v", answers[0], want)
	}
	got, ok, err := s.Card(ctx, "ann", "stages-1")
	mustNil(t, err)
	if !ok || !sameCard(got, card) {
		t.Errorf("card:\n got %+v\nwant %+v", got, card)
	}
	atts, err := s.Attempts(ctx, "ann", "go-multistage")
	mustNil(t, err)
	wantAtt := att
	wantAtt.UID = attUID
	if len(atts) != 1 || !reflect.DeepEqual(atts[0], wantAtt) {
		t.Errorf("attempt:\n got %+v\nwant %+v", atts, wantAtt)
	}
	gruns, err := s.GradingRuns(ctx, "go-multistage")
	mustNil(t, err)
	if len(gruns) != 1 || gruns[0].UID != gradeUID || string(gruns[0].Options) != `{"jobs":4}` || !gruns[0].Finished.Equal(t0.Add(6*time.Minute)) {
		t.Errorf("grading runs: %+v", gruns)
	}
	results, err := s.GradingResults(ctx, gradeUID)
	mustNil(t, err)
	if len(results) != 1 || !reflect.DeepEqual(results[0], res) {
		t.Errorf("results:\n got %+v\nwant %+v", results, res)
	}
	learners, err := s.Learners(ctx)
	mustNil(t, err)
	if !reflect.DeepEqual(learners, []string{"ann"}) {
		t.Errorf("learners: %v", learners)
	}
}

func TestRecordAnswerSameUIDTwice(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	a := Answer{UID: "fixed", Question: "q1", Given: "a", Correct: true, At: t0}
	c1, err := s.RecordAnswer(ctx, "ann", a)
	mustNil(t, err)
	c2, err := s.RecordAnswer(ctx, "ann", a)
	mustNil(t, err)
	if c2.Reps != 1 || !c2.Due.Equal(c1.Due) {
		t.Errorf("a retried answer moved the card again: %+v", c2)
	}
	if n := count(t, s.r, "SELECT count(*) FROM quiz_answers"); n != 1 {
		t.Errorf("%d answers, want 1", n)
	}
}

func TestRecordAnswerRejectsBadInput(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	if _, err := s.RecordAnswer(ctx, "ann", Answer{Question: "q", RunUID: "nope", At: t0}); err == nil {
		t.Error("an answer in a run that does not exist was accepted")
	}
	if _, err := s.RecordAnswer(ctx, "", Answer{Question: "q", At: t0}); err == nil {
		t.Error("an answer without a learner was accepted")
	}
	if _, err := s.RecordAttempt(ctx, "ann", Attempt{Exercise: "e", Report: json.RawMessage("{not json")}); err == nil {
		t.Error("an attempt with a broken report was accepted")
	}
	if n := count(t, s.r, "SELECT count(*) FROM quiz_answers") + count(t, s.r, "SELECT count(*) FROM exercise_attempts"); n != 0 {
		t.Errorf("rejected writes left %d rows", n)
	}
}

func TestGradingResultReplacedInSameRun(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	run, err := s.StartGradingRun(ctx, GradingRun{Exercise: "e", Started: t0})
	mustNil(t, err)
	mustNil(t, s.RecordResult(ctx, run, GradingResult{Student: "s1", Score: 100, MaxScore: 1000, Gradable: true, At: t0}))
	mustNil(t, s.RecordResult(ctx, run, GradingResult{Student: "s1", Score: 900, MaxScore: 1000, Gradable: true, Passed: true, At: t0.Add(time.Second)}))
	rs, err := s.GradingResults(ctx, run)
	mustNil(t, err)
	if len(rs) != 1 || rs[0].Score != 900 || !rs[0].Passed {
		t.Errorf("results: %+v", rs)
	}
}

func TestPoints(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Points
		out  string
	}{
		{"12", 1200, "12.00"}, {"12.5", 1250, "12.50"}, {"0.05", 5, "0.05"}, {"-1.25", -125, "-1.25"}, {"100.10", 10010, "100.10"},
	} {
		p, err := ParsePoints(tt.in)
		if err != nil || p != tt.want || p.String() != tt.out {
			t.Errorf("ParsePoints(%q) = %d %q %v, want %d %q", tt.in, p, p.String(), err, tt.want, tt.out)
		}
	}
	for _, bad := range []string{"", "1.234", "1.", ".5", "1e2", "abc", "1.-5"} {
		if _, err := ParsePoints(bad); err == nil {
			t.Errorf("ParsePoints(%q) accepted", bad)
		}
	}
	// 0.1 + 0.2 in hundredths is exactly 0.3: no float on the way.
	var sum Points
	for range 10 {
		sum += 10
	}
	if sum != PointsOf(1) {
		t.Errorf("ten times 0.10 = %s", sum)
	}
	var v struct{ P Points }
	mustNil(t, json.Unmarshal([]byte(`{"P": 33.33}`), &v))
	if v.P != 3333 {
		t.Errorf("json 33.33 → %d", v.P)
	}
	b, _ := json.Marshal(v)
	if string(b) != `{"P":33.33}` {
		t.Errorf("marshal: %s", b)
	}
	if err := json.Unmarshal([]byte(`{"P": 1e2}`), &v); err == nil {
		t.Error("exponent accepted")
	}
}

func TestResolvePath(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", "/xdg")
	t.Setenv(EnvDB, "")
	if p, _ := ResolvePath(""); p != "/xdg/stagecraft/progress.db" {
		t.Errorf("default with XDG_DATA_HOME: %s", p)
	}
	t.Setenv("XDG_DATA_HOME", "relative/ignored")
	t.Setenv("HOME", "/home/ann")
	if p, _ := ResolvePath(""); p != "/home/ann/.local/share/stagecraft/progress.db" {
		t.Errorf("default without XDG_DATA_HOME: %s", p)
	}
	t.Setenv(EnvDB, "/env/p.db")
	if p, _ := ResolvePath(""); p != "/env/p.db" {
		t.Errorf("env: %s", p)
	}
	if p, _ := ResolvePath("/flag/p.db"); p != "/flag/p.db" {
		t.Errorf("flag over env: %s", p)
	}
	if p, _ := ResolvePath("~/x.db"); p != "/home/ann/x.db" {
		t.Errorf("tilde: %s", p)
	}
}
