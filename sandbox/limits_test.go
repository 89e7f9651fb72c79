package sandbox

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	controlapi "github.com/moby/buildkit/api/services/control"
)

// limitsSandbox is a catalog sandbox whose builds run under a fresh tenant of this test, so a
// failed step is never answered from another test's cache.
func limitsSandbox(t *testing.T) (*Sandbox, string) {
	t.Helper()
	sb := testCatalogSandbox(t)
	if !sb.Endpoint.Local() {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but the test daemon is not local: resource limits need a local daemon and root")
		}
		t.Skip("resource limits need a local daemon and root")
	}
	return sb, fmt.Sprintf("test:%s:%d", t.Name(), time.Now().UnixNano())
}

// hostProcs counts the processes on the machine.
func hostProcs() int {
	ents, _ := os.ReadDir("/proc")
	n := 0
	for _, e := range ents {
		if c := e.Name()[0]; c >= '0' && c <= '9' {
			n++
		}
	}
	return n
}

// A fork bomb is stopped by its own pids limit, named with its line, and the machine's process
// count stays within that limit of where it was.
func TestLimitForkBomb(t *testing.T) {
	sb, tenant := limitsSandbox(t)
	sb.Policy.Pids = 128
	sb.Policy.Timeout = 2 * time.Minute
	before := hostProcs()
	var most atomic.Int64
	stop := make(chan struct{})
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
				if n := int64(hostProcs()); n > most.Load() {
					most.Store(n)
				}
			}
		}
	}()
	df := "FROM busybox\nRUN echo ready\nRUN f() { f | f & }; f; sleep 600\n"
	res, err := sb.Build(context.Background(), Request{Dockerfile: []byte(df), Tenant: tenant})
	close(stop)
	if err != nil {
		t.Fatal(err)
	}
	f := res.Failure
	if f == nil {
		t.Fatal("the fork bomb built")
	}
	t.Logf("limits %s; failure %+v; host processes %d before, %d at most", res.Limits, *f, before, most.Load())
	if f.Kind != "pids" || f.Line != 3 || !strings.Contains(f.Message, "line 3") || !strings.Contains(f.Message, "128 processes") {
		t.Errorf("failure = %q %q (line %d), want a pids failure naming 128 processes and line 3", f.Kind, f.Message, f.Line)
	}
	// Other engineers' processes come and go on a shared machine: allow for them, but a bomb
	// past its limit would add thousands.
	if grew := most.Load() - int64(before); grew > 128+200 {
		t.Errorf("the host gained %d processes during the fork bomb; the limit is 128", grew)
	}
}

// A step that sets out to write 3 GiB, in files each below the fsize ulimit, is stopped by the
// disk watch. The cap is small so the test does not wait on the disk.
func TestLimitDisk(t *testing.T) {
	sb, tenant := limitsSandbox(t)
	sb.Policy.DiskBytes = 256 << 20
	df := "FROM busybox\nRUN echo ready\nRUN for i in $(seq 30); do dd if=/dev/zero of=/big$i bs=1M count=100 || exit 1; done\n"
	res, err := sb.Build(context.Background(), Request{Dockerfile: []byte(df), Tenant: tenant})
	if err != nil {
		t.Fatal(err)
	}
	f := res.Failure
	if f == nil {
		t.Fatal("a 3 GiB write built under a 2 GiB disk limit")
	}
	t.Logf("failure %+v", *f)
	if f.Kind != "disk" || f.Line != 3 || !strings.Contains(f.Message, "disk limit") || !strings.Contains(f.Message, "line 3") {
		t.Errorf("failure = %q %q (line %d), want a disk failure on line 3", f.Kind, f.Message, f.Line)
	}
}

