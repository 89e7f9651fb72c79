package lessons

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"
	"sync"
	"testing"

	xansi "github.com/charmbracelet/x/ansi"

	"github.com/stagecraft/stagecraft/content"
)

// stress has what wraps badly: a long heading, URL and word, a table, quotes, nested and
// numbered lists, and a code line wider than any terminal here.
const stress = "# A very long heading that goes on and on and on past the width of any narrow terminal window\n\n" +
	"See https://docs.docker.com/build/building/multi-stage/#use-an-external-image-as-a-stage-and-more for more.\n\n" +
	"Averyveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryverylongword here.\n\n" +
	"| instruction | layer? | notes |\n| --- | --- | --- |\n| RUN | yes | every RUN adds a layer with the files it changed, which is a long cell of text |\n| ENV | no | config only |\n\n" +
	"> A quote that is long enough to need wrapping at sixty columns, surely, yes indeed it is.\n\n" +
	"- one item that is long enough to need wrapping at sixty columns, surely, yes indeed\n  - nested item that is long enough to need wrapping at sixty columns, surely, yes\n    - third level item that is long enough to need wrapping at sixty columns, surely, yes and more words\n\n" +
	"1. numbered item that is long enough to need wrapping at sixty columns, surely, yes indeed\n   1. nested numbered item that is long enough to need wrapping at sixty columns, surely\n\n" +
	"> - quoted list item that is long enough to need wrapping at sixty columns, surely, yes indeed and more\n\n" +
	"```dockerfile\nFROM golang:1.22 AS build\nRUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go build -o /out/app ./cmd/app\n```\n"

// lessonBodies returns the Markdown of every lesson of the example and the embedded course.
func lessonBodies(t testing.TB) map[string]string {
	t.Helper()
	bodies := map[string]string{"stress": stress}
	for name, fsys := range map[string]fs.FS{"example": os.DirFS("../docs/example-course"), "content": content.FS()} {
		files, err := fs.Glob(fsys, "lessons/*.md")
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			data, err := fs.ReadFile(fsys, f)
			if err != nil {
				t.Fatal(err)
			}
			_, _, body, _, ok, closed := splitFrontMatter(string(data))
			if !ok || !closed {
				t.Fatalf("%s/%s has no front matter", name, f)
			}
			bodies[name+"/"+path.Base(f)] = body
		}
	}
	return bodies
}

func TestRenderFitsWidth(t *testing.T) {
	r := NewRenderer()
	for name, body := range lessonBodies(t) {
		for _, style := range []Style{StylePlain, StyleDark, StyleLight} {
			for _, width := range []int{60, 80, 120} {
				out, err := r.Render(body, width, style)
				if err != nil {
					t.Fatalf("%s at %d (%v): %v", name, width, style, err)
				}
				if strings.TrimSpace(xansi.Strip(out)) == "" {
					t.Fatalf("%s at %d (%v): rendered nothing", name, width, style)
				}
				for i, line := range strings.Split(out, "\n") {
					if w := xansi.StringWidth(line); w > width {
						t.Errorf("%s at %d (%v): line %d is %d wide: %q", name, width, style, i+1, w, xansi.Strip(line))
					}
				}
			}
		}
	}
}

// TestRenderEveryWidth sweeps the widths a window can have (a prime step, to meet odd ones).
func TestRenderEveryWidth(t *testing.T) {
	r := NewRenderer()
	body := stress + "\n" + lessonBodies(t)["example/02-copy-from.md"]
	for width := 60; width <= 200; width += 7 {
		out, err := r.Render(body, width, StyleDark)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(out, "\n") {
			if w := xansi.StringWidth(line); w > width {
				t.Errorf("at %d: line %d is %d wide: %q", width, i+1, w, xansi.Strip(line))
			}
		}
	}
}

// TestRenderKeepsCodeLines: code within CodeWidth is never re-wrapped, even at MinWidth, so
// every code line of every lesson shows whole on one line.
func TestRenderKeepsCodeLines(t *testing.T) {
	r := NewRenderer()
	for name, body := range lessonBodies(t) {
		if name == "stress" {
			continue
		}
		out, err := r.Render(body, MinWidth, StylePlain)
		if err != nil {
			t.Fatal(err)
		}
		var fs fenceScanner
		for _, line := range strings.Split(body, "\n") {
			if kind, _ := fs.step(line); kind != codeLine || strings.TrimSpace(line) == "" {
				continue
			}
			if !strings.Contains(out, strings.TrimRight(line, " ")) {
				t.Errorf("%s: code line %q is not whole in the output at %d columns", name, line, MinWidth)
			}
		}
	}
}

func TestRenderLongCodeLineStillFits(t *testing.T) {
	out, err := NewRenderer().Render(stress, 60, StylePlain)
	if err != nil {
		t.Fatal(err)
	}
	squash := func(s string) string { return strings.Join(strings.Fields(s), "") }
	long := "RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go build -o /out/app ./cmd/app"
	if !strings.Contains(squash(out), squash(long)) {
		t.Errorf("the long code line lost text:\n%s", out)
	}
}

