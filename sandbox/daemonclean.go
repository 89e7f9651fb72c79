package sandbox

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
)

// A buildkitd that dies (OOM, kill -9, a reboot of its container) leaves its overlay and bind
// mounts under its root, and the cgroups our policies made stay behind. They are cleaned when
// the managed daemon is started again and by `stagecraft daemon stop`, only when no daemon
// answers on our socket: nothing outside our own root is unmounted, and a cgroup is only
// removed when empty (the kernel refuses rmdir of one with processes or children).

// Leftovers is what a cleanup removed.
type Leftovers struct {
	Unmounted []string
	Cgroups   []string
}

// cleanLeftovers unmounts what is mounted under the daemon's root and removes the empty
// stagecraft cgroups (under /sys/fs/cgroup, or d.cgroupRoot in tests). Errors are collected, not fatal: a leftover we cannot
// remove is reported, and the daemon can still start.
func (d *Daemon) cleanLeftovers() (Leftovers, error) {
	var out Leftovers
	var errs []error
	// Unmounting as root under a folder someone else controls would let them choose what we
	// unmount (a link from our root to /): the root must be ours and not itself a link.
	if err := checkOwnDir(d.Root, "daemon root"); err != nil {
		return out, err
	}
	if st, err := os.Lstat(d.Root); err == nil && st.Mode()&os.ModeSymlink != 0 {
		return out, fmt.Errorf("the daemon root %s is a symbolic link; leftovers are not cleaned through links", d.Root)
	}
	mounts, err := mountsUnder(d.Root)
	if err != nil {
		errs = append(errs, err)
	}
	for _, m := range mounts {
		// MNT_DETACH: a mount still busy (an open file) is detached now and freed when idle.
		if err := syscall.Unmount(m, syscall.MNT_DETACH); err != nil && !errors.Is(err, syscall.EINVAL) {
			errs = append(errs, fmt.Errorf("unmounting %s: %w", m, err))
			continue
		}
		out.Unmounted = append(out.Unmounted, m)
	}
	if cg := d.cgroupRoot; cg != "" {
		out.Cgroups = removeEmptyCgroups(cg)
	} else if isRoot() {
		out.Cgroups = removeEmptyCgroups(cgroupRoot)
	}
	return out, errors.Join(errs...)
}

// mountsUnder lists the mount points strictly under root (never root itself or anything beside
// it), deepest first so nested mounts come off before their parents.
func mountsUnder(root string) ([]string, error) {
	real, err := filepath.EvalSymlinks(root)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 5 {
			continue
		}
		mp := unescapeMount(fields[4])
		if strings.HasPrefix(mp, real+"/") {
			out = append(out, mp)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if a, b := strings.Count(out[i], "/"), strings.Count(out[j], "/"); a != b {
			return a > b
		}
		return out[i] > out[j]
	})
	// The same point mounted twice is listed twice: unmount it twice.
	return out, sc.Err()
}

// unescapeMount decodes mountinfo's octal escapes (\040 for a space, …).
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			var v int
			if _, err := fmt.Sscanf(s[i+1:i+4], "%o", &v); err == nil {
				b.WriteByte(byte(v))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// removeEmptyCgroups removes the policy cgroups under the stagecraft folder of each hierarchy
// (cgroup v2: root/stagecraft; v1: root/<controller>/stagecraft), deepest first. A cgroup in use
// is refused by the kernel and kept. The stagecraft folders themselves stay: a build on another
// daemon may be creating its cgroup there right now.
func removeEmptyCgroups(root string) []string {
	tops := []string{filepath.Join(root, "stagecraft")}
	if entries, err := os.ReadDir(root); err == nil {
		for _, e := range entries {
			if e.IsDir() {
				tops = append(tops, filepath.Join(root, e.Name(), "stagecraft"))
			}
		}
	}
	var removed []string
	for _, top := range tops {
		var dirs []string
		_ = filepath.WalkDir(top, func(p string, d os.DirEntry, err error) error {
			if err == nil && d.IsDir() && p != top {
				dirs = append(dirs, p)
			}
			return nil
		})
		sort.Slice(dirs, func(i, j int) bool { return len(dirs[i]) > len(dirs[j]) })
		for _, dir := range dirs {
			if syscall.Rmdir(dir) == nil {
				removed = append(removed, dir)
			}
		}
	}
	return removed
}
