package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// Back from a lesson or an exercise, the map keeps its filter and its cursor.
func TestBackKeepsFilterAndCursor(t *testing.T) {
	for _, c := range []struct{ filter, move string }{{"copy", "up"}, {"st", "down"}, {"artifact", "up"}} {
		t.Run(c.filter, func(t *testing.T) { backKeeps(t, c.filter, c.move) })
	}
}

func backKeeps(t *testing.T, filter, move string) {
	hs := newHarness(t, "where", 120, 40, nil)
	hs.keys("/", filter, "enter")
	hs.keys(move)
	r, _ := hs.home().selected()
	want := r.id
	t.Logf("opening %s", want)
	hs.keys("enter")
	if hs.onHome() {
		t.Fatal("enter did not open the row")
	}
	hs.keys("esc")
	if !hs.onHome() {
		t.Fatalf("esc did not go back to the map")
	}
	if got := hs.home().filter.Value(); got != filter {
		t.Errorf("the filter after esc is %q, want %q", got, filter)
	}
	if r, _ := hs.home().selected(); r.id != want {
		t.Errorf("the cursor after esc is on %q, want %q", r.id, want)
	}
}

// After a quiz, n goes on to what follows its lesson; esc from there goes back to the map.
func TestQuizSummaryOffersNext(t *testing.T) {
	hs := newHarness(t, "next", 120, 40, nil)
	hs.keys("enter", "t")
	if hs.quiz() == nil {
		t.Fatal("t did not open the quiz")
	}
	for i := 0; i < 20 && !hs.quiz().finished(); i++ {
		hs.keys("a", "enter", "enter")
	}
	if !hs.quiz().finished() {
		t.Fatal("the quiz did not finish")
	}
	hs.contains("n: next — Copying from a stage")
	hs.keys("n")
	if l := hs.lesson(); l == nil || l.lesson == nil || l.lesson.ID != "copy-from" {
		t.Fatalf("n did not open the next lesson (screen %T)", hs.top())
	}
	hs.keys("esc")
	if !hs.onHome() {
		t.Errorf("esc from the next lesson goes to screen %T, want the map", hs.top())
	}
}

// At 80 columns every screen's footer ends with esc and ?, uncut.
func TestFooterKeepsBackAndHelp(t *testing.T) {
	hs := newHarness(t, "footer", 80, 24, fakeChecker{})
	check := func(where string) {
		t.Helper()
		lines := strings.Split(ansi.Strip(hs.frame()), "\n")
		last := strings.TrimRight(lines[len(lines)-1], " ")
		if strings.Contains(last, "…") || !strings.HasSuffix(last, "? help") || ansi.StringWidth(last) > 80 {
			t.Errorf("%s: the footer is %q", where, last)
		}
	}
	hs.keys("down", "down", "enter")
	check("exercise")
	hs.keys("c")
	check("exercise after a check")
	if !strings.Contains(ansi.Strip(hs.frame()), "esc back") {
		t.Error("the exercise footer lacks esc")
	}
}
