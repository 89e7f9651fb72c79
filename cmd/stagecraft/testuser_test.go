package main

// A throwaway user for the rootless tests: created with a subordinate-id range, given files to
// read, run commands as, and removed with its processes and files.

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stagecraft/stagecraft/sandbox/catalog"
)

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
	out := strings.Join(keep, "\n")
	if out != "" {
		out += "\n"
	}
	os.WriteFile(file, []byte(out), 0o644)
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
