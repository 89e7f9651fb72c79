package grade

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/sandbox/check"
	"github.com/stagecraft/stagecraft/sandbox/check/spec"
)

// fakeBackend stands in for a BuildKit daemon in the scheduler's tests: it grades a submission
// by its first comment line ("# score 70"), and can fault, die or panic on cue.
type fakeBackend struct {
	addr  string
	delay time.Duration

	mu        sync.Mutex
	checks    map[string]int  // student → checks run here
	faultFor  map[string]bool // an environment fault for these students, daemon still healthy
	panicFor  map[string]bool
	dieAfter  int // the daemon dies when this many checks have started (0: never)
	started   int
	dead      bool
	warmErr   error
	warmed    int
	onStarted func(id string)
	// misread makes a dead daemon's checks come back as failed builds, as if the broken
	// connection were the Dockerfile's fault.
	misread bool
}

func newFake(addr string) *fakeBackend {
	return &fakeBackend{addr: addr, checks: map[string]int{}, faultFor: map[string]bool{}, panicFor: map[string]bool{}}
}

func (f *fakeBackend) Address() string { return f.addr }

func (f *fakeBackend) Warm(ctx context.Context, plan check.Plan) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.warmed++
	return f.warmErr
}

func (f *fakeBackend) Healthy(ctx context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.dead {
		return &sandbox.EnvError{What: "cannot reach BuildKit at " + f.addr}
	}
	return nil
}

func (f *fakeBackend) Check(ctx context.Context, plan check.Plan, sub check.Submission) (*check.Report, error) {
	id := studentOf(sub.Dockerfile)
	f.mu.Lock()
	f.started++
	if f.dieAfter > 0 && f.started > f.dieAfter {
		f.dead = true
	}
	dead, fault, boom := f.dead, f.faultFor[id], f.panicFor[id]
	if !dead && !fault && !boom {
		f.checks[id]++
	}
	hook := f.onStarted
	f.mu.Unlock()
	if hook != nil {
		hook(id)
	}
	select {
	case <-time.After(f.delay):
	case <-ctx.Done():
		return &check.Report{Gradable: false, Error: ctx.Err().Error()}, ctx.Err()
	}
	if boom {
		panic("boom")
	}
	if dead && f.misread {
		rep := &check.Report{Schema: check.ReportSchema, Gradable: true, Checks: []check.CheckResult{
			{ID: "builds", Kind: spec.KindBuilds, Status: check.StatusFail, MaxPoints: spec.Whole(100)}},
			Build: &sandbox.BuildInfo{Failure: &sandbox.Failure{Kind: "run", Message: "failed to solve: EOF"}}}
		totals(rep)
		return rep, nil
	}
	if dead || fault {
		err := &sandbox.EnvError{What: "BuildKit failed during the build", Err: errors.New("connection reset")}
		return &check.Report{Schema: check.ReportSchema, Gradable: false, Error: err.Error()}, err
	}
	var score int64
	fmt.Sscanf(scoreOf(sub.Dockerfile), "%d", &score)
	rep := &check.Report{Schema: check.ReportSchema, Exercise: plan.Exercise, Gradable: true,
		Checks: []check.CheckResult{{ID: "builds", Kind: spec.KindBuilds, Status: check.StatusPass, Points: spec.Whole(score), MaxPoints: spec.Whole(100)}}}
	if score < 100 {
		rep.Checks[0].Status = check.StatusFail
	}
	totals(rep)
	return rep, nil
}

func (f *fakeBackend) count(id string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.checks[id]
}

func (f *fakeBackend) total() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.checks {
		n += c
	}
	return n
}

func studentOf(df []byte) string {
	first, _, _ := strings.Cut(string(df), "\n")
	return strings.TrimPrefix(first, "# student ")
}

func scoreOf(df []byte) string {
	_, rest, _ := strings.Cut(string(df), "# score ")
	s, _, _ := strings.Cut(rest, "\n")
	return s
}

func fakeClass(n int) []Student {
	var out []Student
	for i := range n {
		id := fmt.Sprintf("s%02d", i)
		df := fmt.Sprintf("# student %s\n# score %d\nFROM busybox AS build\nRUN echo %d\nFROM scratch\n", id, 50+i%51, i%3)
		out = append(out, Student{ID: id, File: "Dockerfile", Dockerfile: []byte(df), Hash: "h-" + id})
	}
	return out
}

var fakePlan = check.Plan{Exercise: "fake", Checks: []spec.Check{{ID: "builds", Kind: spec.KindBuilds, Points: spec.Whole(100)}}}

func backendsOf(fs ...*fakeBackend) []Backend {
	var out []Backend
	for _, f := range fs {
		out = append(out, f)
	}
	return out
}

