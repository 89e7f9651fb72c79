package tui

import "testing"

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
	r, _ := hs.model().home.selected()
	want := r.id
	t.Logf("opening %s", want)
	hs.keys("enter")
	if hs.model().screen == screenHome {
		t.Fatal("enter did not open the row")
	}
	hs.keys("esc")
	m := hs.model()
	if m.screen != screenHome {
		t.Fatalf("esc did not go back to the map")
	}
	if got := m.home.filter.Value(); got != filter {
		t.Errorf("the filter after esc is %q, want %q", got, filter)
	}
	if r, _ := m.home.selected(); r.id != want {
		t.Errorf("the cursor after esc is on %q, want %q", r.id, want)
	}
}
