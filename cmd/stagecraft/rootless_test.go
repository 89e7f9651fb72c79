package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stagecraft/stagecraft/content"
	"github.com/stagecraft/stagecraft/lessons"
)

// TestRootlessManagedDaemon is the first hour of a learner who is not root: a throwaway user
// with a subordinate-id range runs the real binary, which starts the managed buildkitd rootless
// (rootlesskit) on its own, checks the first exercise's reference (pass) and starter (fail),
// builds a RUN that tries the host's 127.0.0.1 (it must not get there), one that writes a file
// past --disk and one that sleeps past --timeout (both stopped), and stops the daemon.
// It needs root to create the user; CI runs it as root.
func TestRootlessManagedDaemon(t *testing.T) {
	if os.Getenv("STAGECRAFT_TEST_BUILDKIT") == "" && os.Getenv("CI") != "true" {
		t.Skip("integration test: run it through scripts/with-buildkitd.sh (root, rootlesskit, uidmap)")
	}
	need := func(what, fix string) {
		t.Helper()
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s (%s)", what, fix)
		}
		t.Skipf("%s (%s)", what, fix)
	}
	if os.Geteuid() != 0 {
		need("not root: creating a throwaway user needs root", "run the integration tests as root")
	}
	for _, tool := range []string{"rootlesskit", "newuidmap", "useradd", "userdel", "runuser", "runc"} {
		if _, err := exec.LookPath(tool); err != nil {
			need(tool+" is not installed", "make test-deps installs rootlesskit and uidmap")
		}
	}
	start := time.Now()
	u := newThrowawayUser(t)
	exercise := firstExercise(t)

	// Everything the user reads lives in a folder it can read: the binary with buildkitd beside
	// it (where the managed daemon looks for it), and the exercise's Dockerfiles.
	work := u.dir("work", 0o755)
	// bin/stagecraft, which `make test` has just built; a go test run without it builds one.
	bin := filepath.Join(work, "stagecraft")
	if built, err := filepath.Abs(filepath.Join("..", "..", "bin", "stagecraft")); err == nil && fileExists(built) {
		copyFile(t, built, bin, 0o755)
	} else if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	bk, err := filepath.EvalSymlinks(filepath.Join("..", "..", "bin", "buildkitd"))
	if err != nil {
		t.Fatalf("bin/buildkitd: %v (make buildkitd builds it)", err)
	}
	copyFile(t, bk, filepath.Join(work, "buildkitd"), 0o755)
	for _, f := range []string{exercise.Solution, exercise.Starter} {
		b, err := fs.ReadFile(content.FS(), f)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(work, filepath.Base(f)), b, 0o644)
	}
	u.shareCatalog(t)
	t.Logf("user, binary and catalog copy ready in %s", time.Since(start).Round(time.Second))

	// The reference passes, the starter fails: the whole check ran on the rootless daemon.
	out, code := u.run(t, work, bin, "check", "--exercise", exercise.ID, "-f", filepath.Base(exercise.Solution), "--format", "json")
	rep := checkJSON(t, out)
	if code != 0 || !rep.Passed || !rep.Gradable {
		t.Fatalf("the reference: exit %d, passed %v, gradable %v, want 0 and a pass\n%s\ndaemon log:\n%s", code, rep.Passed, rep.Gradable, out, u.daemonLog())
	}
	t.Logf("reference passed %d/%d (%s since the start)", rep.Score, rep.MaxScore, time.Since(start).Round(time.Second))
	if !strings.Contains(rep.Build.Limits, "rootless daemon") || !strings.Contains(rep.Build.Limits, "no file over") {
		t.Errorf("the report's limits do not say what the rootless daemon applies: %q", rep.Build.Limits)
	}
	out, code = u.run(t, work, bin, "check", "--exercise", exercise.ID, "-f", filepath.Base(exercise.Starter), "--format", "json")
	rep = checkJSON(t, out)
	if code != 1 || rep.Passed || !rep.Gradable {
		t.Errorf("the starter: exit %d, passed %v, gradable %v, want 1 and a gradable fail\n%s", code, rep.Passed, rep.Gradable, out)
	}

	// The daemon is the managed one, rootless, and says so.
	pid := u.daemonPID(t)
	exe, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
	if filepath.Base(exe) != "rootlesskit" {
		t.Errorf("the managed daemon (pid %d) runs %s, want rootlesskit", pid, exe)
	}
	if st, err := os.Stat(fmt.Sprintf("/proc/%d", pid)); err != nil || st.Sys().(*syscall.Stat_t).Uid != uint32(u.uid) {
		t.Errorf("the managed daemon (pid %d) does not run as the user %d", pid, u.uid)
	}
	out, _ = u.run(t, work, bin, "doctor", "--no-start", "--json")
	if !strings.Contains(out, `"rootless daemon: `) || !strings.Contains(out, "memory (--memory)") {
		t.Errorf("doctor does not say which limits the rootless daemon lacks:\n%s", out)
	}

	// A RUN cannot reach the host's loopback.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var accepted atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			c.Write([]byte("HTTP/1.0 200 OK\r\n\r\nreachable\n"))
			c.Close()
		}
	}()
	df := fmt.Sprintf("FROM busybox\nRUN echo %d && wget -O- http://127.0.0.1:%d/\n", time.Now().UnixNano(), ln.Addr().(*net.TCPAddr).Port)
	os.WriteFile(filepath.Join(work, "net.Dockerfile"), []byte(df), 0o644)
	out, code = u.run(t, work, bin, "build", "-f", "net.Dockerfile")
	if code == 0 || accepted.Load() != 0 {
		t.Errorf("a RUN on the rootless daemon reached the host's 127.0.0.1 (exit %d, %d connections)\n%s", code, accepted.Load(), out)
	}
	if !strings.Contains(out, "Connection refused") {
		t.Errorf("the RUN's wget should be refused (a loopback of its own, nothing listening):\n%s", out)
	}

	// What still holds without cgroups: the fsize cap on one file, and the time limit.
	big := fmt.Sprintf("FROM busybox\nRUN echo %d && dd if=/dev/zero of=/big bs=1M count=8\n", time.Now().UnixNano())
	os.WriteFile(filepath.Join(work, "big.Dockerfile"), []byte(big), 0o644)
	out, code = u.run(t, work, bin, "build", "-f", "big.Dockerfile", "--disk", "2MiB")
	if code == 0 || !strings.Contains(out, "build failed (disk)") {
		t.Errorf("a RUN writing an 8 MiB file under --disk 2MiB: exit %d, want a disk failure\n%s", code, out)
	}
	slow := fmt.Sprintf("FROM busybox\nRUN echo %d && sleep 300\n", time.Now().UnixNano())
	os.WriteFile(filepath.Join(work, "slow.Dockerfile"), []byte(slow), 0o644)
	out, code = u.run(t, work, bin, "build", "-f", "slow.Dockerfile", "--timeout", "5s")
	if code == 0 || !strings.Contains(out, "build failed (timeout)") {
		t.Errorf("a RUN sleeping past --timeout 5s: exit %d, want a timeout failure\n%s", code, out)
	}

	if out, code := u.run(t, work, bin, "daemon", "stop"); code != 0 || !strings.Contains(out, "stopped") {
		t.Errorf("daemon stop: exit %d\n%s", code, out)
	}
	if left := u.procs(); len(left) != 0 {
		t.Errorf("processes of the user left after daemon stop: %v", left)
	}
	t.Logf("rootless end to end: %s", time.Since(start).Round(time.Second))
}

type checkResult struct {
	Passed   bool `json:"passed"`
	Gradable bool `json:"gradable"`
	Score    int  `json:"score"`
	MaxScore int  `json:"max_score"`
	Build    struct {
		Limits string `json:"limits"`
	} `json:"build"`
}

func checkJSON(t *testing.T, out string) checkResult {
	t.Helper()
	var r checkResult
	if i := strings.Index(out, "{"); i < 0 || json.Unmarshal([]byte(out[i:]), &r) != nil {
		t.Fatalf("no check/v1 JSON in the output:\n%s", out)
	}
	return r
}

// firstExercise is the exercise of the course's first lesson that has one: what a new learner
// meets first.
func firstExercise(t *testing.T) *lessons.Exercise {
	t.Helper()
	c, err := lessons.Load(content.FS())
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range c.Lessons {
		for _, id := range l.Exercises {
			for _, e := range c.Exercises {
				if e.ID == id {
					return e
				}
			}
		}
	}
	t.Fatal("the course has no exercise")
	return nil
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

func copyFile(t *testing.T, from, to string, mode os.FileMode) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, mode); err != nil {
		t.Fatal(err)
	}
}