// byStudent indexes results and fails the test unless every student has exactly one.
func byStudent(t *testing.T, class []Student, rs []Result) map[string]Result {
	t.Helper()
	m := map[string]Result{}
	for _, r := range rs {
		if _, dup := m[r.Student]; dup {
			t.Errorf("%s has two results", r.Student)
		}
		m[r.Student] = r
	}
	for _, s := range class {
		if _, ok := m[s.ID]; !ok {
			t.Errorf("%s has no result", s.ID)
		}
	}
	if len(m) != len(class) {
		t.Errorf("%d results for %d students", len(m), len(class))
	}
	return m
}

func TestGradeSpreadsOverBackendsOnce(t *testing.T) {
	a, b, c := newFake("a"), newFake("b"), newFake("c")
	for _, f := range []*fakeBackend{a, b, c} {
		f.delay = 5 * time.Millisecond
	}
	class := fakeClass(24)
	var seen []string
	out, err := Grade(context.Background(), class, Options{Plan: fakePlan, Backends: backendsOf(a, b, c), Jobs: 6,
		OnResult: func(r Result) { seen = append(seen, r.Student) }})
	if err != nil {
		t.Fatal(err)
	}
	m := byStudent(t, class, out.Results)
	if len(seen) != len(class) {
		t.Errorf("OnResult called %d times for %d students", len(seen), len(class))
	}
	for _, s := range class {
		r := m[s.ID]
		if r.Status != StatusGraded || r.Attempts != 1 {
			t.Errorf("%s: status %s after %d attempts, want graded after 1", s.ID, r.Status, r.Attempts)
		}
		if n := a.count(s.ID) + b.count(s.ID) + c.count(s.ID); n != 1 {
			t.Errorf("%s checked %d times", s.ID, n)
		}
		if want := spec.Whole(int64(50 + (int(s.ID[1]-'0')*10+int(s.ID[2]-'0'))%51)); r.Score != want {
			t.Errorf("%s: score %s, want %s", s.ID, r.Score, want)
		}
	}
	for _, f := range []*fakeBackend{a, b, c} {
		if f.total() == 0 {
			t.Errorf("backend %s checked nothing", f.addr)
		}
		if f.warmed != 1 {
			t.Errorf("backend %s warmed %d times, want once", f.addr, f.warmed)
		}
	}
	graded := 0
	for _, w := range out.Workers {
		graded += w.Graded
	}
	if graded != len(class) {
		t.Errorf("workers graded %d in all, want %d", graded, len(class))
	}
}

func TestGradeRetriesAFaultOnAnotherBackend(t *testing.T) {
	a, b := newFake("a"), newFake("b")
	a.faultFor["s03"] = true
	b.faultFor["s05"] = true
	class := fakeClass(8)
	out, err := Grade(context.Background(), class, Options{Plan: fakePlan, Backends: backendsOf(a, b), Jobs: 2})
	if err != nil {
		t.Fatal(err)
	}
	m := byStudent(t, class, out.Results)
	for _, id := range []string{"s03", "s05"} {
		r := m[id]
		if r.Status != StatusGraded {
			t.Errorf("%s: %s (%s), want graded on the other backend", id, r.Status, r.Error)
		}
		// Where it faulted depends on the deal; it must be graded on the other one, second time.
		if r.Attempts == 2 && ((id == "s03" && r.Worker != "b") || (id == "s05" && r.Worker != "a")) {
			t.Errorf("%s: retried on %s, want the other backend", id, r.Worker)
		}
	}
	if a.count("s03") != 0 || b.count("s05") != 0 {
		t.Error("a faulting submission was graded where it faulted")
	}
}

func TestGradeFaultTwiceIsNotGradedAndTheBatchGoesOn(t *testing.T) {
	a, b := newFake("a"), newFake("b")
	a.faultFor["s02"], b.faultFor["s02"] = true, true
	a.panicFor["s04"], b.panicFor["s04"] = true, true
	class := fakeClass(6)
	out, err := Grade(context.Background(), class, Options{Plan: fakePlan, Backends: backendsOf(a, b), Jobs: 2})
	if err != nil {
		t.Fatal(err)
	}
	m := byStudent(t, class, out.Results)
	for _, id := range []string{"s02", "s04"} {
		r := m[id]
		if r.Status != StatusNotGraded || r.Attempts != 2 || r.Score != 0 || r.Report == nil || r.Report.Gradable {
			t.Errorf("%s: status %s, attempts %d, score %s; want not graded after 2 attempts, no score", id, r.Status, r.Attempts, r.Score)
		}
		if r.Error == "" {
			t.Errorf("%s: not graded without a reason", id)
		}
	}
	if !strings.Contains(m["s04"].Error, "internal error") {
		t.Errorf("s04: error %q, want the panic reported as an internal error", m["s04"].Error)
	}
	for _, id := range []string{"s00", "s01", "s03", "s05"} {
		if m[id].Status != StatusGraded {
			t.Errorf("%s: %s, want graded", id, m[id].Status)
		}
	}
}

