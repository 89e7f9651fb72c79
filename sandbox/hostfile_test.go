package sandbox

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestOpenRegular: only regular files open; a link, a folder or a pipe is refused by the name
// given, never by what a link points to, and a pipe does not block.
func TestOpenRegular(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret")
	os.WriteFile(secret, []byte("s3cr3t"), 0o600)
	os.WriteFile(filepath.Join(dir, "ok"), []byte("FROM busybox\n"), 0o644)
	os.Symlink(secret, filepath.Join(dir, "link"))
	os.Mkdir(filepath.Join(dir, "folder"), 0o755)
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe"), 0o644); err != nil {
		t.Fatal(err)
	}
	b, size, err := ReadRegular(filepath.Join(dir, "ok"), "ok", 0)
	if err != nil || string(b) != "FROM busybox\n" || size != 13 {
		t.Errorf("ok: %q, %d, %v", b, size, err)
	}
	for name, kind := range map[string]string{"link": "a symbolic link", "folder": "a folder", "pipe": "a named pipe"} {
		_, _, err := ReadRegular(filepath.Join(dir, name), "sub/"+name, 0)
		var fe *FileRefusedError
		if !errors.As(err, &fe) || err.Error() != "sub/"+name+" is "+kind+"; the grader reads regular files only" {
			t.Errorf("%s: %v", name, err)
		}
		if err != nil && strings.Contains(err.Error(), dir) {
			t.Errorf("%s: the host path is in the message: %v", name, err)
		}
	}
	_, _, err = ReadRegular(filepath.Join(dir, "none"), "sub/none", 0)
	if err == nil || err.Error() != "sub/none: no such file or directory" {
		t.Errorf("missing: %v", err)
	}
}

// TestContextSizeLinks: links are not followed when measuring a context (a link to a large
// host file counts nothing) and a .dockerignore that is a link is not read.
func TestContextSizeLinks(t *testing.T) {
	host := t.TempDir()
	big := filepath.Join(host, "big")
	f, _ := os.Create(big)
	f.Truncate(10 << 20)
	f.Close()
	os.WriteFile(filepath.Join(host, "ignore"), []byte("*\n"), 0o644)
	ctx := t.TempDir()
	os.WriteFile(filepath.Join(ctx, "a.txt"), []byte("12345"), 0o644)
	os.Symlink(big, filepath.Join(ctx, "big"))
	os.Symlink(host, filepath.Join(ctx, "hostdir"))
	os.Symlink(filepath.Join(host, "ignore"), filepath.Join(ctx, ".dockerignore"))
	n, err := ContextSize(ctx, 1<<20)
	if err != nil || n != 5 {
		t.Errorf("ContextSize = %d, %v; want 5 (links count nothing; the linked .dockerignore is not applied)", n, err)
	}
	// A context named through a link is measured where it leads, not as an empty link.
	named := filepath.Join(t.TempDir(), "ctx")
	os.Symlink(host, named)
	if _, err := ContextSize(named, 1<<20); err == nil {
		t.Error("a 10 MiB context named through a link passed a 1 MiB limit")
	}
}

// TestLimitErrorMessages: a walk stopped at the limit says "more than"; a known size is given.
func TestLimitErrorMessages(t *testing.T) {
	partial := &LimitError{What: "build context", Size: 200<<20 + 1, Limit: 200 << 20, Path: "alice", Partial: true}
	if got, want := partial.Error(), "alice: build context is more than 200 MiB, the sandbox limit"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
	whole := &LimitError{What: "Dockerfile", Size: 2 << 20, Limit: 1 << 20, Path: "Dockerfile"}
	if got, want := whole.Error(), "Dockerfile: Dockerfile is 2.0 MiB; the sandbox limit is 1 MiB"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
}
