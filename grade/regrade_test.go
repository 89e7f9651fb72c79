package grade

import (
	"slices"
	"testing"
)

func TestRegrade(t *testing.T) {
	prev := []Result{
		{Student: "ann", Status: StatusGraded, Hash: "a1", Score: 100},
		{Student: "ben", Status: StatusGraded, Hash: "b1", Score: 40},
		{Student: "cat", Status: StatusNotGraded, Hash: "c1"},
		{Student: "dan", Status: StatusGraded, Hash: "d1", Score: 70},
		{Student: "old", Status: StatusGraded, Hash: "o1", Score: 90}, // no longer in the class
	}
	class := []Student{
		{ID: "ann", Hash: "a1", Name: "Ann (renamed)"}, // unchanged: kept
		{ID: "ben", Hash: "b2"},                        // changed: checked
		{ID: "cat", Hash: "c1"},                        // not graded last time: checked
		{ID: "dan", Hash: "d2"},                        // changed, but the check will fault
		{ID: "new", Hash: "n1"},                        // new: checked
	}
	rg := NewRegrade(prev, true)
	todo, kept := rg.Split(class)
	var todoIDs []string
	for _, s := range todo {
		todoIDs = append(todoIDs, s.ID)
	}
	if !slices.Equal(todoIDs, []string{"ben", "cat", "dan", "new"}) {
		t.Errorf("todo %q", todoIDs)
	}
	if len(kept) != 1 || kept[0].Student != "ann" || !kept[0].Kept || kept[0].Name != "Ann (renamed)" {
		t.Errorf("kept %+v", kept)
	}
	fresh := []Result{
		{Student: "ben", Status: StatusGraded, Score: 80},
		{Student: "cat", Status: StatusNotGraded},
		{Student: "dan", Status: StatusNotGraded},
		{Student: "new", Status: StatusGraded, Score: 10},
	}
	if rg.Replaces(fresh[2]) || !rg.Replaces(fresh[1]) || !rg.Replaces(fresh[0]) {
		t.Error("Replaces: an environment fault must never replace a grade, and only that")
	}
	merged := rg.Merge(kept, fresh)
	got := map[string]Result{}
	for _, r := range merged {
		got[r.Student] = r
	}
	if len(merged) != 6 || got["dan"].Score != 70 || got["dan"].Status != StatusGraded || got["ben"].Score != 80 ||
		got["cat"].Status != StatusNotGraded || got["old"].Score != 90 || got["new"].Score != 10 {
		t.Errorf("merged %+v", merged)
	}

	// The exercise changed: everyone is checked again.
	todo, kept = NewRegrade(prev, false).Split(class)
	if len(todo) != len(class) || len(kept) != 0 {
		t.Errorf("a changed exercise: todo %d kept %d", len(todo), len(kept))
	}
}
