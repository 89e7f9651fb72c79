package sandbox

import (
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// needRoot: these tests check what the managed daemon does as root. Locally they skip for
// another user; in CI (which runs as root, for buildkitd) they must run.
func needRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but not root: the managed daemon's checks need root")
		}
		t.Skip("the managed daemon's ownership checks apply as root")
	}
}

// testDaemon is a managed daemon in a temp folder, its cgroups in a fake tree (never the host's).
func testDaemon(t *testing.T) (*Daemon, string) {
	t.Helper()
	dir := t.TempDir()
	d := &Daemon{Root: filepath.Join(dir, "root"), Runtime: filepath.Join(dir, "run"), Binary: "/nonexistent/buildkitd",
		cgroupRoot: filepath.Join(dir, "cgroup")}
	for _, p := range []string{d.Root, d.Runtime, d.cgroupRoot} {
		if err := os.MkdirAll(p, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	return d, dir
}

const nobody = 65534

// TestDaemonRefusesForeignDirs: as root, a runtime dir owned by another user, one writable by
// group, or one under a folder another user owns, is refused with the path and the fix, and
// nothing is created in it.
func TestDaemonRefusesForeignDirs(t *testing.T) {
	needRoot(t)
	for name, setup := range map[string]func(d *Daemon, dir string) string{
		"owned by nobody": func(d *Daemon, dir string) string {
			os.Chown(d.Runtime, nobody, nobody)
			return "owned by uid 65534"
		},
		"group-writable": func(d *Daemon, dir string) string {
			os.Chmod(d.Runtime, 0o770)
			return "writable by group or others"
		},
		"under a user's folder": func(d *Daemon, dir string) string {
			home := filepath.Join(dir, "home")
			os.MkdirAll(home, 0o755)
			os.Chown(home, nobody, nobody)
			d.Runtime = filepath.Join(home, "run")
			return "owned by uid 65534"
		},
		"through a user's link": func(d *Daemon, dir string) string {
			// The link leads to a root-owned folder, but its owner can re-point it.
			link := filepath.Join(dir, "link")
			os.Symlink(d.Runtime, link)
			os.Lchown(link, nobody, nobody)
			d.Runtime = link
			return "owned by uid 65534"
		},
	} {
		t.Run(name, func(t *testing.T) {
			d, dir := testDaemon(t)
			want := setup(d, dir)
			_, err := d.Client(context.Background())
			var ee *EnvError
			if !errors.As(err, &ee) || !strings.Contains(ee.What, d.Runtime) || !strings.Contains(ee.What, want) || !strings.Contains(ee.Fix, "sudo -H") {
				t.Fatalf("Client: %v; want an EnvError naming %s, saying %q, with the fix", err, d.Runtime, want)
			}
			if strings.Contains(err.Error(), "sudo -E") {
				t.Errorf("the fix suggests sudo -E (it keeps the user's folders): %v", err)
			}
			if entries, _ := os.ReadDir(d.Runtime); len(entries) != 0 {
				t.Errorf("files were created in the refused dir: %v", entries)
			}
		})
	}
}

// TestDaemonLeavesUnrelatedPID: a pid file naming a process that is not our buildkitd (a pid
// reused by `sleep`) is not signalled by Stop, and the daemon counts as not running.
func TestDaemonLeavesUnrelatedPID(t *testing.T) {
	needRoot(t)
	d, _ := testDaemon(t)
	sleep := exec.Command("sleep", "60")
	if err := sleep.Start(); err != nil {
		t.Fatal(err)
	}
	pid := sleep.Process.Pid
	// The pid file also says --config like ours would not: the exe is what tells them apart.
	os.WriteFile(d.pidFile(), []byte(strconv.Itoa(pid)), 0o600)
	if got := d.pid(); got != 0 {
		t.Errorf("pid() = %d for an unrelated process, want 0", got)
	}
	if stopped, err := d.Stop(); stopped || err != nil {
		t.Errorf("Stop() = %v, %v; want false, nil", stopped, err)
	}
	// If Stop had sent SIGTERM, sleep would have died of it; it dies of our SIGKILL instead.
	sleep.Process.Signal(syscall.SIGKILL)
	sleep.Wait()
	if ws := sleep.ProcessState.Sys().(syscall.WaitStatus); !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Errorf("sleep ended with %v: something else signalled it", sleep.ProcessState)
	}
}

// TestDaemonStopsOurPID: the process Stop does signal is the buildkitd binary we start, running
// with our config: here busybox copied as "buildkitd", its shell waiting on a pipe, with
// "--config <our config>" on its command line.
func TestDaemonStopsOurPID(t *testing.T) {
	needRoot(t)
	bb, err := exec.LookPath("busybox")
	if err != nil {
		t.Skip("busybox is not installed (make deps installs busybox-static)")
	}
	d, dir := testDaemon(t)
	d.Binary = filepath.Join(dir, "bin", "buildkitd")
	os.MkdirAll(filepath.Dir(d.Binary), 0o755)
	src, _ := os.ReadFile(bb)
	if err := os.WriteFile(d.Binary, src, 0o755); err != nil {
		t.Fatal(err)
	}
	fake := &exec.Cmd{Path: d.Binary, Args: []string{"sh", "-c", "read x", "--config", d.configFile()}}
	stdin, _ := fake.StdinPipe()
	defer stdin.Close()
	if err := fake.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { fake.Wait(); close(exited) }()
	os.WriteFile(d.pidFile(), []byte(strconv.Itoa(fake.Process.Pid)), 0o600)
	if got := d.pid(); got != fake.Process.Pid {
		t.Fatalf("pid() = %d, want %d (our daemon)", got, fake.Process.Pid)
	}
	if stopped, err := d.Stop(); !stopped || err != nil {
		t.Fatalf("Stop() = %v, %v; want true, nil", stopped, err)
	}
	<-exited
	if ws := fake.ProcessState.Sys().(syscall.WaitStatus); !ws.Signaled() || ws.Signal() != syscall.SIGTERM {
		t.Errorf("the daemon ended with %v, want SIGTERM", fake.ProcessState)
	}
}

// TestDaemonFilesDoNotFollowLinks: links planted where the config, pid file and log go are not
// written through: the config and pid file replace the link, the log is refused.
func TestDaemonFilesDoNotFollowLinks(t *testing.T) {
	d, dir := testDaemon(t)
	victim := filepath.Join(dir, "victim")
	os.WriteFile(victim, []byte("original\n"), 0o644)
	for _, p := range []string{d.configFile(), d.pidFile()} {
		if err := os.Symlink(victim, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := writeFileAtomic(d.pidFile(), []byte("123"), 0o600); err != nil {
		t.Fatal(err)
	}
	os.Symlink(victim, d.LogFile())
	_, logf, err := d.prepareFiles()
	if err == nil {
		logf.Close()
		t.Fatal("prepareFiles opened a log that is a link")
	}
	if !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("prepareFiles: %v", err)
	}
	if b, _ := os.ReadFile(victim); string(b) != "original\n" {
		t.Errorf("the link's target was written: %q", b)
	}
	for _, p := range []string{d.configFile(), d.pidFile()} {
		if st, err := os.Lstat(p); err != nil || !st.Mode().IsRegular() {
			t.Errorf("%s: %v, %v; want a regular file in place of the link", p, st, err)
		}
	}
	if b, _ := os.ReadFile(d.configFile()); !strings.Contains(string(b), "gateway.v0") {
		t.Errorf("the config was not written: %q", b)
	}
	// Without the link, the log opens.
	os.Remove(d.LogFile())
	_, logf, err = d.prepareFiles()
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(logf, "ok\n")
	logf.Close()
}
