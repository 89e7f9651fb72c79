package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The brief is a file next to the exercise folder, and reopening an exercise shows the last
// result from the store.
func TestReopenShowsLastResultAndBriefFile(t *testing.T) {
	hs := newHarness(t, "reopen", 120, 40, fakeChecker{})
	hs.keys("down", "down", "enter")
	brief := filepath.Join(hs.ws, "keep-the-artifact.brief.md")
	b, err := os.ReadFile(brief)
	if err != nil || !strings.HasPrefix(string(b), "# Keep only the artifact\n") || !strings.Contains(string(b), "greeting.txt") {
		t.Fatalf("the brief file %s: %q, %v", brief, b, err)
	}
	if _, err := os.Stat(filepath.Join(hs.ws, "keep-the-artifact", "BRIEF.md")); err == nil {
		t.Error("a brief inside the folder would enter the build context")
	}
	hs.contains("your files:") // no last result yet
	hs.keys("c")
	hs.contains("✗ Not yet: 10/20 points")
	hs.keys("esc", "enter")
	if hs.exercise() == nil {
		t.Fatal("enter did not reopen the exercise")
	}
	hs.contains("✗ Not yet: 10/20 points")
	hs.contains("the image is 210 MB, more than 5 MB")
	hs.contains("your last check, 2 Mar 10:00")
	hs.golden("reopened")
}
