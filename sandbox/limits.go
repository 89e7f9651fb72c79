package sandbox

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// cgroupLimits puts RUN steps under a cgroup with the policy's memory and CPU limits, through
// the Dockerfile frontend's cgroup-parent option. It only works when the daemon runs on this
// host and we are root; otherwise the build runs with the daemon's own limits and the result
// says so.
//
// The cgroup is named after the policy, not the build, and is shared by the builds that run at
// once: BuildKit puts the cgroup parent in the cache key of every RUN, so a per-build name
// would make every build miss the cache.
type cgroupLimits struct {
	parent string   // relative cgroup path given to BuildKit ("stagecraft/m2048-c2000")
	dirs   []string // the memory (and cpu) cgroup directories
	ooms   int      // OOM events seen before the build
}

const cgroupRoot = "/sys/fs/cgroup"

func setupCgroup(p Policy) (*cgroupLimits, string, error) {
	if p.MemoryBytes <= 0 && p.CPUs <= 0 {
		return nil, "no limits set", nil
	}
	rel := filepath.Join("stagecraft", fmt.Sprintf("m%d-c%d", p.MemoryBytes>>20, int64(p.CPUs*1000)))
	cl := &cgroupLimits{parent: rel}
	desc := fmt.Sprintf("memory %s, %.1f CPUs", HumanBytes(p.MemoryBytes), p.CPUs)
	if _, err := os.Stat(filepath.Join(cgroupRoot, "cgroup.controllers")); err == nil {
		// cgroup v2: enable the controllers down the tree, then set the limits.
		if err := os.MkdirAll(filepath.Join(cgroupRoot, "stagecraft"), 0o755); err != nil {
			return nil, "", err
		}
		_ = os.WriteFile(filepath.Join(cgroupRoot, "cgroup.subtree_control"), []byte("+memory +cpu"), 0)
		_ = os.WriteFile(filepath.Join(cgroupRoot, "stagecraft", "cgroup.subtree_control"), []byte("+memory +cpu"), 0)
		dir := filepath.Join(cgroupRoot, rel)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, "", err
		}
		cl.dirs = append(cl.dirs, dir)
		_ = os.WriteFile(filepath.Join(dir, "cgroup.subtree_control"), []byte("+memory +cpu"), 0)
		if p.MemoryBytes > 0 {
			if err := os.WriteFile(filepath.Join(dir, "memory.max"), []byte(strconv.FormatInt(p.MemoryBytes, 10)), 0); err != nil {
				return nil, "", err
			}
			_ = os.WriteFile(filepath.Join(dir, "memory.swap.max"), []byte("0"), 0)
		}
		if p.CPUs > 0 {
			quota := int64(p.CPUs * 100000)
			_ = os.WriteFile(filepath.Join(dir, "cpu.max"), []byte(fmt.Sprintf("%d 100000", quota)), 0)
		}
		cl.ooms = cl.oomCount()
		return cl, desc, nil
	}
	// cgroup v1: one hierarchy per controller; runc creates the same relative path in each.
	memDir := filepath.Join(cgroupRoot, "memory", rel)
	if err := os.MkdirAll(memDir, 0o755); err != nil {
		return nil, "", err
	}
	cl.dirs = append(cl.dirs, memDir)
	if p.MemoryBytes > 0 {
		if err := os.WriteFile(filepath.Join(memDir, "memory.limit_in_bytes"), []byte(strconv.FormatInt(p.MemoryBytes, 10)), 0); err != nil {
			return nil, "", err
		}
		// Without swap accounting this file is absent; the memory limit alone still holds.
		_ = os.WriteFile(filepath.Join(memDir, "memory.memsw.limit_in_bytes"), []byte(strconv.FormatInt(p.MemoryBytes, 10)), 0)
	}
	if p.CPUs > 0 {
		cpuDir := filepath.Join(cgroupRoot, "cpu", rel)
		if err := os.MkdirAll(cpuDir, 0o755); err == nil {
			cl.dirs = append(cl.dirs, cpuDir)
			_ = os.WriteFile(filepath.Join(cpuDir, "cpu.cfs_period_us"), []byte("100000"), 0)
			_ = os.WriteFile(filepath.Join(cpuDir, "cpu.cfs_quota_us"), []byte(strconv.FormatInt(int64(p.CPUs*100000), 10)), 0)
		}
	}
	cl.ooms = cl.oomCount()
	return cl, desc, nil
}

// oomKilled reports whether the memory limit was hit since the cgroup was set up for this
// build (v1 failcnt, v2 oom_kill events). With builds sharing the cgroup, another build's OOM
// at the same moment could be blamed here; the failing step's exit code narrows it down.
func (cl *cgroupLimits) oomKilled() bool {
	return cl != nil && cl.oomCount() > cl.ooms
}

func (cl *cgroupLimits) oomCount() int {
	n := 0
	for _, d := range cl.dirs {
		if b, err := os.ReadFile(filepath.Join(d, "memory.failcnt")); err == nil {
			v, _ := strconv.Atoi(string(trimNL(b)))
			n += v
		}
		if b, err := os.ReadFile(filepath.Join(d, "memory.events")); err == nil {
			for _, line := range splitLines(string(b)) {
				var k string
				var v int
				if _, err := fmt.Sscanf(line, "%s %d", &k, &v); err == nil && k == "oom_kill" {
					n += v
				}
			}
		}
	}
	return n
}

func trimNL(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == ' ') {
		b = b[:len(b)-1]
	}
	return b
}