func TestGradeMovesADeadBackendsWorkToTheOthers(t *testing.T) {
	a, b := newFake("a"), newFake("b")
	a.delay, b.delay = 2*time.Millisecond, 2*time.Millisecond
	b.dieAfter = 3
	var logs []string
	class := fakeClass(20)
	out, err := Grade(context.Background(), class, Options{Plan: fakePlan, Backends: backendsOf(a, b), Jobs: 4,
		Logf: func(f string, args ...any) { logs = append(logs, fmt.Sprintf(f, args...)) }})
	if err != nil {
		t.Fatal(err)
	}
	m := byStudent(t, class, out.Results)
	for _, s := range class {
		if r := m[s.ID]; r.Status != StatusGraded {
			t.Errorf("%s: %s (%s), want graded", s.ID, r.Status, r.Error)
		}
		if n := a.count(s.ID) + b.count(s.ID); n != 1 {
			t.Errorf("%s graded %d times", s.ID, n)
		}
	}
	if b.total() > 3 || b.total() == 0 {
		t.Errorf("b graded %d before dying after 3 starts", b.total())
	}
	if out.Workers[1].Down == "" || out.Workers[0].Down != "" {
		t.Errorf("workers %+v: want b down and a up", out.Workers)
	}
	if len(logs) != 1 || !strings.Contains(logs[0], "b is down") {
		t.Errorf("logs %q: want one line saying b is down", logs)
	}
}

func TestGradeDoesNotBlameAStudentForADyingDaemon(t *testing.T) {
	a, b := newFake("a"), newFake("b")
	b.dieAfter, b.misread = 1, true
	a.delay, b.delay = 2*time.Millisecond, 2*time.Millisecond
	class := fakeClass(12)
	out, err := Grade(context.Background(), class, Options{Plan: fakePlan, Backends: backendsOf(a, b), Jobs: 2})
	if err != nil {
		t.Fatal(err)
	}
	m := byStudent(t, class, out.Results)
	for _, s := range class {
		if r := m[s.ID]; r.Status != StatusGraded || r.Report.Build != nil {
			t.Errorf("%s: %s with build %+v; want graded, not blamed for the dead daemon", s.ID, r.Status, r.Report.Build)
		}
	}
	if b.started > 1 && out.Workers[1].Down == "" {
		t.Error("b misread a check after it died, and is not down")
	}
}

func TestGradeWithEveryBackendDownLeavesTheRestNotGraded(t *testing.T) {
	a := newFake("a")
	a.dieAfter = 2
	class := fakeClass(5)
	out, err := Grade(context.Background(), class, Options{Plan: fakePlan, Backends: backendsOf(a), Jobs: 1})
	if err != nil {
		t.Fatal(err)
	}
	m := byStudent(t, class, out.Results)
	graded, not := 0, 0
	for _, r := range m {
		switch r.Status {
		case StatusGraded:
			graded++
		case StatusNotGraded:
			not++
			if r.Error == "" || r.MaxScore != spec.Whole(100) {
				t.Errorf("%s: error %q, max %s", r.Student, r.Error, r.MaxScore)
			}
		}
	}
	if graded != 2 || not != 3 {
		t.Errorf("graded %d, not graded %d; want 2 and 3", graded, not)
	}
}

func TestGradeWarmUpFailureDropsTheBackend(t *testing.T) {
	a, b := newFake("a"), newFake("b")
	a.warmErr = &sandbox.EnvError{What: "BuildKit at a does not answer"}
	class := fakeClass(6)
	out, err := Grade(context.Background(), class, Options{Plan: fakePlan, Backends: backendsOf(a, b), Jobs: 2})
	if err != nil {
		t.Fatal(err)
	}
	m := byStudent(t, class, out.Results)
	for _, s := range class {
		if m[s.ID].Status != StatusGraded || m[s.ID].Worker != "b" {
			t.Errorf("%s: %s on %q, want graded on b", s.ID, m[s.ID].Status, m[s.ID].Worker)
		}
	}
	if !strings.Contains(out.Workers[0].Down, "starter") {
		t.Errorf("a down: %q, want the warm-up named", out.Workers[0].Down)
	}
}

