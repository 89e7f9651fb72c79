package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stagecraft/stagecraft/content"
	"github.com/stagecraft/stagecraft/lessons"
	"github.com/stagecraft/stagecraft/sandbox/catalog"
)

// TestRootlessManagedDaemon is the first hour of a learner who is not root: a throwaway user
// with a subordinate-id range runs the real binary, which starts the managed buildkitd rootless
// (rootlesskit) on its own, checks the first exercise's reference (pass) and starter (fail),
// builds a RUN that tries the host's 127.0.0.1 (it must not get there), and stops the daemon.
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

// throwawayUser is a user created for one test, with its home in a temp folder and a range of
// subordinate ids; it is removed, with its processes and files, when the test ends.
type throwawayUser struct {
	name     string
	uid, gid int
	base     string // root-owned 0755 temp folder holding home and work
	home     string
}

func newThrowawayUser(t *testing.T) *throwawayUser {
	t.Helper()
	base, err := os.MkdirTemp("/tmp", "stagecraft-rootless-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(base, 0o755) // the user must reach its home and the work folder through it
	u := &throwawayUser{name: fmt.Sprintf("scrl%d", time.Now().UnixNano()%1_000_000_000), base: base, home: filepath.Join(base, "home")}
	if out, err := exec.Command("useradd", "--no-create-home", "--home-dir", u.home, "--shell", "/bin/sh", "--user-group", u.name).CombinedOutput(); err != nil {
		os.RemoveAll(base)
		t.Fatalf("useradd: %v: %s", err, out)
	}
	t.Cleanup(func() { u.remove(t) })
	uid, gid, err := lookupIDs(u.name)
	if err != nil {
		t.Fatal(err)
	}
	u.uid, u.gid = uid, gid
	// useradd gives a new user a range when /etc/login.defs asks it to; otherwise one is added
	// after every range already given out.
	for _, f := range []string{"/etc/subuid", "/etc/subgid"} {
		if !subIDLine(f, u.name) {
			if err := appendSubIDs(f, u.name); err != nil {
				t.Fatal(err)
			}
		}
	}
	u.dir("home", 0o700)
	return u
}

// dir makes a folder under base owned by the user.
func (u *throwawayUser) dir(name string, mode os.FileMode) string {
	p := filepath.Join(u.base, name)
	os.MkdirAll(p, mode)
	os.Chmod(p, mode)
	os.Chown(p, u.uid, u.gid)
	return p
}

func lookupIDs(name string) (int, int, error) {
	out, err := exec.Command("id", "-u", name).Output()
	if err != nil {
		return 0, 0, fmt.Errorf("id -u %s: %w", name, err)
	}
	uid, _ := strconv.Atoi(strings.TrimSpace(string(out)))
	out, err = exec.Command("id", "-g", name).Output()
	if err != nil {
		return 0, 0, fmt.Errorf("id -g %s: %w", name, err)
	}
	gid, _ := strconv.Atoi(strings.TrimSpace(string(out)))
	return uid, gid, nil
}

func subIDLine(file, name string) bool {
	_, n := subIDRange(file, name)
	return n > 0
}

// appendSubIDs gives name 65536 ids after the highest range in file.
func appendSubIDs(file, name string) error {
	b, _ := os.ReadFile(file)
	next := 100000
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := strings.Split(sc.Text(), ":")
		if len(f) == 3 {
			s, err1 := strconv.Atoi(f[1])
			n, err2 := strconv.Atoi(f[2])
			if err1 == nil && err2 == nil && s+n > next {
				next = s + n
			}
		}
	}
	fh, err := os.OpenFile(file, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer fh.Close()
	_, err = fmt.Fprintf(fh, "%s:%d:65536\n", name, next)
	return err
}

func removeSubIDs(file, name string) {
	b, err := os.ReadFile(file)
	if err != nil {
		return
	}
	var keep []string
	for _, l := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		if !strings.HasPrefix(l, name+":") {
			keep = append(keep, l)
		}
	}
	os.WriteFile(file, []byte(strings.Join(keep, "\n")+"\n"), 0o644)
}

