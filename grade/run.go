package grade

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/stagecraft/stagecraft/sandbox/check"
)

// Options configure Grade.
type Options struct {
	Plan     check.Plan
	Backends []Backend
	// Jobs is how many checks run at once over all backends, dealt to them in turn; it is at
	// least one per backend.
	Jobs int
	// MaxContextBytes caps a student's build context (the exercise's plus their own files);
	// 0 means no cap here (the sandbox still applies its own).
	MaxContextBytes int64
	// OnResult is told of every result as soon as it is decided, one call at a time.
	OnResult func(Result)
	// Logf reports what happens to the workers (a daemon going down); nil discards it.
	Logf func(format string, a ...any)
}

// Outcome is what Grade decided: one result per student, in id order, and what each worker did.
type Outcome struct {
	Results []Result
	Workers []WorkerInfo
}

// Grade checks every student's submission. A submission's own failures (a parse error, a
// timeout, a crashing RUN, input over the sandbox's limits) are graded results and never stop
// the batch. An environment fault is retried once, on another backend when one is up; a backend
// that no longer answers is dropped and its queue moves to the others. Each student gets
// exactly one result. The error is only the context's, when it is cancelled; the results decided
// until then are returned, and the rest are not graded.
func Grade(ctx context.Context, students []Student, opts Options) (*Outcome, error) {
	if len(opts.Backends) == 0 {
		return nil, errors.New("grading: no BuildKit backend")
	}
	g := newGrader(opts)
	var jobs []*job
	for i := range students {
		st := &students[i]
		if st.Missing != "" {
			g.finish(&job{st: st, backend: -1}, missingResult(opts.Plan, st))
			continue
		}
		jobs = append(jobs, &job{st: st, avoid: -1, backend: -1})
	}
	g.assign(jobs)

	slots := max(opts.Jobs, len(opts.Backends))
	if len(jobs) == 0 {
		slots = 0 // nothing to build: no daemon is warmed for nothing
	}
	var wg sync.WaitGroup
	for i := range slots {
		wg.Add(1)
		go func(b int) {
			defer wg.Done()
			g.work(ctx, b)
		}(i % len(opts.Backends))
	}
	wg.Wait()

	// What is left was never graded: the context was cancelled, or every backend went down.
	why := "interrupted before it was graded"
	if ctx.Err() == nil {
		why = "no BuildKit worker left to grade it: " + g.lastFault()
	}
	for _, j := range g.drain() {
		g.finish(j, g.notGraded(j, why))
	}
	out := &Outcome{Results: g.results, Workers: g.workers}
	sortResults(out.Results)
	return out, ctx.Err()
}

// job is one submission on its way through the queues.
type job struct {
	st       *Student
	attempts int
	avoid    int // the backend whose fault sent it back, or -1
	fault    error
	partial  *check.Report
	worker   string
	backend  int // the backend whose check decided it, or -1
}

type grader struct {
	opts Options

	mu      sync.Mutex
	cond    *sync.Cond
	queues  [][]*job // per backend, in the order they are meant to run there
	retries []*job   // sent back after an environment fault
	up      []bool
	left    int // jobs queued or running
	done    map[string]bool
	results []Result
	workers []WorkerInfo
	fault   error // the last environment fault, for the jobs no backend is left to take

	warmOnce []sync.Once
	warmErr  []error

	report sync.Mutex // serialises OnResult
}

func newGrader(opts Options) *grader {
	n := len(opts.Backends)
	g := &grader{opts: opts, queues: make([][]*job, n), up: make([]bool, n), done: map[string]bool{},
		workers: make([]WorkerInfo, n), warmOnce: make([]sync.Once, n), warmErr: make([]error, n)}
	g.cond = sync.NewCond(&g.mu)
	for i, b := range opts.Backends {
		g.up[i] = true
		g.workers[i].Address = b.Address()
	}
	return g
}

// assign deals the jobs to the backends for cache locality: submissions whose stages before the
// final one read the same are one group, and a group goes to one daemon, which builds those
// stages once. Groups go largest first to the least loaded backend; workers with an empty queue
// take from the others, so the balance holds whatever the groups are.
func (g *grader) assign(jobs []*job) {
	groups := map[string][]*job{}
	var keys []string
	for _, j := range jobs {
		k := buildKey(j.st.Dockerfile)
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], j)
	}
	sortGroups(keys, groups)
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, k := range keys {
		least := 0
		for b := range g.queues {
			if len(g.queues[b]) < len(g.queues[least]) {
				least = b
			}
		}
		g.queues[least] = append(g.queues[least], groups[k]...)
		g.left += len(groups[k])
	}
}

