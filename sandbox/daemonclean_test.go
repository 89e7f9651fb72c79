package sandbox

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// TestDaemonStopCleansLeftovers: after a daemon died, Stop unmounts what is still mounted under
// its root (nested mounts included) and nothing beside it, and removes the empty stagecraft
// cgroups, keeping one in use (here: not empty) and the stagecraft folder itself. The cgroups
// are a fake tree: the host's are shared with builds running on other daemons.
func TestDaemonStopCleansLeftovers(t *testing.T) {
	needRoot(t)
	d, dir := testDaemon(t)
	snap := filepath.Join(d.Root, "runc-overlayfs", "snapshots", "snapshots", "7", "fs")
	nested := filepath.Join(snap, "proc")
	outside := filepath.Join(dir, "outside")
	mount := func(p string) {
		t.Helper()
		os.MkdirAll(p, 0o700)
		if err := syscall.Mount("tmpfs", p, "tmpfs", 0, "size=1m"); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("mount %s: %v", p, err)
			}
			t.Skipf("cannot mount a tmpfs here (%v)", err)
		}
	}
	mount(snap)
	mount(nested)
	mount(outside)
	t.Cleanup(func() {
		for _, p := range []string{nested, snap, outside} {
			syscall.Unmount(p, syscall.MNT_DETACH)
		}
	})
	// A mount point whose name has a space is escaped in mountinfo.
	spaced := filepath.Join(d.Root, "with space")
	mount(spaced)

	idle := filepath.Join(d.cgroupRoot, "memory", "stagecraft", "m2048-c2000")
	busy := filepath.Join(d.cgroupRoot, "cpu", "stagecraft", "m2048-c2000")
	v2 := filepath.Join(d.cgroupRoot, "stagecraft", "m512-c1000")
	for _, p := range []string{idle, busy, v2} {
		os.MkdirAll(p, 0o755)
	}
	os.WriteFile(filepath.Join(busy, "cgroup.procs"), []byte("4242\n"), 0o644)

	before, err := mountsUnder(d.Root)
	if err != nil || len(before) != 3 {
		t.Fatalf("mounts under the root before: %v, %v; want 3", before, err)
	}
	if stopped, err := d.Stop(); stopped || err != nil {
		t.Fatalf("Stop() = %v, %v; want false (nothing ran), nil", stopped, err)
	}
	if after, _ := mountsUnder(d.Root); len(after) != 0 {
		t.Errorf("still mounted under the root: %v", after)
	}
	if mounted, _ := mountsUnder(dir); !slices.Contains(mounted, outside) {
		t.Errorf("the mount beside the root was removed: %v", mounted)
	}
	for p, want := range map[string]bool{idle: false, v2: false, busy: true, filepath.Dir(idle): true, filepath.Dir(v2): true} {
		if _, err := os.Stat(p); (err == nil) != want {
			t.Errorf("%s: exists %v, want %v", p, err == nil, want)
		}
	}
}

// TestDaemonCleanupRefusesLinkedRoot: a daemon root that is a link (say, to /) is not cleaned:
// what is mounted where it leads stays mounted.
func TestDaemonCleanupRefusesLinkedRoot(t *testing.T) {
	needRoot(t)
	d, dir := testDaemon(t)
	elsewhere := filepath.Join(dir, "elsewhere")
	mnt := filepath.Join(elsewhere, "mnt")
	os.MkdirAll(mnt, 0o700)
	if err := syscall.Mount("tmpfs", mnt, "tmpfs", 0, "size=1m"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("mount %s: %v", mnt, err)
		}
		t.Skipf("cannot mount a tmpfs here (%v)", err)
	}
	t.Cleanup(func() { syscall.Unmount(mnt, syscall.MNT_DETACH) })
	os.RemoveAll(d.Root)
	os.Symlink(elsewhere, d.Root)
	if _, err := d.Stop(); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("Stop() with a linked root: %v; want a refusal", err)
	}
	if mounted, _ := mountsUnder(elsewhere); !slices.Contains(mounted, mnt) {
		t.Errorf("the mount behind the link was removed: %v", mounted)
	}
}