// shareCatalog gives the user a copy of the shared test catalog (STAGECRAFT_TEST_CACHE), so it
// does not build its own: the copy is the user's (its blobs may be 0600 root files in the shared
// one), under its own cache dir. The shared catalog is built here first when it is missing or
// stale (the catalog's lock makes other packages' tests wait for one build). Without
// STAGECRAFT_TEST_CACHE the user builds its own (minutes).
func (u *throwawayUser) shareCatalog(t *testing.T) {
	t.Helper()
	shared := os.Getenv("STAGECRAFT_TEST_CACHE")
	if shared == "" {
		t.Log("no STAGECRAFT_TEST_CACHE: the user builds its own catalog")
		return
	}
	src := filepath.Join(shared, "catalog")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if _, err := catalog.Open(src).Build(ctx, io.Discard); err != nil {
		t.Fatalf("building the shared catalog in %s: %v", src, err)
	}
	store, err := os.Readlink(filepath.Join(src, "current"))
	if err != nil {
		t.Fatalf("the shared catalog in %s: %v", src, err)
	}
	dst := filepath.Join(u.home, ".cache", "stagecraft", "catalog")
	os.MkdirAll(dst, 0o755)
	if out, err := exec.Command("cp", "-r", filepath.Join(src, store), dst).CombinedOutput(); err != nil {
		t.Fatalf("copying the catalog: %v: %s", err, out)
	}
	os.Symlink(store, filepath.Join(dst, "current"))
	if out, err := exec.Command("chown", "-R", "-h", fmt.Sprintf("%d:%d", u.uid, u.gid), filepath.Join(u.home, ".cache")).CombinedOutput(); err != nil {
		t.Fatalf("chown: %v: %s", err, out)
	}
}

// run runs a command as the user, with a login-like environment of its own (no XDG_* variables:
// the runtime dir is /tmp/stagecraft-$UID), and returns its output and exit code.
func (u *throwawayUser) run(t *testing.T, dir string, args ...string) (string, int) {
	t.Helper()
	env := []string{"HOME=" + u.home, "USER=" + u.name, "LOGNAME=" + u.name, "PATH=" + os.Getenv("PATH"), "LANG=C.UTF-8"}
	cmdArgs := append([]string{"-u", u.name, "--", "env", "-i"}, env...)
	cmd := exec.Command("runuser", append(cmdArgs, args...)...)
	cmd.Dir = dir
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("runuser %v: %v", args, err)
	}
	return buf.String(), code
}

func (u *throwawayUser) runtimeDir() string {
	return "/tmp/stagecraft-" + strconv.Itoa(u.uid) // the user's environment has no TMPDIR
}

func (u *throwawayUser) daemonPID(t *testing.T) int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(u.runtimeDir(), "buildkitd.pid"))
	if err != nil {
		t.Fatalf("the managed daemon's pid file: %v", err)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return pid
}

func (u *throwawayUser) daemonLog() string {
	b, _ := os.ReadFile(filepath.Join(u.home, ".cache", "stagecraft", "buildkit", "buildkitd.log"))
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// procs lists the pids of the user's processes, read from /proc: its own uid, or one of its
// subordinate uids (a step's processes in the daemon's user namespace).
func (u *throwawayUser) procs() []int {
	first, n := subIDRange("/etc/subuid", u.name)
	entries, _ := os.ReadDir("/proc")
	var out []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		st, err := os.Stat("/proc/" + e.Name())
		if err != nil {
			continue
		}
		uid := int(st.Sys().(*syscall.Stat_t).Uid)
		if uid == u.uid || (n > 0 && uid >= first && uid < first+n) {
			out = append(out, pid)
		}
	}
	return out
}

func subIDRange(file, name string) (first, n int) {
	b, _ := os.ReadFile(file)
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Split(l, ":")
		if len(f) == 3 && f[0] == name {
			first, _ = strconv.Atoi(f[1])
			n, _ = strconv.Atoi(f[2])
			return first, n
		}
	}
	return 0, 0
}

// remove kills what the user still runs (by pid), deletes the user, its id ranges and files.
func (u *throwawayUser) remove(t *testing.T) {
	if pid, err := os.ReadFile(filepath.Join(u.runtimeDir(), "buildkitd.pid")); err == nil {
		t.Logf("removing the user %s (its daemon was pid %s)", u.name, strings.TrimSpace(string(pid)))
	}
	for range 3 {
		ps := u.procs()
		if len(ps) == 0 {
			break
		}
		for _, pid := range ps {
			syscall.Kill(pid, syscall.SIGKILL)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if out, err := exec.Command("userdel", u.name).CombinedOutput(); err != nil {
		t.Errorf("userdel %s: %v: %s", u.name, err, out)
	}
	removeSubIDs("/etc/subuid", u.name)
	removeSubIDs("/etc/subgid", u.name)
	os.RemoveAll(u.runtimeDir())
	os.RemoveAll(u.base)
}
