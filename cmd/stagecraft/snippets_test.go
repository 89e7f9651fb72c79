package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stagecraft/stagecraft/lessons"
)

// TestLessonSnippets is the snippet pass of `stagecraft content check --build` on the built-in
// course: every Dockerfile a lesson marks complete builds offline with the catalog, in its
// context. It shares one sandbox and builds two snippets at once, as the command does.
func TestLessonSnippets(t *testing.T) {
	course := embeddedCourse(t)
	snippets := course.Snippets()
	// The lessons that teach multi-stage builds in Node.js and Python show Dockerfiles that build.
	for _, want := range []struct{ lesson, image string }{
		{"stages-and-copy-from", "FROM node:"},
		{"layer-cache", "FROM node:"},
		{"runtime-bases", "FROM python:"},
		{"stages-and-copy-from", "FROM golang:"},
	} {
		found := false
		for _, s := range snippets {
			found = found || s.Lesson == want.lesson && bytes.Contains(s.Dockerfile, []byte(want.image))
		}
		if !found {
			t.Errorf("lesson %s has no complete snippet with %s", want.lesson, want.image)
		}
	}
	sb := exerciseSandbox(t)
	// A cache mount over the Go build cache (lessons 8 and 18) starts empty, as on any builder,
	// so those snippets compile the standard library: minutes on a loaded machine, where the
	// default 5-minute limit would call a good snippet broken.
	sb.Policy.Timeout = 15 * time.Minute
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	start := time.Now()
	vs, err := contentSnippets(ctx, sb, course, 2, func(v snippetVerdict) {
		t.Logf("%s:%d: %d steps (%d cached) in %.1fs", v.Snippet.File, v.Snippet.Line, v.Result.TotalSteps, v.Result.CachedSteps, v.Took.Seconds())
	})
	if err != nil {
		t.Fatalf("building the snippets: %v", err)
	}
	t.Logf("%d snippets built in %s", len(vs), time.Since(start).Round(time.Second))
	if len(vs) != len(snippets) {
		t.Errorf("%d verdicts for %d snippets", len(vs), len(snippets))
	}
	for _, v := range vs {
		if v.Problem != "" {
			var b bytes.Buffer
			printSnippetVerdict(&b, embeddedCourseDir, v)
			t.Error(strings.TrimSpace(b.String()))
		}
	}
}

// TestSnippetThatDoesNotBuild: a snippet whose RUN fails is reported at its fence, with the
// snippet's line at fault and the file line it is on; its neighbour still builds.
func TestSnippetThatDoesNotBuild(t *testing.T) {
	fsys := fstest.MapFS{
		"course.yaml": {Data: []byte("title: T\nmodules:\n  - id: m\n    title: M\n")},
		"lessons/01-a.md": {Data: []byte("---\nid: a\ntitle: A\nmodule: m\norder: 1\n---\n# A\n\n" +
			"```dockerfile complete\nFROM busybox\nRUN true\n```\n\n" + // fence on line 9
			"```dockerfile complete\nFROM busybox\nRUN echo broken >&2; exit 3\n```\n")}, // fence on line 14
	}
	course, err := lessons.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	sb := exerciseSandbox(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	vs, err := contentSnippets(ctx, sb, course, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 2 {
		t.Fatalf("%d verdicts, want 2", len(vs))
	}
	var out bytes.Buffer
	for _, v := range vs {
		printSnippetVerdict(&out, "course", v)
	}
	got := out.String()
	if !strings.Contains(got, "ok    course/lessons/01-a.md:9: snippet builds") {
		t.Errorf("the snippet that builds is not reported ok:\n%s", got)
	}
	const want = "course/lessons/01-a.md:14: snippet does not build: line 2 (01-a.md:16): "
	if !strings.Contains(got, want) || !strings.Contains(got, "exit code 3") || !strings.Contains(got, "log: broken") {
		t.Errorf("want a line starting %q that names exit code 3 and the log (broken):\n%s", want, got)
	}
}
