package progress

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stagecraft/stagecraft/progress/srs"
)

// populate writes some of everything for two learners and a grading run.
func populate(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	for _, who := range []string{"ann", "bob"} {
		mustNil(t, s.MarkRead(ctx, who, LessonRead{Lesson: "stages", ContentHash: "h", At: t0}))
		mustNil(t, s.MarkCompleted(ctx, who, Completion{Lesson: "stages", ContentHash: "h", At: t0.Add(time.Minute)}))
		run, err := s.StartQuizRun(ctx, who, QuizRun{Quiz: "q-stages", ContentHash: "hq", Started: t0})
		mustNil(t, err)
		for i, q := range []string{"s1", "s2", "s1"} {
			_, err := s.RecordAnswer(ctx, who, Answer{RunUID: run, Question: q, ContentHash: "h" + q, Given: "x", Correct: i != 1,
				Points: 50, MaxPoints: 100, HintsUsed: i, Took: time.Duration(i+1) * time.Second, At: t0.Add(time.Duration(i) * time.Hour)})
			mustNil(t, err)
		}
		mustNil(t, s.FinishQuizRun(ctx, who, run, 150, 300, t0.Add(3*time.Hour)))
		_, err = s.StartQuizRun(ctx, who, QuizRun{Quiz: "q-stages", Started: t0.Add(4 * time.Hour)}) // unfinished
		mustNil(t, err)
		_, err = s.RecordAttempt(ctx, who, Attempt{Exercise: "go-multistage", Dockerfile: "FROM scratch\nCOPY --from=build /app /app\n",
			Passed: true, Gradable: true, Score: 3333, MaxScore: 10000, ImageSize: 4096, Report: json.RawMessage(`{"passed":true}`),
			Duration: time.Second, At: t0})
		mustNil(t, err)
	}
	run, err := s.StartGradingRun(ctx, GradingRun{Exercise: "go-multistage", Started: t0, Options: json.RawMessage(`{"jobs":2}`)})
	mustNil(t, err)
	for _, st := range []string{"s1", "s2"} {
		mustNil(t, s.RecordResult(ctx, run, GradingResult{Student: st, Score: 100, MaxScore: 200, Gradable: true, DockerfileHash: "d" + st, At: t0}))
	}
	mustNil(t, s.FinishGradingRun(ctx, run, t0.Add(time.Hour)))
}

func dumpOf(t *testing.T, s *Store) Dump {
	t.Helper()
	d, err := s.Dump(context.Background(), ExportFilter{Grading: true})
	mustNil(t, err)
	d.Exported = time.Time{}
	for i := range d.Learners {
		d.Learners[i].Created = time.Time{} // a learner created by import gets the exported time; others their own
		for j := range d.Learners[i].Cards {
			d.Learners[i].Cards[j].Updated = time.Time{}
		}
	}
	return d
}

