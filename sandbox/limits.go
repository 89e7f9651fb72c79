package sandbox

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// cgroupLimits puts RUN steps under a cgroup with the policy's memory, CPU and pids limits,
// through the Dockerfile frontend's cgroup-parent option. It only works when the daemon runs on
// this host and we are root; otherwise the build runs with the daemon's own limits and the
// result says so.
//
// The cgroup is named after the tenant and the policy, not the build: BuildKit puts the cgroup
// parent in the cache key of every RUN, so a per-build name would make every build miss the
// cache, while a per-tenant name keeps one learner's (or student's) re-checks warm and keeps
// one submission's memory, CPU and processes from failing another's.
type cgroupLimits struct {
	parent  string // relative cgroup path given to BuildKit ("stagecraft/alice-1f2e…-m2048-c1000-p512")
	v2      bool
	dir     string // v2: the one directory
	mem     string // v1: one directory per hierarchy ("" when absent)
	pids    string
	cpu     string
	frz     string
	ooms    int            // OOM kills seen before the build
	memHit  int            // times the memory limit was hit before the build
	pidBase map[string]int // refused forks per cgroup below the tenant's, before the build
}

const cgroupRoot = "/sys/fs/cgroup"

// DefaultTenant owns builds that name no tenant: the learner at this terminal.
const DefaultTenant = "default"

// tenantName turns any tenant string into a cgroup directory name: a readable, sanitised prefix
// and a hash of the whole string, so "a/b" and "a_b" never share a cgroup.
func tenantName(t string) string {
	if t == "" {
		t = DefaultTenant
	}
	var b strings.Builder
	for _, r := range strings.ToLower(t) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
		if b.Len() >= 24 {
			break
		}
	}
	sum := sha256.Sum256([]byte(t))
	return strings.Trim(b.String(), "-") + "-" + hex.EncodeToString(sum[:])[:10]
}

// cgroupUsers counts the builds of this process using each cgroup, so the last one out removes
// a tenant's cgroup and a class of hundreds does not leave hundreds behind. The default
// tenant's cgroup is kept: another stagecraft process (the TUI and a check) may share it, and
// runc would recreate a removed parent without limits.
var cgroupUsers = struct {
	sync.Mutex
	n map[string]int
}{n: map[string]int{}}

func setupCgroup(p Policy, tenant string) (*cgroupLimits, string, error) {
	if p.MemoryBytes <= 0 && p.CPUs <= 0 && p.Pids <= 0 {
		return nil, "no limits set", nil
	}
	if !isRoot() {
		// The rootless managed daemon: no cgroup of ours to put the tenant's steps in.
		return nil, rootlessLimits(p), nil
	}
	name := fmt.Sprintf("%s-m%d-c%d-p%d", tenantName(tenant), p.MemoryBytes>>20, int64(p.CPUs*1000), p.Pids)
	rel := filepath.Join("stagecraft", name)
	cl := &cgroupLimits{parent: rel}
	desc := fmt.Sprintf("memory %s, %.1f CPUs, %d processes", HumanBytes(p.MemoryBytes), p.CPUs, p.Pids)
	cgroupUsers.Lock()
	defer cgroupUsers.Unlock()
	var err error
	if _, serr := os.Stat(filepath.Join(cgroupRoot, "cgroup.controllers")); serr == nil {
		err = cl.setupV2(p)
	} else {
		err = cl.setupV1(p)
	}
	if err != nil {
		return nil, "", err
	}
	if cgroupUsers.n[rel] == 0 {
		cl.resetPeak() // not under a build of the same tenant that is still running
	}
	cgroupUsers.n[rel]++
	cl.ooms, cl.memHit, cl.pidBase = cl.oomCount(), cl.memHits(), cl.pidsHits()
	return cl, desc, nil
}

