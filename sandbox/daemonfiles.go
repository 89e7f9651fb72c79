package sandbox

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// The managed daemon runs as root and keeps its socket, config, pid file and log in folders we
// name from the environment (XDG_RUNTIME_DIR, the user cache dir). As root, a folder another
// user can write to would let them point our writes at any file (a link where the log goes) or
// make us signal any process (a pid file naming it). So, as root, the folders must be ours and
// not writable by others, files are created without following links, and a pid is signalled
// only when it is the buildkitd we started.

// ownedDirFix is what to do about a folder another user controls.
const ownedDirFix = `Run stagecraft as root with root's own folders (sudo -H stagecraft …, or sudo -i), not with a user's
HOME or XDG_* variables; or point it at root-owned folders:
  XDG_RUNTIME_DIR=/run/user/0 XDG_CACHE_HOME=/root/.cache stagecraft …`

// userDirFix is the same for a user other than root.
const userDirFix = `The managed daemon keeps its socket and state in folders only you can change. Point it at such
folders (created 0700 when missing):
  XDG_RUNTIME_DIR=/run/user/$(id -u) XDG_CACHE_HOME=$HOME/.cache stagecraft …`

// checkOwnDir makes sure dir and every folder above it can only be changed by us (or root): a
// folder owned by another user, or writable by group or others without the sticky bit (/tmp is
// fine), is refused. Links along the way are resolved first, then the real path is checked.
// Folders that do not exist yet are skipped (MkdirAll creates them, 0700, as ours). A user other
// than root gets the same check: the rootless daemon's runtime dir may be /tmp/stagecraft-$UID,
// which another user could have made first.
func checkOwnDir(dir, what string) error {
	return checkDirOwner(dir, what, os.Geteuid())
}

func checkDirOwner(dir, what string, uid int) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	// Walk up to the first folder that exists; its real path is what counts.
	p := abs
	for {
		if _, err := os.Lstat(p); err == nil {
			break
		}
		parent := filepath.Dir(p)
		if parent == p {
			return nil
		}
		p = parent
	}
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		return &EnvError{What: "cannot resolve the " + what + " " + dir, Err: err}
	}
	// Both the path as named (whoever can change a folder on it can re-point a link there) and
	// where it leads.
	for _, start := range []string{p, real} {
		for q := start; ; q = filepath.Dir(q) {
			if err := checkOwnEntry(q, dir, what, uid); err != nil {
				return err
			}
			if q == filepath.Dir(q) {
				break
			}
		}
	}
	return nil
}

func checkOwnEntry(q, dir, what string, uid int) error {
	st, err := os.Lstat(q)
	if err != nil {
		return &EnvError{What: "cannot check the " + what + " " + dir, Err: err}
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	owner := int(sys.Uid)
	fix := ownedDirFix
	if uid != 0 {
		fix = userDirFix
	}
	switch {
	case owner != uid && owner != 0:
		return &EnvError{What: fmt.Sprintf("refusing the %s %s: %s is owned by uid %d, not by us (uid %d)", what, dir, q, owner, uid), Fix: fix}
	case st.Mode()&fs.ModeSymlink != 0:
		return nil // a link's own mode is always 0777; its owner and folder are what count
	case st.Mode().Perm()&0o022 != 0 && st.Mode()&fs.ModeSticky == 0:
		return &EnvError{What: fmt.Sprintf("refusing the %s %s: %s is writable by group or others (mode %o)", what, dir, q, st.Mode().Perm()),
			Fix: "chmod go-w " + q + "\n" + fix}
	}
	return nil
}

// ownDir creates dir (0700) if needed and checks it and its parents are ours.
func ownDir(dir, what string) error {
	if err := checkOwnDir(dir, what); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return &EnvError{What: "cannot create the " + what + " " + dir, Err: err}
	}
	return checkOwnDir(dir, what)
}

// writeFileAtomic writes a file through a new temp file in the same folder renamed over it: a
// link at path is replaced, never followed, and readers never see half a file.
func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(perm)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// openNoFollow opens (creating) a file we own for appending or locking, refusing a link there.
func openNoFollow(path string, flag int) (*os.File, error) {
	f, err := os.OpenFile(path, flag|os.O_CREATE|syscall.O_NOFOLLOW|syscall.O_CLOEXEC, 0o600)
	if errors.Is(err, syscall.ELOOP) {
		return nil, fmt.Errorf("%s is a symbolic link; stagecraft does not write through links", path)
	}
	if err != nil {
		return nil, err
	}
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	return f, nil
}

// configFile is where the managed daemon's config is written.
func (d *Daemon) configFile() string { return filepath.Join(d.Runtime, "buildkitd.toml") }

// isOurDaemon reports whether pid is the managed buildkitd: its executable is the buildkitd we
// start (or rootlesskit, which starts it when we are not root) and its command line has our
// config file. A stale pid file can name any process once the pid is reused; it is not signalled.
func (d *Daemon) isOurDaemon(pid int) bool {
	exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
	if err != nil {
		return false
	}
	exe = strings.TrimSuffix(exe, " (deleted)") // buildkitd upgraded while it ran
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		return false
	}
	args := bytes.Split(bytes.TrimRight(cmdline, "\x00"), []byte{0})
	hasConfig := false
	for i := 0; i+1 < len(args); i++ {
		if string(args[i]) == "--config" && string(args[i+1]) == d.configFile() {
			hasConfig = true
		}
	}
	if !hasConfig {
		return false
	}
	bin := d.Binary
	if bin == "" {
		bin = FindBuildkitd()
	}
	want := []string{bin}
	if !isRoot() {
		if p, err := exec.LookPath("rootlesskit"); err == nil {
			want = append(want, p)
		}
	}
	for _, w := range want {
		if w == "" {
			continue
		}
		if real, err := filepath.EvalSymlinks(w); err == nil && real == exe {
			return true
		}
	}
	return false
}

// readPID reads the pid file, which must be a regular file.
func (d *Daemon) readPID() int {
	b, _, err := ReadRegular(d.pidFile(), d.pidFile(), 64)
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return pid
}
