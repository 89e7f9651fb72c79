package progress

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stagecraft/stagecraft/progress/srs"
)

// makeUnwritable takes write permission away from a file or folder and gives it back when the
// test ends. Permissions bind an ordinary user; root ignores them, so as root the file is made
// immutable instead (chattr +i). Where neither works the test is skipped: it could not fail.
func makeUnwritable(t *testing.T, path string) {
	t.Helper()
	fi, err := os.Stat(path)
	mustNil(t, err)
	mode := fi.Mode().Perm()
	mustNil(t, os.Chmod(path, mode&^0o222))
	t.Cleanup(func() { os.Chmod(path, mode) })
	if !writable(path, fi.IsDir()) {
		return
	}
	if out, err := exec.Command("chattr", "+i", path).CombinedOutput(); err != nil {
		t.Skipf("cannot make %s unwritable here (running as root, chattr: %v %s)", path, err, out)
	}
	t.Cleanup(func() { exec.Command("chattr", "-i", path).Run() })
	if writable(path, fi.IsDir()) {
		t.Skipf("cannot make %s unwritable here", path)
	}
}

// writable tries what SQLite would: open the file for writing, or create a file in the folder.
func writable(path string, dir bool) bool {
	if dir {
		f, err := os.CreateTemp(path, "probe")
		if err != nil {
			return false
		}
		f.Close()
		os.Remove(f.Name())
		return true
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return false
	}
	f.Close()
	return true
}

// refusedReadOnly opens path and expects the ReadOnly refusal with a message that says where and
// what to do.
func refusedReadOnly(t *testing.T, path string) {
	t.Helper()
	s, err := Open(context.Background(), path, Options{})
	if err == nil {
		s.Close()
		t.Fatal("Open accepted a store it cannot write: answers would be lost")
	}
	var ue *UnusableError
	if !errors.As(err, &ue) || !errors.Is(err, ErrUnusable) || ue.Reason != ReadOnly {
		t.Fatalf("Open: %T %v, want a ReadOnly *UnusableError", err, err)
	}
	msg := err.Error()
	t.Logf("refusal: %s", msg)
	for _, want := range []string{path, "not writable", "Nothing was written", "--db", filepath.Dir(path)} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q does not say %q", msg, want)
		}
	}
}

// A store the user may read but not write is refused by Open, before any answer is taken, and
// the file keeps its bytes; made writable again it opens with its data.
func TestRefuseReadOnlyFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "progress.db")
	s := openAt(t, path)
	_, err := s.RecordAnswer(ctx, "ann", Answer{Question: "q1", Rating: srs.Good, At: t0})
	mustNil(t, err)
	mustNil(t, s.Close())
	before := fileSum(t, path)
	// In a subtest, so that its cleanup makes the file writable again before the reopen below.
	t.Run("refused", func(t *testing.T) {
		makeUnwritable(t, path)
		refusedReadOnly(t, path)
		// stagecraft doctor says so too.
		var ue *UnusableError
		if _, err := Check(context.Background(), path); !errors.As(err, &ue) || ue.Reason != ReadOnly {
			t.Errorf("Check: %v, want the ReadOnly refusal", err)
		}
	})
	if fileSum(t, path) != before {
		t.Error("the file changed")
	}
	s = openAt(t, path)
	if n := count(t, s.r, "SELECT count(*) FROM quiz_answers"); n != 1 {
		t.Errorf("%d answers after making the file writable again, want 1", n)
	}
}

// A folder that cannot hold new files: a new store cannot be created there, and an existing one
// cannot get the -wal and -shm files WAL mode needs. Both are refused, saying which folder.
func TestRefuseUnwritableFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	mustNil(t, os.Mkdir(dir, 0o700))
	existing := filepath.Join(dir, "progress.db")
	mustNil(t, openAt(t, existing).Close()) // the last close removes -wal and -shm
	before := fileSum(t, existing)
	makeUnwritable(t, dir)

	refusedReadOnly(t, existing)
	if fileSum(t, existing) != before {
		t.Error("the file changed")
	}
	fresh := filepath.Join(dir, "new.db")
	refusedReadOnly(t, fresh)
	if _, err := os.Stat(fresh); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the refused store exists: %v", err)
	}
}