func (cl *cgroupLimits) setupV2(p Policy) error {
	const ctrl = "+memory +cpu +pids"
	cl.v2 = true
	if err := os.MkdirAll(filepath.Join(cgroupRoot, "stagecraft"), 0o755); err != nil {
		return err
	}
	_ = os.WriteFile(filepath.Join(cgroupRoot, "cgroup.subtree_control"), []byte(ctrl), 0)
	_ = os.WriteFile(filepath.Join(cgroupRoot, "stagecraft", "cgroup.subtree_control"), []byte(ctrl), 0)
	// Every build together weighs half of an ordinary process group, so the host stays
	// responsive when builds compete with it for the CPU.
	_ = os.WriteFile(filepath.Join(cgroupRoot, "stagecraft", "cpu.weight"), []byte("50"), 0)
	cl.dir = filepath.Join(cgroupRoot, cl.parent)
	if err := os.MkdirAll(cl.dir, 0o755); err != nil {
		return err
	}
	_ = os.WriteFile(filepath.Join(cl.dir, "cgroup.subtree_control"), []byte(ctrl), 0)
	if p.MemoryBytes > 0 {
		if err := writeInt(cl.dir, "memory.max", p.MemoryBytes); err != nil {
			return err
		}
		_ = os.WriteFile(filepath.Join(cl.dir, "memory.swap.max"), []byte("0"), 0)
	}
	if p.CPUs > 0 {
		_ = os.WriteFile(filepath.Join(cl.dir, "cpu.max"), []byte(fmt.Sprintf("%d 100000", int64(p.CPUs*100000))), 0)
	}
	if p.Pids > 0 {
		if err := writeInt(cl.dir, "pids.max", p.Pids); err != nil {
			return err
		}
	}
	return nil
}

// setupV1 creates the cgroup in each hierarchy; runc puts the step's processes in the same
// relative path in every one of them.
func (cl *cgroupLimits) setupV1(p Policy) error {
	mk := func(hier string) string {
		d := filepath.Join(cgroupRoot, hier, cl.parent)
		if _, err := os.Stat(filepath.Join(cgroupRoot, hier)); err != nil {
			return ""
		}
		if err := os.MkdirAll(d, 0o755); err != nil {
			return ""
		}
		return d
	}
	cl.mem, cl.pids, cl.cpu, cl.frz = mk("memory"), mk("pids"), mk("cpu"), mk("freezer")
	if cl.mem == "" {
		return fmt.Errorf("cannot create %s in the memory cgroup hierarchy", cl.parent)
	}
	if p.MemoryBytes > 0 {
		if err := writeInt(cl.mem, "memory.limit_in_bytes", p.MemoryBytes); err != nil {
			return err
		}
		// Without swap accounting this file is absent; the memory limit alone still holds.
		_ = writeInt(cl.mem, "memory.memsw.limit_in_bytes", p.MemoryBytes)
	}
	if p.CPUs > 0 && cl.cpu != "" {
		_ = writeInt(cl.cpu, "cpu.cfs_period_us", 100000)
		_ = writeInt(cl.cpu, "cpu.cfs_quota_us", int64(p.CPUs*100000))
		// See setupV2: all builds together yield to the rest of the host.
		_ = writeInt(filepath.Dir(cl.cpu), "cpu.shares", 512)
	}
	if p.Pids > 0 {
		if cl.pids == "" {
			return fmt.Errorf("no pids cgroup hierarchy: cannot limit the number of processes")
		}
		if err := writeInt(cl.pids, "pids.max", p.Pids); err != nil {
			return err
		}
	}
	return nil
}

func writeInt(dir, file string, v int64) error {
	return os.WriteFile(filepath.Join(dir, file), []byte(strconv.FormatInt(v, 10)), 0)
}

// release removes a student's cgroup when the last build of this process using it ends. A
// cgroup still holding a process (or a child) is busy and stays; that is harmless.
func (cl *cgroupLimits) release() {
	if cl == nil {
		return
	}
	cgroupUsers.Lock()
	defer cgroupUsers.Unlock()
	cgroupUsers.n[cl.parent]--
	if cgroupUsers.n[cl.parent] > 0 || strings.HasPrefix(filepath.Base(cl.parent), tenantName(DefaultTenant)+"-") {
		return
	}
	delete(cgroupUsers.n, cl.parent)
	for _, d := range cl.dirs() {
		_ = os.Remove(filepath.Join(d, "buildkit")) // runc's intermediate directory
		_ = os.Remove(d)
	}
}

