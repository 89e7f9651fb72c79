package grade

import (
	"context"
	"strings"
	"testing"
	"time"
)

// A memory bomb, a fork bomb and a correct solution graded at once: each student's build runs
// in a cgroup of its own, so the bombs fail on their own limits and the correct one passes.
func TestGradeIsolatesBombs(t *testing.T) {
	addr := testDaemon(t)
	be := testBackend(t, addr, testCache(t), 2*time.Minute)
	if !be.Sandbox.Endpoint.Local() {
		t.Skip("resource limits need a local daemon and root")
	}
	be.Sandbox.Policy.MemoryBytes = 256 << 20
	be.Sandbox.Policy.Pids = 256
	plan := examplePlan(t)
	good := artifactClass(1)[0]
	good.ID, good.Hash = "good-"+time.Now().Format("150405.000"), "good"
	stamp := time.Now().Format("150405.000")
	class := []Student{
		good,
		{ID: "memory-bomb-" + stamp, File: "Dockerfile", Hash: "memory",
			Dockerfile: []byte("FROM busybox\nRUN echo " + stamp + "\nRUN awk 'BEGIN { s = \"x\"; while (1) s = s s }'\n")},
		{ID: "fork-bomb-" + stamp, File: "Dockerfile", Hash: "fork",
			Dockerfile: []byte("FROM busybox\nRUN echo " + stamp + "\nRUN f() { f | f & }; f; sleep 600\n")},
	}
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	out, err := Grade(ctx, class, Options{Plan: plan, Backends: []Backend{be}, Jobs: 3})
	if err != nil {
		t.Fatal(err)
	}
	m := byStudent(t, class, out.Results)
	kindOf := func(r Result) string {
		if r.Report == nil || r.Report.Build == nil || r.Report.Build.Failure == nil {
			return ""
		}
		f := r.Report.Build.Failure
		t.Logf("%s: %s (line %d): %s", r.Student, f.Kind, f.Line, f.Message)
		return f.Kind
	}
	if r := m[good.ID]; r.Status != StatusGraded || !r.Passed || kindOf(r) != "" {
		t.Errorf("the correct solution: %s, passed %v, score %s (%s), want graded and passed", r.Status, r.Passed, r.Score, r.Error)
	}
	if r := m[class[1].ID]; r.Status != StatusGraded || kindOf(r) != "memory" || r.Report.Build.Failure.Line != 3 {
		t.Errorf("the memory bomb: %s, failure %q, want graded with a memory failure on line 3", r.Status, kindOf(r))
	}
	if r := m[class[2].ID]; r.Status != StatusGraded || kindOf(r) != "pids" || r.Report.Build.Failure.Line != 3 {
		t.Errorf("the fork bomb: %s, failure %q, want graded with a pids failure on line 3", r.Status, kindOf(r))
	}
	for _, r := range out.Results {
		if r.Report != nil && r.Report.Build != nil {
			if want := "256 processes"; !strings.Contains(r.Report.Build.Limits, want) {
				t.Errorf("%s ran under %q, want the policy's %s", r.Student, r.Report.Build.Limits, want)
			}
		}
	}
}
