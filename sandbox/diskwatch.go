package sandbox

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// stepWatch watches one build's RUN steps through its tenant's cgroup and kills them when they
// pass a limit the kernel does not enforce for us by killing: the disk a step writes, and a
// fork that the pids limit refused (a fork bomb would otherwise spin against the limit until
// the timeout). It only works on a local daemon, where the cgroup and the step's overlay upper
// directory are visible from here.
type stepWatch struct {
	cl       *cgroupLimits
	diskCap  int64
	every    time.Duration
	stop     chan struct{}
	done     chan struct{}
	mu       sync.Mutex
	reason   string // "disk" or "pids": why the watch killed the step
	diskSeen int64  // the most a step had written when it was last measured
}

func watchSteps(cl *cgroupLimits, diskCap int64) *stepWatch {
	w := &stepWatch{cl: cl, diskCap: diskCap, every: 250 * time.Millisecond,
		stop: make(chan struct{}), done: make(chan struct{})}
	go w.loop()
	return w
}

// end stops the watch and says why it killed a step, if it did.
func (w *stepWatch) end() (reason string, written int64) {
	if w == nil {
		return "", 0
	}
	close(w.stop)
	<-w.done
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.reason, w.diskSeen
}

func (w *stepWatch) loop() {
	defer close(w.done)
	t := time.NewTicker(w.every)
	defer t.Stop()
	for {
		select {
		case <-w.stop:
			return
		case <-t.C:
		}
		reason := ""
		if w.cl.pidsHit() {
			reason = "pids"
		} else if w.diskCap > 0 {
			if n := w.written(); n > w.diskCap {
				reason = "disk"
			}
		}
		if reason != "" {
			w.mu.Lock()
			if w.reason == "" {
				w.reason = reason
			}
			w.mu.Unlock()
			w.cl.killAll()
			// Kill again only if the limit is hit again, not on every tick from now on.
			w.cl.pidBase = w.cl.pidsHits()
		}
	}
}

// written is the most any running step has written to its container's root filesystem: the
// size on disk of the overlay upper directory its processes see as "/".
func (w *stepWatch) written() int64 {
	var most int64
	seen := map[string]bool{}
	for _, pid := range w.cl.leafProcs() {
		up := upperDir(pid)
		if up == "" || seen[up] {
			continue
		}
		seen[up] = true
		most = max(most, diskUsage(up))
	}
	w.mu.Lock()
	w.diskSeen = max(w.diskSeen, most)
	w.mu.Unlock()
	return most
}

// upperDir reads a process's mount table for the upperdir= of the overlay mounted at "/".
func upperDir(pid int) string {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/mountinfo")
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 4<<20) // lowerdir lists of deep images are long
	for sc.Scan() {
		// id parent major:minor root mountpoint options [optional…] - fstype source superoptions
		pre, post, ok := strings.Cut(sc.Text(), " - ")
		if !ok {
			continue
		}
		f := strings.Fields(pre)
		g := strings.Fields(post)
		if len(f) < 5 || f[4] != "/" || len(g) < 3 || g[0] != "overlay" {
			continue
		}
		for _, opt := range strings.Split(g[2], ",") {
			if v, ok := strings.CutPrefix(opt, "upperdir="); ok {
				return v
			}
		}
	}
	return ""
}

// diskUsage is the space the files under dir take on disk (sparse files count what they use).
func diskUsage(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if info, err := d.Info(); err == nil {
			if st, ok := info.Sys().(*syscall.Stat_t); ok {
				n += st.Blocks * 512
			}
		}
		return nil
	})
	return n
}

// procDir is the cgroup directory whose subtree holds every process of the tenant's steps.
func (cl *cgroupLimits) procDir() string {
	switch {
	case cl.v2:
		return cl.dir
	case cl.pids != "":
		return cl.pids
	}
	return cl.mem
}

// leafProcs lists one process per step container (all of a container's processes share its
// mounts), found in the cgroups runc creates under the tenant's.
func (cl *cgroupLimits) leafProcs() []int {
	var out []int
	_ = filepath.WalkDir(cl.procDir(), func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		if ps := readProcs(filepath.Join(p, "cgroup.procs")); len(ps) > 0 {
			out = append(out, ps[0])
		}
		return nil
	})
	return out
}

// procs lists every process in the tenant's cgroup subtree.
func (cl *cgroupLimits) procs() []int {
	var out []int
	_ = filepath.WalkDir(cl.procDir(), func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			out = append(out, readProcs(filepath.Join(p, "cgroup.procs"))...)
		}
		return nil
	})
	return out
}

func readProcs(path string) []int {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var out []int
	for _, l := range strings.Fields(string(b)) {
		if pid, err := strconv.Atoi(l); err == nil {
			out = append(out, pid)
		}
	}
	return out
}

// killAll kills every process of the tenant's steps. The cgroup is frozen first so a fork bomb
// cannot fork faster than it is killed; the RUN then fails (signal 9) and BuildKit reports it.
func (cl *cgroupLimits) killAll() {
	if cl.v2 {
		if os.WriteFile(filepath.Join(cl.dir, "cgroup.kill"), []byte("1"), 0) == nil {
			return
		}
	}
	frozen := cl.frz != "" && os.WriteFile(filepath.Join(cl.frz, "freezer.state"), []byte("FROZEN"), 0) == nil
	if cl.v2 {
		frozen = os.WriteFile(filepath.Join(cl.dir, "cgroup.freeze"), []byte("1"), 0) == nil
	}
	for range 20 {
		ps := cl.procs()
		if len(ps) == 0 {
			break
		}
		for _, pid := range ps {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		if frozen {
			break // nothing forks while frozen: one pass reaches everyone
		}
		time.Sleep(10 * time.Millisecond)
	}
	if frozen {
		if cl.v2 {
			_ = os.WriteFile(filepath.Join(cl.dir, "cgroup.freeze"), []byte("0"), 0)
		} else {
			_ = os.WriteFile(filepath.Join(cl.frz, "freezer.state"), []byte("THAWED"), 0)
		}
	}
}

// drained waits up to d for the tenant's steps to have no process left.
func (cl *cgroupLimits) drained(d time.Duration) bool {
	deadline := time.Now().Add(d)
	for {
		if len(cl.procs()) == 0 {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(100 * time.Millisecond)
	}
}
