package sandbox

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The rootless daemon keeps BuildKit's process sandbox (a step cannot signal the daemon) and
// leaves the steps' network to force-network-mode=none: no flag of ours gives them the host's.
func TestRootlessCommandLine(t *testing.T) {
	d := &Daemon{Root: "/r", Runtime: "/run/u/stagecraft", Binary: "/opt/buildkitd"}
	bin, args := d.rootlessCommand("/run/u/stagecraft/buildkitd.toml")
	if bin != "rootlesskit" {
		t.Errorf("runs %s, want rootlesskit", bin)
	}
	i := slices.Index(args, "/opt/buildkitd")
	if i < 0 {
		t.Fatalf("buildkitd is not in %v", args)
	}
	kit, bk := args[:i], args[i+1:]
	if !slices.Contains(bk, "--rootless") || !slices.Equal(bk[len(bk)-2:], []string{"--config", "/run/u/stagecraft/buildkitd.toml"}) {
		t.Errorf("buildkitd's flags %v, want --rootless and our config", bk)
	}
	for _, a := range bk {
		if strings.HasPrefix(a, "--oci-worker-net") || a == "--oci-worker-no-process-sandbox" {
			t.Errorf("buildkitd gets %s: steps would share the daemon's network or processes", a)
		}
	}
	if !slices.Contains(kit, "--state-dir") || !slices.Contains(kit, "/run/u/stagecraft/rootlesskit") {
		t.Errorf("rootlesskit's state is not in the runtime dir: %v", kit)
	}
	if slices.Contains(kit, "--net=slirp4netns") && !slices.Contains(kit, "--disable-host-loopback") {
		t.Errorf("slirp4netns without --disable-host-loopback: %v", kit)
	}
	env := d.rootlessEnv()
	n := 0
	for _, kv := range env {
		if strings.HasPrefix(kv, "XDG_RUNTIME_DIR=") {
			n++
			if kv != "XDG_RUNTIME_DIR=/run/u/stagecraft" {
				t.Errorf("%s: runc's state must go under the daemon's runtime dir", kv)
			}
		}
	}
	if n != 1 {
		t.Errorf("XDG_RUNTIME_DIR set %d times in %v", n, env)
	}
}

func TestHasSubIDs(t *testing.T) {
	f := filepath.Join(t.TempDir(), "subuid")
	os.WriteFile(f, []byte("alice:100000:65536\n1002:165536:65536\nbob:231072:0\n# carol:1:2\n"), 0o644)
	for _, c := range []struct {
		name string
		uid  int
		want bool
	}{
		{"alice", 1001, true},
		{"dave", 1002, true}, // by uid
		{"bob", 1003, false}, // an empty range
		{"carol", 1004, false},
		{"alic", 1005, false},
	} {
		if got := hasSubIDs(f, c.name, c.uid); got != c.want {
			t.Errorf("hasSubIDs(%s, %d) = %v, want %v", c.name, c.uid, got, c.want)
		}
	}
	if hasSubIDs(filepath.Join(t.TempDir(), "none"), "alice", 1001) {
		t.Error("a missing file gives no range")
	}
}

// Builds say which limits apply: as root the cgroup ones, rootless the reason they cannot.
func TestManagedLimitsSayWhy(t *testing.T) {
	info := ManagedLimits()
	if isRoot() {
		if info.Rootless || len(info.Missing) != 0 {
			t.Errorf("as root: %+v, want every limit applied", info)
		}
		return
	}
	if !info.Rootless || info.Why == "" || !strings.Contains(strings.Join(info.Missing, ", "), "memory") {
		t.Errorf("rootless: %+v, want the missing limits and why", info)
	}
	if s := rootlessLimits(Policy{DiskBytes: 2 << 30}); !strings.Contains(s, "no file over 2.0 GiB") {
		t.Errorf("rootless limits line %q does not keep the fsize cap", s)
	}
}