func (cl *cgroupLimits) dirs() []string {
	var out []string
	for _, d := range []string{cl.dir, cl.mem, cl.pids, cl.cpu, cl.frz} {
		if d != "" {
			out = append(out, d)
		}
	}
	return out
}

// oomKilled reports whether the kernel killed a process because this tenant's own memory limit
// was hit since the build started; another tenant's OOM never counts.
func (cl *cgroupLimits) oomKilled() bool {
	return cl != nil && cl.oomCount() > cl.ooms
}

// memLimitHit reports whether this tenant's own memory limit was reached since the build
// started. With a step killed by signal 9 it means the kernel's OOM killer: cgroup v1 counts the
// kill itself in the step's cgroup, which runc has removed by the time the build ends, but it
// counts the failed charge where the limit is, in the tenant's.
func (cl *cgroupLimits) memLimitHit() bool {
	return cl != nil && cl.memHits() > cl.memHit
}

// memHits counts the times the tenant's memory use reached its limit. cgroup v1 keeps no such
// count where the limit is (failcnt stays 0 here when the OOM killer runs), so there it is 1
// when the high-water mark, reset as the build starts, reached the limit.
func (cl *cgroupLimits) memHits() int {
	if cl.v2 {
		return keyed(filepath.Join(cl.dir, "memory.events"), "max")
	}
	limit, peak := readInt(cl.mem, "memory.limit_in_bytes"), readInt(cl.mem, "memory.max_usage_in_bytes")
	if limit > 0 && peak >= limit-64<<10 {
		return 1
	}
	return 0
}

// resetPeak starts the v1 memory high-water mark again from the current use.
func (cl *cgroupLimits) resetPeak() {
	if !cl.v2 && cl.mem != "" {
		_ = os.WriteFile(filepath.Join(cl.mem, "memory.max_usage_in_bytes"), []byte("0"), 0)
	}
}

func readInt(dir, file string) int64 {
	b, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		return 0
	}
	n, _ := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	return n
}

// pidsHit reports whether a fork was refused by this tenant's pids limit since the build
// started: some cgroup of the tenant's counts more refusals than it did then (a step's cgroup
// that is new counts from 0).
func (cl *cgroupLimits) pidsHit() bool {
	if cl == nil {
		return false
	}
	for dir, n := range cl.pidsHits() {
		if n > cl.pidBase[dir] {
			return true
		}
	}
	return false
}

func (cl *cgroupLimits) oomCount() int {
	if cl.v2 {
		return keyed(filepath.Join(cl.dir, "memory.events"), "oom_kill")
	}
	// memory.oom_control's oom_kill counts the tenant's own kills and its children's; failcnt
	// would also count limit hits the kernel resolved by reclaiming cache.
	return keyed(filepath.Join(cl.mem, "memory.oom_control"), "oom_kill")
}

// pidsHits counts the refused forks in each cgroup of the tenant's subtree. cgroup v1 counts a
// refused fork in the cgroup of the process that forked (the step's own, under the tenant's),
// not in the one whose limit refused it, so every cgroup below the tenant's is read; runc
// removes a step's cgroup when the step ends, so the counts are kept per cgroup, not summed.
func (cl *cgroupLimits) pidsHits() map[string]int {
	out := map[string]int{}
	d := cl.pids
	if cl.v2 {
		d = cl.dir
	}
	if d == "" {
		return out
	}
	_ = filepath.WalkDir(d, func(p string, e fs.DirEntry, err error) error {
		if err == nil && e.IsDir() {
			if n := keyed(filepath.Join(p, "pids.events"), "max"); n > 0 {
				out[p] = n
			}
		}
		return nil
	})
	return out
}

// keyed reads one "key value" line of a cgroup file, 0 when absent.
func keyed(path, key string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	for _, line := range splitLines(string(b)) {
		f := strings.Fields(line)
		if len(f) == 2 && f[0] == key {
			v, _ := strconv.Atoi(f[1])
			return v
		}
	}
	return 0
}
