package sandbox_test

import (
	"context"
	"testing"
	"time"

	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/sandbox/check"
	"github.com/stagecraft/stagecraft/sandbox/check/spec"
	"github.com/stagecraft/stagecraft/sandbox/internal/sbtest"
)

// The engine's guarantees seen through the checker, which the engine's internal tests cannot
// import (it imports the engine).

// The time limit bounds the whole check, not each build: lint and the build share it, the
// check ends with the build's timeout as a failed check, and nothing of it is left running.
func TestLimitCheckDeadline(t *testing.T) {
	sb, tenant := sbtest.LimitsSandbox(t)
	sb.Policy.Timeout = 6 * time.Second
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	plan := check.Plan{Exercise: "deadline", Checks: []spec.Check{{ID: "builds", Kind: spec.KindBuilds, Points: spec.Whole(1)}}}
	sub := check.Submission{Dockerfile: []byte("FROM busybox\nRUN echo ready\nRUN sleep 1000\n"), Tenant: tenant}
	rep, err := check.Run(ctx, sb, plan, sub, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Build == nil || rep.Build.Failure == nil || rep.Build.Failure.Kind != "timeout" || rep.Passed {
		t.Fatalf("report build %+v, passed %v: want a timeout", rep.Build, rep.Passed)
	}
	if ctx.Err() != nil {
		t.Fatal("the check outlived the test's bound: its time limit did not stop it")
	}
	ps, err := sandbox.TenantProcs(sb.Policy, tenant)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) > 0 {
		t.Errorf("processes %v are still in the check's cgroup after its time limit", ps)
	}
}
