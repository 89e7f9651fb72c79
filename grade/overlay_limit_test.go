package grade

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stagecraft/stagecraft/sandbox"
)

// TestOverlayLimitAfterDockerignore: the grader's context limit counts what BuildKit is sent,
// as check's does: a file the student's .dockerignore leaves out is neither copied nor counted;
// without the .dockerignore the same folder is refused with "more than", by the student's id.
func TestOverlayLimitAfterDockerignore(t *testing.T) {
	const limit = 1 << 20
	dir := filepath.Join(t.TempDir(), "alice")
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, DockerfileName), []byte("FROM busybox\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n"), 0o644)
	f, _ := os.Create(filepath.Join(dir, "big.bin"))
	f.Truncate(limit + 1) // sparse: nothing is written
	f.Close()
	os.WriteFile(filepath.Join(dir, ".dockerignore"), []byte("*.bin\n"), 0o644)
	st := &Student{ID: "alice", Dir: dir}

	ctxDir, cleanup, err := overlay("", st, limit)
	if err != nil {
		t.Fatalf("with big.bin ignored: %v", err)
	}
	if _, err := os.Stat(filepath.Join(ctxDir, "big.bin")); err == nil {
		t.Error("big.bin was copied though .dockerignore leaves it out")
	}
	if _, err := os.Stat(filepath.Join(ctxDir, "main.go")); err != nil {
		t.Errorf("main.go was not copied: %v", err)
	}
	if n, err := sandbox.ContextSize(ctxDir, limit); err != nil || n > limit {
		t.Errorf("the sandbox measures the copy at %d (%v)", n, err)
	}
	cleanup()

	os.Remove(filepath.Join(dir, ".dockerignore"))
	_, _, err = overlay("", st, limit)
	var le *sandbox.LimitError
	if !errors.As(err, &le) || err.Error() != "alice: build context is more than 1 MiB, the sandbox limit" {
		t.Errorf("without .dockerignore: %v", err)
	}
}