func TestExportImportRoundTrip(t *testing.T) {
	ctx := context.Background()
	src := openTemp(t)
	populate(t, src)
	var buf bytes.Buffer
	mustNil(t, src.Export(ctx, &buf, ExportFilter{Grading: true}))
	if !strings.Contains(buf.String(), `"schema": "stagecraft.progress/v1"`) || !strings.Contains(buf.String(), `"score": 33.33`) {
		t.Fatalf("export does not look right:\n%.600s", buf.String())
	}

	dst := openTemp(t)
	st, err := dst.Import(ctx, bytes.NewReader(buf.Bytes()))
	mustNil(t, err)
	want := ImportStats{Learners: 2, Reads: 2, Completions: 2, QuizRuns: 4, Answers: 6, Cards: 4, Attempts: 2, GradingRuns: 1, GradingResults: 2}
	if st != want {
		t.Errorf("first import: %+v, want %+v", st, want)
	}
	a, b := dumpOf(t, src), dumpOf(t, dst)
	if !reflect.DeepEqual(a, b) {
		ja, _ := json.MarshalIndent(a, "", " ")
		jb, _ := json.MarshalIndent(b, "", " ")
		t.Fatalf("imported progress differs:\n%s\n----\n%s", ja, jb)
	}
	sa, err := src.Summary(ctx, "ann", testOutline(), t0.AddDate(0, 0, 1))
	mustNil(t, err)
	sb, err := dst.Summary(ctx, "ann", testOutline(), t0.AddDate(0, 0, 1))
	mustNil(t, err)
	if !reflect.DeepEqual(sa, sb) {
		t.Errorf("summaries differ:\n%+v\n%+v", sa, sb)
	}

	// Importing again adds nothing and changes nothing.
	st, err = dst.Import(ctx, bytes.NewReader(buf.Bytes()))
	mustNil(t, err)
	if st != (ImportStats{}) {
		t.Errorf("second import added %+v", st)
	}
	if again := dumpOf(t, dst); !reflect.DeepEqual(again, b) {
		t.Error("a second import changed the store")
	}
	for table, n := range map[string]int{"quiz_answers": 6, "lesson_reads": 2, "exercise_attempts": 2, "grading_results": 2, "learners": 2} {
		if got := count(t, dst.r, "SELECT count(*) FROM "+table); got != n {
			t.Errorf("%s: %d rows, want %d", table, got, n)
		}
	}
}

func TestImportMergesHistories(t *testing.T) {
	ctx := context.Background()
	laptop, classroom := openTemp(t), openTemp(t)
	// The same learner answered q1 on two machines: Good on day 0 (laptop), Good on day 3 (classroom).
	_, err := laptop.RecordAnswer(ctx, "ann", Answer{Question: "q1", Rating: srs.Good, At: t0})
	mustNil(t, err)
	_, err = classroom.RecordAnswer(ctx, "ann", Answer{Question: "q1", Rating: srs.Good, At: t0.AddDate(0, 0, 3)})
	mustNil(t, err)
	var buf bytes.Buffer
	mustNil(t, laptop.Export(ctx, &buf, ExportFilter{Learners: []string{"ann"}}))
	st, err := classroom.Import(ctx, &buf)
	mustNil(t, err)
	if st.Answers != 1 || st.Cards != 0 || st.CardsReplayed != 1 {
		t.Errorf("merge: %+v", st)
	}
	// The card is rebuilt from both answers, in time order.
	f := srs.NewFSRS()
	want := f.Next(f.Next(srs.Card{}, srs.Good, t0), srs.Good, t0.AddDate(0, 0, 3))
	c, _, err := classroom.Card(ctx, "ann", "q1")
	mustNil(t, err)
	if c.Reps != 2 || c.Stability != want.Stability || !c.Due.Equal(want.Due) {
		t.Errorf("merged card %+v, want %+v", c.Card, want)
	}
}

func TestExportFilter(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	populate(t, s)
	d, err := s.Dump(ctx, ExportFilter{Learners: []string{"bob"}})
	mustNil(t, err)
	if len(d.Learners) != 1 || d.Learners[0].Name != "bob" || len(d.GradingRuns) != 0 {
		t.Errorf("filtered dump: %d learners, %d grading runs", len(d.Learners), len(d.GradingRuns))
	}
}

func TestImportRejectsOtherSchemas(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	for _, in := range []string{`{"schema":"something/v9","learners":[]}`, `not json`,
		`{"schema":"stagecraft.progress/v1","learners":[{"name":"ann","answers":[{"question":"q"}]}]}`,
		`{"schema":"stagecraft.progress/v1","learners":[{"name":"ann","answers":[{"uid":"u","run":"nope","question":"q","rating":3}]}]}`} {
		if _, err := s.Import(ctx, strings.NewReader(in)); !errors.Is(err, ErrBadExport) {
			t.Errorf("import of %s: %v, want ErrBadExport", in, err)
		}
	}
	if n := count(t, s.r, "SELECT count(*) FROM learners"); n != 0 {
		t.Errorf("a failed import left %d learners: imports are all or nothing", n)
	}
}
