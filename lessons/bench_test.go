package lessons

import (
	"fmt"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stagecraft/stagecraft/content"
)

// longLesson is the longest lesson of the embedded course (the stress text if it has none).
func longLesson(b *testing.B) string {
	long := stress
	for _, body := range lessonBodies(b) {
		if len(body) > len(long) {
			long = body
		}
	}
	return long
}

// BenchmarkRenderLongLesson: one render with a kept Renderer, as the lesson screen does on open
// and on every resize. Target: ≤ 30 ms at 100 columns.
func BenchmarkRenderLongLesson(b *testing.B) {
	body := longLesson(b)
	for _, style := range []Style{StyleDark, StylePlain} {
		b.Run(style.String(), func(b *testing.B) {
			r := NewRenderer()
			if _, err := r.Render(body, 100, style); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(body)))
			defer reportCPU(b)()
			for b.Loop() {
				if _, err := r.Render(body, 100, style); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRenderNewWidth: the first render at a width, which builds a Glamour renderer.
func BenchmarkRenderNewWidth(b *testing.B) {
	body := longLesson(b)
	w := 60
	defer reportCPU(b)()
	for b.Loop() {
		if _, err := Render(body, w, true); err != nil {
			b.Fatal(err)
		}
		w = 60 + (w-59)%140
	}
}

// BenchmarkLoadEmbeddedCourse: load and validate the course stagecraft ships. Target: ≤ 100 ms.
func BenchmarkLoadEmbeddedCourse(b *testing.B) {
	fsys := content.FS()
	defer reportCPU(b)()
	for b.Loop() {
		if _, err := Load(fsys); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadScaledCourse: the example course copied into 10 modules (20 lessons, 20 quizzes,
// 10 exercises), in memory.
func BenchmarkLoadScaledCourse(b *testing.B) {
	fsys := scaledExample(b, 10)
	defer reportCPU(b)()
	for b.Loop() {
		if _, err := Load(fsys); err != nil {
			b.Fatal(err)
		}
	}
}

// scaledExample copies docs/example-course n times under new ids, one module per copy.
func scaledExample(b *testing.B, n int) fstest.MapFS {
	src := os.DirFS("../docs/example-course")
	out := fstest.MapFS{}
	var course strings.Builder
	course.WriteString("title: Scaled\nmodules:\n")
	for i := range n {
		fmt.Fprintf(&course, "  - id: basics%d\n    title: Basics %d\n", i, i)
		rename := strings.NewReplacer(
			"basics", fmt.Sprintf("basics%d", i),
			"first-stage", fmt.Sprintf("first-stage-%d", i),
			"copy-from", fmt.Sprintf("copy-from-%d", i),
			"keep-the-artifact", fmt.Sprintf("keep-the-artifact-%d", i),
			"fs-", fmt.Sprintf("fs%d-", i),
			"cf-", fmt.Sprintf("cf%d-", i),
		).Replace
		err := fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || p == "course.yaml" {
				return err
			}
			data, err := fs.ReadFile(src, p)
			if err != nil {
				return err
			}
			out[rename(p)] = &fstest.MapFile{Data: []byte(rename(string(data)))}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	out["course.yaml"] = &fstest.MapFile{Data: []byte(course.String())}
	if c, err := Load(out); err != nil || len(c.Lessons) != 2*n {
		b.Fatalf("scaled course: %v", err)
	}
	return out
}