func TestGradeCancelledLeavesTheRestNotGraded(t *testing.T) {
	a := newFake("a")
	a.delay = 20 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	started := 0
	a.onStarted = func(string) {
		if started++; started == 3 {
			cancel()
		}
	}
	class := fakeClass(6)
	out, err := Grade(ctx, class, Options{Plan: fakePlan, Backends: backendsOf(a), Jobs: 1})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	m := byStudent(t, class, out.Results)
	graded := 0
	for _, r := range m {
		switch r.Status {
		case StatusGraded:
			graded++
		case StatusNotGraded:
			if !strings.Contains(r.Error, "interrupted") {
				t.Errorf("%s: error %q, want interrupted", r.Student, r.Error)
			}
		default:
			t.Errorf("%s: %s", r.Student, r.Status)
		}
	}
	if graded != 2 {
		t.Errorf("graded %d, want the 2 checked before the cancel", graded)
	}
}

func TestGradeMissingAndRefusedSubmissions(t *testing.T) {
	a := newFake("a")
	class := fakeClass(2)
	class = append(class, Student{ID: "zed", Missing: "no submission"})
	big := &limitBackend{fakeBackend: a, refuse: "s01"}
	out, err := Grade(context.Background(), class, Options{Plan: fakePlan, Backends: []Backend{big}, Jobs: 1})
	if err != nil {
		t.Fatal(err)
	}
	m := byStudent(t, class, out.Results)
	if r := m["zed"]; r.Status != StatusMissing || r.Score != 0 || r.MaxScore != spec.Whole(100) || r.Attempts != 0 || a.count("zed") != 0 {
		t.Errorf("zed: %+v, want missing with 0/100 and never checked", r)
	}
	r := m["s01"]
	if r.Status != StatusGraded || r.Score != 0 || r.Report.Build == nil || r.Report.Build.Failure.Kind != "limit" {
		t.Errorf("s01: %s, score %s; want graded 0 with the limit as the failure", r.Status, r.Score)
	}
	if !strings.Contains(r.Report.Checks[0].Message, "limit") {
		t.Errorf("s01: check message %q, want the limit", r.Report.Checks[0].Message)
	}
}

// limitBackend refuses one submission as the sandbox refuses an over-limit context.
type limitBackend struct {
	*fakeBackend
	refuse string
}

func (l *limitBackend) Check(ctx context.Context, plan check.Plan, sub check.Submission) (*check.Report, error) {
	if studentOf(sub.Dockerfile) == l.refuse {
		err := &sandbox.LimitError{What: "build context", Size: 300 << 20, Limit: 200 << 20}
		return &check.Report{Schema: check.ReportSchema, Gradable: false, Error: err.Error()}, err
	}
	return l.fakeBackend.Check(ctx, plan, sub)
}

func TestGradeOnlyMissingWarmsNothing(t *testing.T) {
	a := newFake("a")
	class := []Student{{ID: "ann", Missing: "no submission"}, {ID: "ben", Missing: "the folder has no Dockerfile"}}
	out, err := Grade(context.Background(), class, Options{Plan: fakePlan, Backends: backendsOf(a), Jobs: 2})
	if err != nil {
		t.Fatal(err)
	}
	m := byStudent(t, class, out.Results)
	if m["ann"].Status != StatusMissing || m["ben"].Status != StatusMissing || a.warmed != 0 {
		t.Errorf("results %+v, warmed %d", out.Results, a.warmed)
	}
}

func TestAssignKeepsABuildStageOnOneBackend(t *testing.T) {
	df := func(build, final string) []byte {
		return []byte("FROM golang AS build\nRUN " + build + "\nFROM scratch\nCOPY --from=build /x /" + final + "\n")
	}
	var jobs []*job
	for i := range 9 {
		build := []string{"one", "two", "three"}[i%3]
		st := &Student{ID: fmt.Sprint(i), Dockerfile: df(build, fmt.Sprint(i))}
		jobs = append(jobs, &job{st: st, avoid: -1})
	}
	g := newGrader(Options{Plan: fakePlan, Backends: backendsOf(newFake("a"), newFake("b"))})
	g.assign(jobs)
	where := map[string]int{}
	for b, q := range g.queues {
		for _, j := range q {
			k := buildKey(j.st.Dockerfile)
			if prev, ok := where[k]; ok && prev != b {
				t.Errorf("build stage %s on backends %d and %d", k, prev, b)
			}
			where[k] = b
		}
	}
	if len(g.queues[0]) == 0 || len(g.queues[1]) == 0 {
		t.Errorf("queues %d and %d: want both used", len(g.queues[0]), len(g.queues[1]))
	}
	if g.left != 9 {
		t.Errorf("left %d, want 9", g.left)
	}
}
