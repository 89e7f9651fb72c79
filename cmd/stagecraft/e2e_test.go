package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stagecraft/stagecraft/content"
	"github.com/stagecraft/stagecraft/lessons"
)

// The course as a new learner meets it, in tmux, with the real binary: start, read the first
// lesson to the end, take its quiz, open go-multistage, "edit" it with an $EDITOR script that
// writes a multi-stage Dockerfile, see the check pass with the size bars, quit, start again and
// find the progress kept.

type tmuxSession struct {
	t    *testing.T
	name string
}

func startTmux(t *testing.T, env []string, args ...string) *tmuxSession {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("tmux is not installed: make deps installs it (apt-get install tmux)")
		}
		t.Skip("tmux is not installed: apt-get install tmux (make deps does) to run the end-to-end tests")
	}
	name := fmt.Sprintf("stagecraft-e2e-%d-%d", os.Getpid(), time.Now().UnixNano())
	cmdline := "env " + strings.Join(quoteAll(env), " ") + " " + strings.Join(quoteAll(args), " ") + "; sleep 600"
	out, err := exec.Command("tmux", "new-session", "-d", "-s", name, "-x", "100", "-y", "40", cmdline).CombinedOutput()
	if err != nil {
		t.Fatalf("tmux: %v: %s", err, out)
	}
	s := &tmuxSession{t: t, name: name}
	t.Cleanup(func() { exec.Command("tmux", "kill-session", "-t", name).Run() })
	return s
}

func quoteAll(in []string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	return out
}

func (s *tmuxSession) screen() string {
	out, _ := exec.Command("tmux", "capture-pane", "-p", "-t", s.name).Output()
	return string(out)
}

func (s *tmuxSession) keys(keys ...string) {
	s.t.Helper()
	for _, k := range keys {
		if out, err := exec.Command("tmux", "send-keys", "-t", s.name, k).CombinedOutput(); err != nil {
			s.t.Fatalf("send-keys %s: %v: %s", k, err, out)
		}
		time.Sleep(80 * time.Millisecond) // let the app draw between key presses, as a person would
	}
}

func (s *tmuxSession) typeText(text string) {
	s.t.Helper()
	exec.Command("tmux", "send-keys", "-t", s.name, "-l", text).Run()
	time.Sleep(80 * time.Millisecond)
}

