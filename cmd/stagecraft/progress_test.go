package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stagecraft/stagecraft/content"
	"github.com/stagecraft/stagecraft/lessons"
	"github.com/stagecraft/stagecraft/progress"
	"github.com/stagecraft/stagecraft/progress/srs"
)

var progressT0 = time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)

func testProgressOutline() (progress.Outline, error) {
	return progress.Outline{Modules: []progress.OutlineModule{
		{ID: "foundations", Title: "Foundations", Lessons: []progress.OutlineLesson{
			{ID: "why-images-grow", Title: "Why images grow", QuizID: "q-grow", QuestionIDs: []string{"g1", "g2"}},
			{ID: "stages", Title: "Stages", ExerciseIDs: []string{"go-multistage"}},
		}},
	}}, nil
}

// progressEnv is a globalOptions on a fresh database, with buffers for output.
func progressEnv(t *testing.T) (*globalOptions, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	out, errw := &bytes.Buffer{}, &bytes.Buffer{}
	return &globalOptions{DB: filepath.Join(t.TempDir(), "progress.db"), Learner: "ann", In: strings.NewReader(""), Out: out, Err: errw}, out, errw
}

// testFactory is the factory of g, closed when the test ends.
func testFactory(t *testing.T, g *globalOptions) *factory {
	t.Helper()
	f := newFactory(g)
	t.Cleanup(f.Close)
	return f
}

// showOptions are `progress` options on g's database and the test outline, an hour after t0.
func showOptions(t *testing.T, g *globalOptions, asJSON bool) *progressOptions {
	t.Helper()
	o := newProgressOptions(testFactory(t, g))
	o.Outline, o.Now, o.JSON = testProgressOutline, func() time.Time { return progressT0.Add(time.Hour) }, asJSON
	return o
}

// seedProgress writes some progress for ann (and a little for bob) in the database of g.
func seedProgress(t *testing.T, g *globalOptions) {
	t.Helper()
	ctx := context.Background()
	st, err := progress.Open(ctx, g.DB, progress.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.MarkRead(ctx, "ann", progress.LessonRead{Lesson: "why-images-grow", At: progressT0}))
	must(st.MarkCompleted(ctx, "ann", progress.Completion{Lesson: "why-images-grow", At: progressT0}))
	run, err := st.StartQuizRun(ctx, "ann", progress.QuizRun{Quiz: "q-grow", Started: progressT0})
	must(err)
	_, err = st.RecordAnswer(ctx, "ann", progress.Answer{RunUID: run, Question: "g1", Correct: true, Rating: srs.Good, At: progressT0})
	must(err)
	must(st.FinishQuizRun(ctx, "ann", run, 150, 200, progressT0.Add(time.Minute)))
	_, err = st.RecordAttempt(ctx, "ann", progress.Attempt{Exercise: "go-multistage", Passed: true, Gradable: true,
		Score: 9550, MaxScore: 10000, ImageSize: 7 << 20, At: progressT0})
	must(err)
	_, err = st.RecordAttempt(ctx, "bob", progress.Attempt{Exercise: "go-multistage", Gradable: true, At: progressT0})
	must(err)
}

