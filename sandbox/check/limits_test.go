package check

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stagecraft/stagecraft/sandbox/check/spec"
	"github.com/stagecraft/stagecraft/sandbox/internal/sbtest"
)

// The learner's program, run by a `runs` check, is as bounded as their RUN steps: a fork bomb
// in CMD is stopped by the tenant's pids limit and the check says so.
func TestLimitRunsCheckForkBomb(t *testing.T) {
	sb, tenant := sbtest.LimitsSandbox(t)
	sb.Policy.Pids = 128
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	plan := Plan{Exercise: "runs-bomb", Checks: []spec.Check{
		{ID: "builds", Kind: spec.KindBuilds, Points: spec.Whole(1)},
		{ID: "runs", Kind: spec.KindRuns, Points: spec.Whole(1), Timeout: "90s"},
	}}
	df := fmt.Sprintf("FROM busybox\nLABEL t=%d\nCMD [\"sh\", \"-c\", \"f() { f | f & }; f; sleep 600\"]\n", time.Now().UnixNano())
	rep, err := Run(ctx, sb, plan, Submission{Dockerfile: []byte(df), Tenant: tenant}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range rep.Checks {
		if c.ID != "runs" {
			continue
		}
		t.Logf("runs: %s: %s", c.Status, c.Message)
		if c.Status != StatusFail || !strings.Contains(c.Message, "process (--pids) limit") {
			t.Errorf("runs check = %s %q, want a failure naming the process limit", c.Status, c.Message)
		}
		return
	}
	t.Fatal("no runs check in the report")
}
