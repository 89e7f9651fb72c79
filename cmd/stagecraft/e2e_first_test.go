package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// strayLine reports whether a screen line was written by something other than the app: the
// catalog's progress or a daemon's log line, which start at the left edge where every line the
// app draws is indented, or logrus-style fields anywhere.
func strayLine(l string) bool {
	for _, p := range []string{"catalog: ", "time=", "level=", "#1 ", "WARN", "INFO", "ERRO"} {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return strings.Contains(l, " level=") || strings.Contains(l, `time="`)
}

// stepNumber is the "[i/n]" of a build step line on the exercise screen.
var stepNumber = regexp.MustCompile(`\[(?:\S+ )?(\d+)/\d+\]`)

// TestE2EFirstCheck is a new learner's first minutes, on a fresh cache when the shared test
// catalog is not built yet (`make test` runs this test first, on a fresh clone it always is):
// open the course, go to the first exercise at once and start its check while the catalog is
// still being built, and read the screen when the verdict is in. Nothing but the app may be on
// it. The time from opening the course to the first verdict is logged: it is the figure a
// learner waits on their first day.
func TestE2EFirstCheck(t *testing.T) {
	addr := os.Getenv("STAGECRAFT_TEST_BUILDKIT")
	if addr == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("STAGECRAFT_TEST_BUILDKIT is not set in CI: run the tests under scripts/with-buildkitd.sh")
		}
		t.Skip("no test BuildKit: run under scripts/with-buildkitd.sh (STAGECRAFT_TEST_BUILDKIT)")
	}
	e := newE2E(t)
	fresh := true
	if c := os.Getenv("STAGECRAFT_TEST_CACHE"); c != "" {
		_, err := os.Lstat(filepath.Join(c, "catalog", "current"))
		fresh = errors.Is(err, fs.ErrNotExist)
	}
	start := time.Now()
	s := startTmux(t, e.env, e.bin, "--db", e.db, "--buildkit", addr)
	s.waitFor(20*time.Second, "Why images grow")

	// Straight to the first lesson's exercise and its check, before anything is ready.
	s.keys("/")
	s.typeText("trim-the-waste")
	s.keys("Enter", "Enter")
	s.waitFor(20*time.Second, "Delete in the same layer", "your files:")
	s.keys("c")
	scr := s.waitFor(20*time.Minute, "✗ Not yet")
	took := time.Since(start).Round(time.Second)
	t.Logf("course opened → first verdict: %s (fresh catalog: %v)", took, fresh)
	if !fresh && os.Getenv("CI") == "true" {
		t.Log("the catalog was already built: this run checked the screen, not the first build's output")
	}

	// The starter fails for the lesson's reason, the screen is the app's alone, and the steps of
	// the build are listed as the Dockerfile has them.
	if !strings.Contains(scr, "Delete in the same layer") {
		t.Errorf("the exercise screen is not what shows:\n%s", scr)
	}
	last := 0
	for _, l := range strings.Split(scr, "\n") {
		if strayLine(l) {
			t.Errorf("a line the app did not draw: %q\n%s", l, scr)
		}
		if m := stepNumber.FindStringSubmatch(l); m != nil {
			n, _ := strconv.Atoi(m[1])
			if n < last {
				t.Errorf("build step [%d/…] after [%d/…]:\n%s", n, last, scr)
			}
			last = n
		}
	}
	if last == 0 {
		t.Errorf("no build steps on the screen:\n%s", scr)
	}
	s.keys("C-c")
}