// work is one slot on backend b: warm the daemon once, then check submissions until there are
// none left or the daemon is down.
func (g *grader) work(ctx context.Context, b int) {
	be := g.opts.Backends[b]
	g.warmOnce[b].Do(func() {
		start := time.Now()
		err := be.Warm(ctx, g.opts.Plan)
		g.mu.Lock()
		g.workers[b].WarmMS = time.Since(start).Milliseconds()
		g.mu.Unlock()
		if err != nil && ctx.Err() == nil {
			g.warmErr[b] = err
			g.down(b, fmt.Errorf("building the exercise's starter and reference: %w", err))
		}
	})
	for {
		j := g.next(ctx, b)
		if j == nil {
			return
		}
		j.attempts++
		j.backend = b
		res, err := g.check(ctx, b, j)
		if err == nil {
			g.finish(j, res)
			continue
		}
		if ctx.Err() != nil {
			g.finish(j, g.notGraded(j, "interrupted while it was being graded"))
			return
		}
		// An environment fault: never the student's. Is the daemon still there?
		j.fault, j.worker = err, be.Address()
		g.mu.Lock()
		g.workers[b].Faults++
		g.fault = err
		g.mu.Unlock()
		alive := be.Healthy(ctx) == nil
		if !alive {
			g.down(b, err)
		}
		if j.attempts >= 2 {
			g.finish(j, g.notGraded(j, err.Error()))
		} else {
			g.retry(j, b)
		}
		if !alive {
			return
		}
	}
}

// next hands backend b its next job: its own queue first, then a retry that another backend
// sent back, then the tail of the longest other queue. It waits while other workers may still
// send work back, and returns nil when there is nothing left for b.
func (g *grader) next(ctx context.Context, b int) *job {
	g.mu.Lock()
	defer g.mu.Unlock()
	for {
		if !g.up[b] || g.left == 0 || ctx.Err() != nil {
			return nil
		}
		if q := g.queues[b]; len(q) > 0 {
			j := q[0]
			g.queues[b] = q[1:]
			return j
		}
		for i, j := range g.retries {
			if j.avoid != b || !g.othersUp(b) {
				g.retries = append(g.retries[:i], g.retries[i+1:]...)
				return j
			}
		}
		victim := -1
		for o := range g.queues {
			if o != b && len(g.queues[o]) > 0 && (victim < 0 || len(g.queues[o]) > len(g.queues[victim])) {
				victim = o
			}
		}
		if victim >= 0 {
			q := g.queues[victim]
			j := q[len(q)-1]
			g.queues[victim] = q[:len(q)-1]
			return j
		}
		g.wait(ctx)
	}
}

// wait releases the lock until something changes, or the context is cancelled.
func (g *grader) wait(ctx context.Context) {
	stop := context.AfterFunc(ctx, func() {
		g.mu.Lock()
		g.cond.Broadcast()
		g.mu.Unlock()
	})
	g.cond.Wait()
	stop()
}

func (g *grader) othersUp(b int) bool {
	for o, up := range g.up {
		if o != b && up {
			return true
		}
	}
	return false
}

// retry sends a job back after a fault on backend b.
func (g *grader) retry(j *job, b int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	j.avoid = b
	g.retries = append(g.retries, j)
	g.cond.Broadcast()
}

// down drops backend b: its workers stop and its queue is left for the others to take.
func (g *grader) down(b int, why error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.up[b] {
		return
	}
	g.up[b] = false
	g.workers[b].Down = why.Error()
	g.fault = why
	g.cond.Broadcast()
	if g.opts.Logf != nil {
		g.opts.Logf("BuildKit at %s is down (%s); its remaining submissions move to the other workers", g.workers[b].Address, firstLine(why.Error()))
	}
}

// drain takes every job no worker will run any more.
func (g *grader) drain() []*job {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []*job
	for b := range g.queues {
		out = append(out, g.queues[b]...)
		g.queues[b] = nil
	}
	out = append(out, g.retries...)
	g.retries = nil
	return out
}

func (g *grader) lastFault() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.fault == nil {
		return "every worker is down"
	}
	return g.fault.Error()
}

// finish records a job's one result.
func (g *grader) finish(j *job, r Result) {
	g.mu.Lock()
	if g.done[j.st.ID] {
		g.mu.Unlock()
		panic("grade: " + j.st.ID + " finished twice")
	}
	g.done[j.st.ID] = true
	if j.st.Missing == "" {
		g.left--
	}
	if j.backend >= 0 && r.Status == StatusGraded {
		g.workers[j.backend].Graded++
	}
	g.results = append(g.results, r)
	g.cond.Broadcast()
	g.mu.Unlock()
	if g.opts.OnResult != nil {
		g.report.Lock()
		g.opts.OnResult(r)
		g.report.Unlock()
	}
}