// waitFor waits until the screen shows every one of texts; it fails with the screen after limit.
func (s *tmuxSession) waitFor(limit time.Duration, texts ...string) string {
	s.t.Helper()
	deadline := time.Now().Add(limit)
	for {
		scr := s.screen()
		ok := true
		for _, t := range texts {
			ok = ok && strings.Contains(scr, t)
		}
		if ok {
			return scr
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the screen never showed %q:\n%s", texts, scr)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

type e2eEnv struct {
	bin, db, home, xdg string
	env                []string
}

func newE2E(t *testing.T) *e2eEnv {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end run: not in -short")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "stagecraft")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	e := &e2eEnv{bin: bin, db: filepath.Join(dir, "progress.db"), home: filepath.Join(dir, "home"), xdg: filepath.Join(dir, "xdg")}
	editor := filepath.Join(dir, "editor.sh")
	os.WriteFile(editor, []byte(`#!/bin/sh
cat > "$1" <<'DF'
# The toolchain builds a static binary in "build"; only that file ships.
FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY *.go ./
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/hello .

FROM scratch
COPY --from=build /out/hello /hello
ENTRYPOINT ["/hello"]
DF
`), 0o755)
	e.env = []string{"HOME=" + e.home, "XDG_DATA_HOME=" + filepath.Join(e.xdg, "data"), "XDG_CACHE_HOME=" + filepath.Join(e.xdg, "cache"),
		"XDG_RUNTIME_DIR=" + filepath.Join(e.xdg, "run"), "EDITOR=" + editor, "VISUAL=", "TERM=xterm-256color", "NO_COLOR=", "PATH=" + os.Getenv("PATH")}
	if c := os.Getenv("STAGECRAFT_TEST_CACHE"); c != "" {
		e.env = append(e.env, "STAGECRAFT_CACHE="+c)
	}
	return e
}

func TestE2ECourse(t *testing.T) {
	addr := os.Getenv("STAGECRAFT_TEST_BUILDKIT")
	if addr == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("STAGECRAFT_TEST_BUILDKIT is not set in CI: run the tests under scripts/with-buildkitd.sh")
		}
		t.Skip("no test BuildKit: run under scripts/with-buildkitd.sh (STAGECRAFT_TEST_BUILDKIT)")
	}
	e := newE2E(t)
	s := startTmux(t, e.env, e.bin, "--db", e.db, "--buildkit", addr)

	// The map's counts follow the embedded course, so adding a lesson does not break this test.
	course, err := lessons.Load(content.FS())
	if err != nil {
		t.Fatal(err)
	}
	read0, read1 := fmt.Sprintf("0/%d read", len(course.Lessons)), fmt.Sprintf("1/%d read", len(course.Lessons))

	// The map opens on the first lesson, and BuildKit and the catalog get ready meanwhile: their
	// progress is a line of the app, never text written over it.
	s.waitFor(10*time.Second, "Why images grow", read0)
	scr := s.waitFor(3*time.Minute, "BuildKit and the image catalog are ready")
	if strings.Contains(scr, "catalog: ") {
		t.Errorf("catalog progress on the screen:\n%s", scr)
	}
	s.keys("Enter")
	s.waitFor(10*time.Second, "Foundations ›", "0%") // rendered: the position shows
	s.keys("G")
	s.waitFor(10*time.Second, "✓ read")

	// Its quiz, answered as it comes: a, then enter, then enter for the next question.
	s.keys("t")
	s.waitFor(10*time.Second, "1/")
	for i := 0; i < 40 && !strings.Contains(s.screen(), "results"); i++ {
		s.keys("a", "Enter")
		if strings.Contains(s.screen(), "right answer") || strings.Contains(s.screen(), "Right") {
			s.keys("Enter")
		}
	}
	s.waitFor(10*time.Second, "results", "By difficulty")
	s.keys("Enter", "Escape")

	// go-multistage, through the filter.
	s.keys("/")
	s.typeText("go-multistage")
	s.keys("Enter", "Enter")
	s.waitFor(20*time.Second, "Shrink a Go web server", "your files:")
	s.keys("e")
	scr = s.waitFor(6*time.Minute, "✓ Passed", "starter", "yours", "reference")
	if !strings.Contains(scr, "█") {
		t.Errorf("no size bars:\n%s", scr)
	}
	s.keys("C-c")
	time.Sleep(500 * time.Millisecond)

	// Start again: the progress is kept.
	s2 := startTmux(t, e.env, e.bin, "--db", e.db, "--buildkit", addr)
	scr = s2.waitFor(10*time.Second, read1, fmt.Sprintf("1/%d passed", len(course.Exercises)))
	if !strings.Contains(scr, "quiz ") || strings.Contains(scr, read0) {
		t.Errorf("the map does not show the progress:\n%s", scr)
	}
	s2.keys("C-c")
}

func TestE2ENoBuildKit(t *testing.T) {
	e := newE2E(t)
	s := startTmux(t, e.env, e.bin, "--db", e.db, "--buildkit", "unix:///nonexistent.sock")
	s.waitFor(10*time.Second, "Why images grow")
	s.keys("/")
	s.typeText("go-multistage")
	s.keys("Enter", "Enter")
	scr := s.waitFor(60*time.Second, "BuildKit is not available", "FAIL  buildkit", "Check that the daemon is running")
	if strings.Contains(scr, "panic") {
		t.Fatalf("panic:\n%s", scr)
	}
	// Lessons and quizzes still work.
	s.keys("Escape", "/")
	s.typeText("images grow")
	s.keys("Enter", "Enter")
	s.waitFor(10*time.Second, "Foundations ›")
	s.keys("t")
	s.waitFor(10*time.Second, "1/")
	s.keys("C-c")
}

// Without a terminal the map and the CLI's usage are printed.
func TestE2EPlain(t *testing.T) {
	e := newE2E(t)
	cmd := exec.Command(e.bin, "--db", e.db)
	cmd.Env = e.env
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Why images grow", "exercise go-multistage", "stagecraft quiz", "stagecraft check"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("no %q in:\n%s", want, out)
		}
	}
}
