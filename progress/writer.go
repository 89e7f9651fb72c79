package progress

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"
)

// ResultWriter collects grading results from many goroutines and commits them in batches through
// the store's one writer: a class of hundreds of submissions costs a few transactions, not
// hundreds. Add never waits for a commit unless the queue is full. Close commits what is left.
// A batch that fails to commit is not retried: Add and Close report the error, and the grading
// run can be graded again (a student's result in a run is replaced, never duplicated).
type ResultWriter struct {
	s        *Store
	runID    int64
	in       chan GradingResult
	done     chan struct{}
	batch    int
	interval time.Duration

	mu      sync.RWMutex // held for reading by Add while it sends, for writing by Close
	closed  bool
	errMu   sync.Mutex
	err     error // the first commit error
	written int
}

// WriterOptions tune a ResultWriter; the zero value commits every 64 results or every 200 ms.
type WriterOptions struct {
	BatchSize int           // results per transaction; 0 means 64
	MaxDelay  time.Duration // the longest a result waits in memory; 0 means 200 ms
}

// ErrWriterClosed is returned by Add after Close.
var ErrWriterClosed = errors.New("result writer closed")

// NewResultWriter starts a writer for the results of a grading run.
func (s *Store) NewResultWriter(ctx context.Context, runUID string, opts WriterOptions) (*ResultWriter, error) {
	runID, err := gradingRunID(ctx, s.r, runUID)
	if err != nil {
		return nil, fmt.Errorf("starting a result writer: %w", err)
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 64
	}
	if opts.MaxDelay <= 0 {
		opts.MaxDelay = 200 * time.Millisecond
	}
	w := &ResultWriter{
		s: s, runID: runID, batch: opts.BatchSize, interval: opts.MaxDelay,
		in: make(chan GradingResult, 4*opts.BatchSize), done: make(chan struct{}),
	}
	go w.loop()
	return w, nil
}

// Add queues a result. It returns the first commit error met so far, or ErrWriterClosed.
func (w *ResultWriter) Add(r GradingResult) error {
	w.mu.RLock()
	defer w.mu.RUnlock()
	if w.closed {
		return ErrWriterClosed
	}
	if err := w.firstErr(); err != nil {
		return err
	}
	if r.At.IsZero() {
		r.At = time.Now()
	}
	w.in <- r
	return nil
}

// Close commits the queued results, stops the writer and returns the first commit error.
// It is safe to call more than once.
func (w *ResultWriter) Close() error {
	w.mu.Lock()
	if !w.closed {
		w.closed = true
		close(w.in)
	}
	w.mu.Unlock()
	<-w.done
	return w.firstErr()
}

// Written is how many results have been committed.
func (w *ResultWriter) Written() int {
	w.errMu.Lock()
	defer w.errMu.Unlock()
	return w.written
}

func (w *ResultWriter) firstErr() error {
	w.errMu.Lock()
	defer w.errMu.Unlock()
	return w.err
}

func (w *ResultWriter) loop() {
	defer close(w.done)
	tick := time.NewTicker(w.interval)
	defer tick.Stop()
	pending := make([]GradingResult, 0, w.batch)
	for {
		select {
		case r, ok := <-w.in:
			if !ok {
				w.commit(pending)
				return
			}
			pending = append(pending, r)
			if len(pending) >= w.batch {
				w.commit(pending)
				pending = pending[:0]
			}
		case <-tick.C:
			w.commit(pending)
			pending = pending[:0]
		}
	}
}

// commit writes one batch in one transaction. The writer's context is not the caller's: a
// cancelled grading command still gets what it graded saved by Close.
func (w *ResultWriter) commit(batch []GradingResult) {
	if len(batch) == 0 || w.firstErr() != nil {
		return
	}
	ctx := context.Background()
	err := w.s.writeTx(ctx, func(tx *sql.Tx) error {
		for _, r := range batch {
			if err := insertResult(ctx, tx, w.runID, r); err != nil {
				return err
			}
		}
		return nil
	})
	w.errMu.Lock()
	defer w.errMu.Unlock()
	if err != nil {
		w.err = fmt.Errorf("saving %d grading results: %w", len(batch), err)
		return
	}
	w.written += len(batch)
}
