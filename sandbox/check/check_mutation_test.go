package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stagecraft/stagecraft/sandbox/check/spec"
)

// Two rebuilds after the same edit never see the same file, so a step that copies it cannot
// come from the cache of an earlier check's rebuild.
func TestEditedContextIsUniqueEachTime(t *testing.T) {
	src := t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "main.go"), []byte("package main\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	read := func() string {
		dir, err := editedContext(src, &spec.Edit{Path: "main.go", Append: "\n// edit\n"})
		if err != nil {
			t.Fatal(err)
		}
		defer os.RemoveAll(dir)
		b, err := os.ReadFile(filepath.Join(dir, "main.go"))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	a, b := read(), read()
	if a == b || !strings.HasPrefix(a, "package main\n\n// edit\n") || strings.TrimSpace(a) != strings.TrimSpace(b) {
		t.Fatalf("edits: %q and %q; want the same text with different trailing blank lines", a, b)
	}
	if orig, _ := os.ReadFile(filepath.Join(src, "main.go")); string(orig) != "package main\n" {
		t.Fatalf("the original context changed: %q", orig)
	}
}