// dockerKeyword is how the dark style colours a Dockerfile keyword (Chroma's Keyword).
const dockerKeyword = "\x1b[38;5;39mFROM"

func TestRenderDockerfileHighlighting(t *testing.T) {
	r := NewRenderer()
	code := "FROM busybox AS build\nRUN echo hi\n"
	render := func(lang string) string {
		out, err := r.Render("```"+lang+"\n"+code+"```\n", 80, StyleDark)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	for _, lang := range []string{"docker", "dockerfile", "Dockerfile", "containerfile"} {
		if out := render(lang); !strings.Contains(out, dockerKeyword) {
			t.Errorf("```%s: FROM is not highlighted as a keyword: %q", lang, out)
		}
	}
	for _, lang := range []string{"", "text"} {
		out := render(lang)
		if strings.Contains(out, dockerKeyword) {
			t.Errorf("```%s is highlighted: %q", lang, out)
		}
		if !strings.Contains(xansi.Strip(out), "FROM busybox AS build") {
			t.Errorf("```%s lost its text: %q", lang, out)
		}
	}
}

func TestRenderPlainHasNoEscapes(t *testing.T) {
	out, err := NewRenderer().Render(stress, 80, StylePlain)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "\x1b") {
		t.Errorf("plain output has escape codes: %q", out)
	}
}

func TestRenderClampsNarrowWidths(t *testing.T) {
	out, err := NewRenderer().Render(stress, 20, StylePlain)
	if err != nil {
		t.Fatal(err)
	}
	widest := 0
	for _, line := range strings.Split(out, "\n") {
		widest = max(widest, xansi.StringWidth(line))
	}
	if widest > MinWidth || widest < MinWidth-5 {
		t.Errorf("at width 20 the widest line is %d, want about %d", widest, MinWidth)
	}
}

func TestRendererReuseAndConcurrency(t *testing.T) {
	r := NewRenderer()
	body := lessonBodies(t)["example/01-first-stage.md"]
	// Outputs are compared without escape codes: Chroma gives each regular expression match
	// 250 ms of wall-clock time, and on a starved machine a timed-out match changes colours.
	want := map[int]string{}
	for _, w := range []int{60, 70, 80, 90, 100, 110, 120, 130} { // more widths than it keeps
		out, err := Render(body, w, true)
		if err != nil {
			t.Fatal(err)
		}
		want[w] = xansi.Strip(out)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 64 {
		w := 60 + 10*(i%8)
		wg.Go(func() {
			got, err := r.Render(body, w, StyleDark)
			got = xansi.Strip(got)
			if err != nil {
				errs <- err
			} else if got != want[w] {
				errs <- fmt.Errorf("width %d: a shared renderer gave a different result:%s", w, firstDiff(got, want[w]))
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if len(r.entries) > keepRenderers {
		t.Errorf("the renderer keeps %d Glamour renderers, at most %d", len(r.entries), keepRenderers)
	}
}

func TestPrepareMarkdown(t *testing.T) {
	tests := []struct{ in, want string }{
		{"```dockerfile\nFROM a\n```\n", "```docker\nFROM a\n```\n"},
		{"```Dockerfile complete context=x\nFROM a\n```\n", "```docker\nFROM a\n```\n"},
		{"```go title\nx\n```\n", "```go title\nx\n```\n"},
		{"```\n+--+\n```\n", "```text\n+--+\n```\n"},
		{"~~~~\nx\n~~~~\n", "~~~~text\nx\n~~~~\n"},
		{"```go\nx\n```\n", "```go\nx\n```\n"},
		// a closing fence is never given a language, and inner ``` of a longer fence stays
		{"````md\n```\ninner\n```\n````\n```\ny\n```\n", "````md\n```\ninner\n```\n````\n```text\ny\n```\n"},
		{"inline ```code``` is not a fence\n", "inline ```code``` is not a fence\n"},
		{"```\r\nCRLF\r\n```\r\n", "```text\r\nCRLF\r\n```\r\n"},
	}
	for _, tt := range tests {
		if got := prepareMarkdown(tt.in); got != tt.want {
			t.Errorf("prepareMarkdown(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestStyleFor(t *testing.T) {
	if StyleFor(true, true) != StylePlain || StyleFor(false, true) != StylePlain || StyleFor(true, false) != StyleDark || StyleFor(false, false) != StyleLight {
		t.Error("StyleFor")
	}
}

func firstDiff(got, want string) string {
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			return fmt.Sprintf("\n got %q\nwant %q", got[max(0, i-60):min(len(got), i+60)], want[max(0, i-60):min(len(want), i+60)])
		}
	}
	return fmt.Sprintf(" lengths %d and %d", len(got), len(want))
}
