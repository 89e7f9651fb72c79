package sandbox

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestManagedDaemonStartStop starts the managed daemon for real (bin/buildkitd, in temp
// folders), sees its pid pass the /proc check through bin/buildkitd's links, and stops it:
// the process is gone, nothing stays mounted under its root, and its files are regular files.
// It runs with the integration tests (`make test`), which have root, runc and bin/buildkitd.
func TestManagedDaemonStartStop(t *testing.T) {
	if os.Getenv("STAGECRAFT_TEST_BUILDKIT") == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but STAGECRAFT_TEST_BUILDKIT is unset: run the tests through `make test`")
		}
		t.Skip("integration test: run it through scripts/with-buildkitd.sh (root, runc, bin/buildkitd)")
	}
	needRoot(t)
	bin, err := filepath.Abs(filepath.Join("..", "bin", "buildkitd"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("runc"); err != nil {
		t.Fatalf("runc: %v", err)
	}
	d, _ := testDaemon(t)
	d.Binary, d.GCKeepBytes = bin, 1<<30
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	c, err := d.Client(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	t.Cleanup(func() { d.Stop() })
	pid := d.pid()
	if pid <= 0 {
		t.Fatalf("pid() = %d after start: the started buildkitd does not pass the /proc check", pid)
	}
	if st := d.Status(ctx); !st.Running || st.PID != pid {
		t.Errorf("status %+v, want running with pid %d", st, pid)
	}
	for _, p := range []string{d.configFile(), d.pidFile(), d.LogFile()} {
		if st, err := os.Lstat(p); err != nil || !st.Mode().IsRegular() || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, %v; want a regular 0600 file", p, st, err)
		}
	}
	if stopped, err := d.Stop(); !stopped || err != nil {
		t.Fatalf("Stop() = %v, %v; want true, nil", stopped, err)
	}
	if syscall.Kill(pid, 0) == nil {
		t.Errorf("buildkitd (pid %d) still runs after Stop", pid)
	}
	if mounts, _ := mountsUnder(d.Root); len(mounts) != 0 {
		t.Errorf("still mounted under the root: %v", mounts)
	}
}