func TestProgressText(t *testing.T) {
	g, out, _ := progressEnv(t)
	seedProgress(t, g)
	if err := runProgress(context.Background(), showOptions(t, g, false)); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, want := range []string{
		"Progress of ann",
		"Overall 66% (2 of 3 done): lessons 1/2 completed, 1/2 read; exercises 1/1 passed",
		"Streak 1 day; reviews due: 0 now, 0 today, 0 tomorrow",
		"[x] Why images grow",
		"quiz best 1.50/2.00, last 1.50/2.00",
		"recall 50% (1 of 2 questions seen)",
		"[ ] Stages",
		"go-multistage",
		"passed; 1 attempt, best 95.50/100.00; smallest image 7.0 MiB",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
}

func TestProgressJSON(t *testing.T) {
	g, out, _ := progressEnv(t)
	seedProgress(t, g)
	if err := runProgress(context.Background(), showOptions(t, g, true)); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Schema     string
		DB         string
		Learner    string
		Completion progress.Count
		Modules    []progress.ModuleSummary
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if doc.Schema != "stagecraft.progress.summary/v1" || doc.DB != g.DB || doc.Learner != "ann" || doc.Completion != (progress.Count{Done: 2, Total: 3}) {
		t.Errorf("summary: %+v", doc)
	}
	ex := doc.Modules[0].Lessons[1].Exercises[0]
	if ex.Best == nil || ex.Best.Score != 9550 || ex.BestImage != 7<<20 {
		t.Errorf("exercise in JSON: %+v", ex)
	}
}

// The summary of the real course, end to end through cobra.
func TestProgressOnTheRealCourse(t *testing.T) {
	course, err := lessons.Load(content.FS())
	if err != nil {
		t.Fatal(err)
	}
	// End to end through cobra, on the embedded course.
	dir := t.TempDir()
	var out, errw bytes.Buffer
	root := newRootCmd(strings.NewReader(""), &out, &errw)
	root.SetArgs([]string{"progress", "--json", "--db", filepath.Join(dir, "p.db"), "--learner", "zoe"})
	if err := root.ExecuteContext(context.Background()); err != nil {
		t.Fatalf("stagecraft progress: %v\n%s", err, errw.String())
	}
	var sum progress.Summary
	if err := json.Unmarshal(out.Bytes(), &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Learner != "zoe" || sum.Lessons.Total != len(course.Lessons) || sum.Exercises.Total == 0 {
		t.Errorf("summary of the real course: learner %s, %+v lessons, %+v exercises", sum.Learner, sum.Lessons, sum.Exercises)
	}
}

func TestProgressExportImport(t *testing.T) {
	ctx := context.Background()
	g, out, _ := progressEnv(t)
	seedProgress(t, g)
	file := filepath.Join(t.TempDir(), "ann.json")
	export := newExportOptions(testFactory(t, g))
	export.File = file
	if err := runExport(ctx, export); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Exported the progress of learner ann to "+file) {
		t.Errorf("export said: %s", out)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), `"bob"`) {
		t.Error("a learner's export contains another learner")
	}

	g2, out2, _ := progressEnv(t)
	imp := newImportOptions(testFactory(t, g2))
	imp.File = file
	if err := runImport(ctx, imp); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out2.String(), "1 learners, 1 reads, 1 completions, 1 quiz runs, 1 answers, 1 review cards (0 rebuilt), 1 attempts") {
		t.Errorf("first import said: %s", out2)
	}
	out2.Reset()
	if err := runImport(ctx, imp); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out2.String(), "0 learners, 0 reads, 0 completions, 0 quiz runs, 0 answers, 0 review cards (0 rebuilt), 0 attempts") {
		t.Errorf("second import said: %s", out2)
	}

	// The same summary from both databases.
	summary := func(g *globalOptions) string {
		var buf bytes.Buffer
		g.Out = &buf
		if err := runProgress(ctx, showOptions(t, g, true)); err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		json.Unmarshal(buf.Bytes(), &m)
		delete(m, "db")
		s, _ := json.Marshal(m)
		return string(s)
	}
	if a, b := summary(g), summary(g2); a != b {
		t.Errorf("summaries differ after import:\n%s\n%s", a, b)
	}

	// Export to standard output, everything.
	g.Out = out
	out.Reset()
	all := newExportOptions(testFactory(t, g))
	all.File, all.All = "-", true
	if err := runExport(ctx, all); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"name": "bob"`) {
		t.Error("--all does not export every learner")
	}
}

func TestProgressImportBadFile(t *testing.T) {
	g, _, _ := progressEnv(t)
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"schema":"stagecraft.progress/v1","learners":[{"name":"ann","reads":[{"lesson":"x"}]}]}`), 0o600)
	imp := newImportOptions(testFactory(t, g))
	imp.File = bad
	err := runImport(context.Background(), imp)
	var ex *exitError
	if !errors.As(err, &ex) || ex.code != exitUsage || !strings.Contains(err.Error(), "nothing was imported") {
		t.Fatalf("bad import: %v", err)
	}
	imp.File = filepath.Join(t.TempDir(), "missing.json")
	err = runImport(context.Background(), imp)
	if !errors.As(err, &ex) || ex.code != exitUsage {
		t.Errorf("missing file: %v", err)
	}
}

func TestProgressDamagedDatabase(t *testing.T) {
	g, _, _ := progressEnv(t)
	os.WriteFile(g.DB, bytes.Repeat([]byte("garbage!"), 512), 0o600)
	err := runProgress(context.Background(), showOptions(t, g, false))
	var ex *exitError
	if !errors.As(err, &ex) || ex.code != exitEnviron || !errors.Is(err, progress.ErrUnusable) || !strings.Contains(err.Error(), "--db") {
		t.Errorf("damaged database: %v", err)
	}
}
