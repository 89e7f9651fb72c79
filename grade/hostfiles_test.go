package grade

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stagecraft/stagecraft/sandbox"
)

// TestLoadRefusesLinksOut: a student's Dockerfile that links to a host file, or is a pipe, or a
// student folder that links elsewhere, is that student's ungradable submission, named as the
// student gave it; nothing behind the link is read, and the others load as usual.
func TestLoadRefusesLinksOut(t *testing.T) {
	host := t.TempDir()
	secret := "HOST-SECRET-51d0"
	shadow := filepath.Join(host, "shadow")
	os.WriteFile(shadow, []byte("root:"+secret+":1:0:::\n"), 0o600)

	class := filepath.Join(t.TempDir(), "submissions")
	for _, id := range []string{"alice", "bob", "cy"} {
		os.MkdirAll(filepath.Join(class, id), 0o755)
	}
	if err := os.Symlink(shadow, filepath.Join(class, "alice", DockerfileName)); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(class, "bob", DockerfileName), []byte("FROM busybox\n"), 0o644)
	// bob's own files: a pipe (never opened, or Load would block) and a link out (hashed by
	// its target's name, never read).
	if err := syscall.Mkfifo(filepath.Join(class, "bob", "pipe"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Symlink(shadow, filepath.Join(class, "bob", "notes.txt"))
	if err := syscall.Mkfifo(filepath.Join(class, "cy", DockerfileName), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Symlink(host, filepath.Join(class, "dee"))

	c, err := Load(class, "")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"alice": "submissions/alice/Dockerfile is a symbolic link; the grader reads regular files only",
		"bob":   "",
		"cy":    "submissions/cy/Dockerfile is a named pipe; the grader reads regular files only",
		"dee":   "submissions/dee is a symbolic link; the grader reads the student's own folders only",
	}
	if len(c.Students) != len(want) {
		t.Fatalf("%d students, want %d: %+v", len(c.Students), len(want), c.Students)
	}
	for _, s := range c.Students {
		if s.Missing != want[s.ID] {
			t.Errorf("%s: missing %q, want %q", s.ID, s.Missing, want[s.ID])
		}
		js, _ := json.Marshal(s)
		if strings.Contains(string(js)+string(s.Dockerfile)+s.Missing, secret) {
			t.Errorf("%s: the host file's content was read: %s", s.ID, js)
		}
	}
	if bob := c.Students[1]; bob.Hash == "" || string(bob.Dockerfile) != "FROM busybox\n" {
		t.Errorf("bob: hash %q, Dockerfile %q", bob.Hash, bob.Dockerfile)
	}
}

// TestOverlayCopiesLinksAsLinks: the build context of a student with a link out holds the link
// itself, never the host file's content, and a file swapped for a link is refused by name.
func TestOverlayCopiesLinksAsLinks(t *testing.T) {
	host := t.TempDir()
	secret := "HOST-SECRET-9e21"
	shadow := filepath.Join(host, "shadow")
	os.WriteFile(shadow, []byte(secret), 0o600)
	dir := filepath.Join(t.TempDir(), "alice")
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, DockerfileName), []byte("FROM busybox\n"), 0o644)
	os.Symlink(shadow, filepath.Join(dir, "greeting.txt"))
	st := &Student{ID: "alice", Dir: dir}
	ctxDir, cleanup, err := overlay("", st, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	defer cleanup()
	fi, err := os.Lstat(filepath.Join(ctxDir, "greeting.txt"))
	if err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("greeting.txt in the context: %v, %v; want a link", fi, err)
	}

	// copyFile on a path that is a link (as if swapped in after the walk) refuses it.
	_, err = copyFile(filepath.Join(dir, "greeting.txt"), "alice/greeting.txt", filepath.Join(t.TempDir(), "out"), 0)
	var fe *sandbox.FileRefusedError
	if !errors.As(err, &fe) || err.Error() != "alice/greeting.txt is a symbolic link; the grader reads regular files only" {
		t.Errorf("copyFile of a link: %v", err)
	}
}

// TestReadRosterRefusesLink: a roster that is a link is refused, not followed.
func TestReadRosterRefusesLink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.csv")
	os.WriteFile(real, []byte("id,name\nann,Ann\n"), 0o644)
	link := filepath.Join(dir, "roster.csv")
	os.Symlink(real, link)
	_, err := ReadRoster(link)
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "is a symbolic link") {
		t.Errorf("ReadRoster(link): %v", err)
	}
}
