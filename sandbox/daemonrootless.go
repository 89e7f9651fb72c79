package sandbox

import (
	"bufio"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
)

// Run by a user other than root, the managed buildkitd runs rootless: rootlesskit gives it a
// user namespace (the user is root inside, their /etc/subuid range maps the other ids) and
// buildkitd runs with --rootless. RUN steps still get a network namespace of their own with
// only a loopback (force-network-mode=none), so a step reaches nothing, the host's 127.0.0.1
// included. The daemon itself gets a network namespace of its own through slirp4netns, with the
// host's loopback cut off, when /dev/net/tun is open to the user; otherwise it shares the
// host's network (it only fetches images; what a Dockerfile may fetch is checked before the
// daemon sees it).

// rootlessNet is how the rootless daemon's own network is set up: rootlesskit's flags and a
// phrase for doctor.
func rootlessNet() (args []string, desc string) {
	if _, err := exec.LookPath("slirp4netns"); err == nil {
		if f, err := os.OpenFile("/dev/net/tun", os.O_RDWR, 0); err == nil {
			f.Close()
			return []string{"--net=slirp4netns", "--disable-host-loopback"}, "its own network namespace (slirp4netns), no access to the host's loopback"
		}
		return []string{"--net=host"}, "the host's network (/dev/net/tun is not open to this user, so slirp4netns cannot isolate it)"
	}
	return []string{"--net=host"}, "the host's network (install slirp4netns to give it its own)"
}

// rootlessCommand is the command line that starts buildkitd rootless with cfg.
func (d *Daemon) rootlessCommand(cfg string) (string, []string) {
	net, _ := rootlessNet()
	args := append(net, "--copy-up=/etc", "--state-dir", d.rootlesskitState(), d.Binary, "--rootless", "--config", cfg)
	return "rootlesskit", args
}

// rootlesskitState is rootlesskit's own folder (its pid files and API socket), in the runtime
// dir rather than a temp folder of its choosing, so a dead daemon's is found and removed.
func (d *Daemon) rootlesskitState() string { return filepath.Join(d.Runtime, "rootlesskit") }

// rootlessEnv is the environment of the rootless daemon: runc keeps the state of the steps it
// runs under $XDG_RUNTIME_DIR (otherwise /run/runc, which only root may write).
func (d *Daemon) rootlessEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "XDG_RUNTIME_DIR=") {
			env = append(env, kv)
		}
	}
	return append(env, "XDG_RUNTIME_DIR="+d.Runtime)
}

// rootlessPrereqs lists what the rootless daemon needs and this machine lacks, with the fixes.
func rootlessPrereqs() (missing, fixes []string) {
	var pkgs []string
	if _, err := exec.LookPath("rootlesskit"); err != nil {
		missing = append(missing, "rootlesskit")
		pkgs = append(pkgs, "rootlesskit")
	}
	if _, err := exec.LookPath("newuidmap"); err != nil {
		missing = append(missing, "newuidmap (uidmap)")
		pkgs = append(pkgs, "uidmap")
	}
	if len(pkgs) > 0 {
		fixes = append(fixes, "  sudo apt-get install -y "+strings.Join(pkgs, " ")+"   # an administrator installs these once")
	}
	name := currentUser()
	for _, f := range []string{"/etc/subuid", "/etc/subgid"} {
		if !hasSubIDs(f, name, os.Getuid()) {
			missing = append(missing, "a range of subordinate ids for "+name+" in "+f)
			fixes = append(fixes, "  sudo usermod --add-subuids 100000-165535 --add-subgids 100000-165535 "+name+"   # any free range of 65536 ids")
			break
		}
	}
	if why := usernsBlocked(); why != "" {
		missing = append(missing, "user namespaces ("+why+")")
		fixes = append(fixes, "  "+usernsFix(why))
	}
	return missing, fixes
}

func currentUser() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return strconv.Itoa(os.Getuid())
}

// hasSubIDs reports whether the subordinate-id file gives name (or uid) a range.
func hasSubIDs(file, name string, uid int) bool {
	f, err := os.Open(file)
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Split(strings.TrimSpace(sc.Text()), ":")
		if len(fields) == 3 && (fields[0] == name || fields[0] == strconv.Itoa(uid)) {
			if n, err := strconv.Atoi(fields[2]); err == nil && n > 0 {
				return true
			}
		}
	}
	return false
}

// usernsBlocked says why this kernel refuses unprivileged user namespaces, "" when it allows them.
func usernsBlocked() string {
	read := func(p string) (int, bool) {
		b, err := os.ReadFile(p)
		if err != nil {
			return 0, false
		}
		n, err := strconv.Atoi(strings.TrimSpace(string(b)))
		return n, err == nil
	}
	if n, ok := read("/proc/sys/user/max_user_namespaces"); ok && n == 0 {
		return "user.max_user_namespaces is 0"
	}
	if n, ok := read("/proc/sys/kernel/unprivileged_userns_clone"); ok && n == 0 {
		return "kernel.unprivileged_userns_clone is 0"
	}
	if n, ok := read("/proc/sys/kernel/apparmor_restrict_unprivileged_userns"); ok && n == 1 {
		return "kernel.apparmor_restrict_unprivileged_userns is 1"
	}
	return ""
}

func usernsFix(why string) string {
	switch {
	case strings.HasPrefix(why, "user.max_user_namespaces"):
		return "sudo sysctl -w user.max_user_namespaces=15000"
	case strings.HasPrefix(why, "kernel.unprivileged_userns_clone"):
		return "sudo sysctl -w kernel.unprivileged_userns_clone=1"
	}
	return "sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0"
}

// LimitsInfo says which of the sandbox's limits a build on the managed daemon gets on this
// machine, and why the others cannot be applied.
type LimitsInfo struct {
	Rootless bool     `json:"rootless"`
	Applied  []string `json:"applied"`
	Missing  []string `json:"missing,omitempty"`
	Why      string   `json:"why,omitempty"`
	Network  string   `json:"daemon_network,omitempty"`
}

// alwaysApplied are the limits that need no cgroup: they hold for any local daemon.
var alwaysApplied = []string{"no network in RUN", "time (--timeout)", "instruction cap (--max-instructions)",
	"file size per step (--disk, fsize ulimit)", "Dockerfile and context caps, read without following links"}

// ManagedLimits describes the limits of builds on the managed daemon run by this user.
func ManagedLimits() LimitsInfo {
	if isRoot() {
		return LimitsInfo{Applied: append(append([]string{}, alwaysApplied...),
			"memory, CPU and processes per tenant (cgroup)", "disk written per RUN step (--disk, watched)")}
	}
	_, net := rootlessNet()
	info := LimitsInfo{Rootless: true, Applied: alwaysApplied, Network: net,
		Missing: []string{"memory (--memory)", "CPU (--cpus)", "processes (--pids)", "disk written per RUN step (--disk watch; the fsize cap still holds)"}}
	if _, err := os.Stat(filepath.Join(cgroupRoot, "cgroup.controllers")); err == nil {
		info.Why = "rootless daemon: stagecraft does not use a delegated cgroup v2 subtree, so it creates no per-tenant cgroup"
	} else {
		info.Why = "rootless daemon on cgroup v1: a user other than root cannot create cgroups"
	}
	return info
}

// rootlessLimits is what a build on the rootless managed daemon says about its limits.
func rootlessLimits(p Policy) string {
	info := ManagedLimits()
	s := "daemon defaults for memory, CPU and processes (" + info.Why + ")"
	if p.DiskBytes > 0 {
		s += "; no file over " + HumanBytes(p.DiskBytes)
	}
	return s
}