// One file past the disk limit is stopped by the kernel (the fsize ulimit) and reported as the
// disk limit too.
func TestLimitDiskOneFile(t *testing.T) {
	sb, tenant := limitsSandbox(t)
	sb.Policy.DiskBytes = 64 << 20
	df := "FROM busybox\nRUN dd if=/dev/zero of=/big bs=1M count=200\n"
	res, err := sb.Build(context.Background(), Request{Dockerfile: []byte(df), Tenant: tenant})
	if err != nil {
		t.Fatal(err)
	}
	f := res.Failure
	if f == nil {
		t.Fatal("a 200 MB file was written under a 64 MiB disk limit")
	}
	if f.Kind != "disk" || f.Line != 2 || !strings.Contains(f.Message, "disk limit") {
		t.Fatalf("failure = %+v, want a disk failure on line 2", *f)
	}
}

// When the time limit passes, the step is killed on the daemon: Build returns, the tenant's
// cgroup has no process left, and the daemon has no build running.
func TestLimitTimeoutStopsTheDaemon(t *testing.T) {
	sb, tenant := limitsSandbox(t)
	sb.Policy.Timeout = 5 * time.Second
	// A bound for the test only: without cancellation `sleep 1000` would hold Build 16 minutes.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	df := "FROM busybox\nRUN echo ready\nRUN sleep 1000\n"
	start := time.Now()
	res, err := sb.Build(ctx, Request{Dockerfile: []byte(df), Tenant: tenant})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Build returned after %s; the steps drained %s after the time limit", time.Since(start).Round(time.Millisecond), res.drained)
	if res.Failure == nil || res.Failure.Kind != "timeout" {
		t.Fatalf("failure = %+v, want a timeout", res.Failure)
	}
	cl, _, err := setupCgroup(sb.Policy, tenant)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.release()
	if ps := cl.procs(); len(ps) > 0 {
		t.Errorf("processes %v are still in the build's cgroup %s after the timeout", ps, cl.parent)
	}
	// The daemon records the end of the build a moment after the client sees it; measure how
	// long it keeps the build active, and fail only when it never ends.
	c, err := sb.Client(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ended := time.Now()
	for {
		active, err := activeBuilds(ctx, c.ControlClient())
		if err != nil {
			t.Fatal(err)
		}
		// Other packages' tests share the daemon: only this build must be gone.
		if res.ref == "" {
			t.Fatal("Build recorded no ref for its solve")
		}
		if !slices.Contains(active, res.ref) {
			t.Logf("the daemon no longer ran the build %s after Build returned", time.Since(ended).Round(time.Millisecond))
			break
		}
		if time.Since(ended) > 30*time.Second {
			t.Fatalf("the daemon still runs the build %s 30 s after the timeout", res.ref)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// activeBuilds lists the builds the daemon is running.
func activeBuilds(ctx context.Context, cc controlapi.ControlClient) ([]string, error) {
	hctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	stream, err := cc.ListenBuildHistory(hctx, &controlapi.BuildHistoryRequest{ActiveOnly: true, EarlyExit: true})
	if err != nil {
		return nil, err
	}
	var refs []string
	for {
		ev, err := stream.Recv()
		if err != nil {
			return refs, nil // io.EOF after the active builds (EarlyExit)
		}
		if ev.Record != nil && ev.Record.CompletedAt == nil {
			refs = append(refs, ev.Record.Ref)
		}
	}
}

// The cgroup is per tenant: two tenants never share one, the same tenant always gets the
// same (so its re-checks stay cached), and odd characters never reach the path.
func TestTenantName(t *testing.T) {
	a, b := tenantName("student:alice"), tenantName("student:bob")
	if a == b || a != tenantName("student:alice") {
		t.Errorf("tenant names %q %q", a, b)
	}
	if tenantName("") != tenantName(DefaultTenant) {
		t.Errorf("the empty tenant is not the default")
	}
	for _, odd := range []string{"../../etc", "a/b", "a b", "ÄÖ", strings.Repeat("x", 300)} {
		n := tenantName(odd)
		if strings.ContainsAny(n, "/. ") || len(n) > 40 || n == tenantName("a_b") {
			t.Errorf("tenantName(%q) = %q", odd, n)
		}
	}
}
