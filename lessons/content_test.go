package lessons

import (
	"io/fs"
	"os"
	"strings"
	"testing"

	xansi "github.com/charmbracelet/x/ansi"

	"github.com/stagecraft/stagecraft/content"
)

// TestEmbeddedCourse is the content check of the course stagecraft ships: it must load with no
// error (every lesson, quiz and exercise file valid, every reference resolving), have lessons,
// and every lesson must render within the narrowest width.
func TestEmbeddedCourse(t *testing.T) {
	c, err := Load(content.FS())
	if err != nil {
		t.Fatalf("the embedded course (content/) is not valid:\n%v", err)
	}
	if len(c.Modules) == 0 || len(c.Lessons) == 0 {
		t.Fatalf("the embedded course has %d modules and %d lessons", len(c.Modules), len(c.Lessons))
	}
	r := NewRenderer()
	for _, l := range c.Lessons {
		out, err := r.Render(l.Body, MinWidth, StylePlain)
		if err != nil {
			t.Errorf("%s: %v", l.File, err)
			continue
		}
		for i, line := range strings.Split(out, "\n") {
			if w := xansi.StringWidth(line); w > MinWidth {
				t.Errorf("%s: rendered line %d is %d wide", l.File, i+1, w)
			}
		}
	}
	for _, ex := range c.Exercises {
		for _, p := range []string{ex.Starter, ex.Solution} {
			if _, err := fs.Stat(c.FS, p); err != nil {
				t.Errorf("%s: %v", ex.File, err)
			}
		}
	}
}

// TestEmbeddedCourseIsTheContentFolder guards the embed patterns: every course file in content/
// is in the binary.
func TestEmbeddedCourseIsTheContentFolder(t *testing.T) {
	disk, err := Load(os.DirFS("../content"))
	if err != nil {
		t.Fatalf("content/ on disk: %v", err)
	}
	embedded, err := Load(content.FS())
	if err != nil {
		t.Fatal(err)
	}
	if len(disk.Lessons) != len(embedded.Lessons) || len(disk.Quizzes) != len(embedded.Quizzes) || len(disk.Exercises) != len(embedded.Exercises) {
		t.Errorf("disk has %d lessons %d quizzes %d exercises, the binary %d %d %d",
			len(disk.Lessons), len(disk.Quizzes), len(disk.Exercises), len(embedded.Lessons), len(embedded.Quizzes), len(embedded.Exercises))
	}
}

func TestExampleCourse(t *testing.T) {
	loadExample(t) // TestLookups checks what it holds; here: it is valid
}
