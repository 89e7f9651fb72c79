package progress

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stagecraft/stagecraft/progress/srs"
)

// BenchmarkRecordAnswer persists one quiz answer (answer row + card update, one fsynced
// transaction) and reports the 99th percentile latency. Aim: p99 ≤ 5 ms.
func BenchmarkRecordAnswer(b *testing.B) {
	ctx := context.Background()
	s := openAt(b, filepath.Join(b.TempDir(), "progress.db"))
	lat := make([]time.Duration, 0, b.N)
	now := t0
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		_, err := s.RecordAnswer(ctx, "ann", Answer{Question: fmt.Sprint("q", i%200), Given: "b", Correct: i%4 != 0,
			QuestionType: "single", Took: 9 * time.Second, At: now})
		lat = append(lat, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		now = now.Add(time.Minute)
	}
	reportLatency(b, lat)
}

func reportLatency(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

// seedLarge writes 10,000 answers over 300 questions and 1,000 attempts over 20 exercises for one
// learner, in a few transactions through the same insert code the store uses.
func seedLarge(b *testing.B, s *Store) Outline {
	ctx := context.Background()
	var o Outline
	for m := range 5 {
		mod := OutlineModule{ID: fmt.Sprint("m", m)}
		for l := range 6 {
			id := fmt.Sprintf("m%d-l%d", m, l)
			les := OutlineLesson{ID: id, QuizID: "quiz-" + id}
			for q := range 10 {
				les.QuestionIDs = append(les.QuestionIDs, fmt.Sprintf("%s-q%d", id, q))
			}
			if l%3 == 0 {
				les.ExerciseIDs = []string{"ex-" + id, "ex2-" + id}
			}
			mod.Lessons = append(mod.Lessons, les)
		}
		o.Modules = append(o.Modules, mod)
	}
	var questions, exercises []string
	for _, m := range o.Modules {
		for _, l := range m.Lessons {
			questions = append(questions, l.QuestionIDs...)
			exercises = append(exercises, l.ExerciseIDs...)
		}
	}
	at := t0
	err := s.writeLearner(ctx, "ann", func(tx *sql.Tx, id int64) error {
		for i := range 1000 {
			r := QuizRun{UID: newUID(), Quiz: o.Modules[i%5].Lessons[i%6].QuizID, Started: at, Finished: at.Add(time.Minute), Score: Points(i % 1000), MaxScore: 1000}
			if err := insertRun(ctx, tx, id, r); err != nil {
				return err
			}
			if err := insertRead(ctx, tx, id, LessonRead{UID: newUID(), Lesson: o.Modules[i%5].Lessons[i%6].ID, At: at}); err != nil {
				return err
			}
		}
		for i := range 10000 {
			a := Answer{UID: newUID(), Question: questions[i%len(questions)], Given: "a", Correct: i%3 != 0, Rating: srs.Rating(1 + i%4), At: at.Add(time.Duration(i) * 10 * time.Minute)}
			if _, err := insertAnswer(ctx, tx, id, a); err != nil {
				return err
			}
			if _, err := s.reviewCard(ctx, tx, id, a); err != nil {
				return err
			}
		}
		for i := range 1000 {
			a := Attempt{UID: newUID(), Exercise: exercises[i%len(exercises)], Dockerfile: "FROM golang AS build\nRUN go build\nFROM scratch\nCOPY --from=build /app /app\n",
				Passed: i%2 == 0, Gradable: true, Score: Points(i * 7 % 10000), MaxScore: 10000, ImageSize: int64(1<<20 + i*4096),
				Report: []byte(`{"schema":"stagecraft.check/v1","checks":[{"id":"two-stages","status":"pass"}]}`), At: at.Add(time.Duration(i) * time.Hour)}
			if err := insertAttempt(ctx, tx, id, a); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return o
}

// BenchmarkSummary summarises a learner with 10,000 answers and 1,000 attempts. Aim: ≤ 100 ms.
func BenchmarkSummary(b *testing.B) {
	ctx := context.Background()
	s := openAt(b, filepath.Join(b.TempDir(), "progress.db"))
	o := seedLarge(b, s)
	now := t0.AddDate(0, 3, 0)
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		sum, err := s.Summary(ctx, "ann", o, now)
		lat = append(lat, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		if sum.Lessons.Total != 30 {
			b.Fatalf("summary of %d lessons", sum.Lessons.Total)
		}
	}
	reportLatency(b, lat)
}

// BenchmarkResultWriter commits grading results from 8 goroutines in batches.
func BenchmarkResultWriter(b *testing.B) {
	ctx := context.Background()
	s := openAt(b, filepath.Join(b.TempDir(), "progress.db"))
	run, err := s.StartGradingRun(ctx, GradingRun{Exercise: "e", Started: t0})
	if err != nil {
		b.Fatal(err)
	}
	w, err := s.NewResultWriter(ctx, run, WriterOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.SetParallelism(4) // 8 goroutines on 2 cores
	var n int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := int(time.Now().UnixNano())
			if err := w.Add(GradingResult{Student: fmt.Sprint("s", i, "-", n), Score: 100, MaxScore: 200, Gradable: true, Report: []byte(`{"passed":false}`)}); err != nil {
				b.Fatal(err)
			}
		}
	})
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
}
