package progress

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stagecraft/stagecraft/progress/srs"
)

// Eight goroutines write 1,000 grading results (through one ResultWriter) and 1,000 answers at
// once while readers summarise: no "database is locked", and every row is there.
func TestConcurrentWritersAndReaders(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	run, err := s.StartGradingRun(ctx, GradingRun{Exercise: "go-multistage", Started: t0})
	mustNil(t, err)
	w, err := s.NewResultWriter(ctx, run, WriterOptions{BatchSize: 50})
	mustNil(t, err)

	const workers, each = 8, 125
	var writers, readers sync.WaitGroup
	errs := make(chan error, 64)
	stop := make(chan struct{})
	var reads atomic.Int64
	for r := range 3 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				var err error
				switch r {
				case 0:
					_, err = s.Summary(ctx, fmt.Sprint("learner-", r), testOutline(), t0.AddDate(0, 0, 1))
				case 1:
					_, err = s.DueCards(ctx, "learner-1", t0.AddDate(0, 0, 30), 20)
				case 2:
					_, err = s.GradingResults(ctx, run)
				}
				if err != nil {
					errs <- fmt.Errorf("reader %d: %w", r, err)
					return
				}
				reads.Add(1)
				// Readers run all along, but leave the two CI cores to the writers now and then:
				// spinning in cgo they would only measure the Go scheduler.
				time.Sleep(time.Millisecond)
			}
		}()
	}
	for g := range workers {
		writers.Add(1)
		go func() {
			defer writers.Done()
			learner := fmt.Sprint("learner-", g%3)
			for i := range each {
				if err := w.Add(GradingResult{Student: fmt.Sprintf("student-%d-%d", g, i), Score: Points(i), MaxScore: 100, Gradable: true, At: t0}); err != nil {
					errs <- err
					return
				}
				a := Answer{Question: fmt.Sprintf("q%d", i%40), Correct: i%3 != 0, Rating: srs.Rating(1 + i%4), At: t0.Add(time.Duration(i) * time.Minute)}
				if _, err := s.RecordAnswer(ctx, learner, a); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	writers.Wait()
	mustNil(t, w.Close())
	close(stop)
	readers.Wait()
	close(errs)
	for err := range errs {
		if strings.Contains(err.Error(), "locked") || strings.Contains(err.Error(), "busy") {
			t.Errorf("lock error: %v", err)
		} else {
			t.Error(err)
		}
	}
	if n := count(t, s.r, "SELECT count(*) FROM grading_results"); n != workers*each {
		t.Errorf("%d grading results, want %d", n, workers*each)
	}
	if w.Written() != workers*each {
		t.Errorf("writer says %d written", w.Written())
	}
	if n := count(t, s.r, "SELECT count(*) FROM quiz_answers"); n != workers*each {
		t.Errorf("%d answers, want %d", n, workers*each)
	}
	// Every answer moved its card: the reps of a learner's cards add up to that learner's answers.
	if n := count(t, s.r, "SELECT sum(reps) FROM review_cards"); n != workers*each {
		t.Errorf("cards counted %d reviews, want %d", n, workers*each)
	}
	if reads.Load() == 0 {
		t.Error("the readers never ran")
	}
	t.Logf("%d reads ran alongside the writes", reads.Load())
	if err := w.Add(GradingResult{Student: "late"}); err != ErrWriterClosed {
		t.Errorf("Add after Close: %v", err)
	}
}

// Two Store values on one file stand in for two processes in one: both write at once.
// Stores opened on the same new file at the same moment all open it: the switch to WAL mode on a
// new file fails at once (no busy wait) for all but one of them, and Open must wait it out. Each
// round is a fresh file; before the fix about one round in a hundred failed with "database is
// locked", so 100 rounds catch a regression about two times in three.
func TestOpenNewFileTogether(t *testing.T) {
	if testing.Short() {
		t.Skip("opens 600 stores")
	}
	dir := t.TempDir()
	for round := range 100 {
		path := filepath.Join(dir, fmt.Sprint(round, ".db"))
		var wg sync.WaitGroup
		errs := make(chan error, 6)
		for range 6 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s, err := Open(context.Background(), path, Options{})
				if err != nil {
					errs <- err
					return
				}
				errs <- s.Close()
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
	}
}

func TestTwoStoresOneFile(t *testing.T) {
	ctx := context.Background()
	path := t.TempDir() + "/p.db"
	a, b := openAt(t, path), openAt(t, path)
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for i, s := range []*Store{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 200 {
				if _, err := s.RecordAnswer(ctx, "ann", Answer{Question: fmt.Sprintf("q%d-%d", i, j), Rating: srs.Good, At: t0}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := count(t, a.r, "SELECT count(*) FROM quiz_answers"); n != 400 {
		t.Errorf("%d answers, want 400", n)
	}
}

func TestResultWriterFlushesOnItsOwn(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	run, err := s.StartGradingRun(ctx, GradingRun{Exercise: "e", Started: t0})
	mustNil(t, err)
	w, err := s.NewResultWriter(ctx, run, WriterOptions{BatchSize: 1000, MaxDelay: 10 * time.Millisecond})
	mustNil(t, err)
	defer w.Close()
	mustNil(t, w.Add(GradingResult{Student: "s1", Gradable: true}))
	// Not a timing assertion: wait as long as it takes for the timer flush, with no Close.
	for w.Written() == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	if rs, _ := s.GradingResults(ctx, run); len(rs) != 1 {
		t.Errorf("results: %v", rs)
	}
}
