package quiz

import (
	"fmt"
	"slices"
	"testing"
)

func TestContentHash(t *testing.T) {
	base := func() *Question {
		return &Question{ID: "a", Type: TypeSingle, Difficulty: Easy, Points: 1, Prompt: "Which?\n",
			Options: []Option{{Text: "A", Correct: true, Feedback: "yes"}, {Text: "B"}}, Hints: []string{"h"}}
	}
	h := base().ContentHash()
	if len(h) != 32 {
		t.Fatalf("hash %q is not 32 hex digits", h)
	}
	if base().ContentHash() != h {
		t.Fatal("hash is not stable")
	}
	same := map[string]func(q *Question){
		"hint":              func(q *Question) { q.Hints = nil },
		"feedback":          func(q *Question) { q.Options[0].Feedback = "" },
		"explanation":       func(q *Question) { q.Explanation = "because" },
		"points":            func(q *Question) { q.Points = 5 },
		"difficulty":        func(q *Question) { q.Difficulty = Hard },
		"tags":              func(q *Question) { q.Tags = []string{"x"} },
		"trailing space":    func(q *Question) { q.Prompt = "Which?  \r\n\n" },
		"file and position": func(q *Question) { q.File, q.IDPos = "x.yaml", Pos{Line: 9, Col: 9} },
	}
	for name, change := range same {
		q := base()
		change(q)
		if q.ContentHash() != h {
			t.Errorf("changing %s changed the hash", name)
		}
	}
	differ := map[string]func(q *Question){
		"prompt":         func(q *Question) { q.Prompt = "Which one?" },
		"option text":    func(q *Question) { q.Options[1].Text = "C" },
		"correct option": func(q *Question) { q.Options[0].Correct, q.Options[1].Correct = false, true },
		"option order":   func(q *Question) { q.Options[0], q.Options[1] = q.Options[1], q.Options[0] },
		"type":           func(q *Question) { q.Type = TypeMultiple },
		"code":           func(q *Question) { q.Code = "FROM a" },
		"field boundary": func(q *Question) { q.Prompt, q.Code = "Which", "?" },
	}
	for name, change := range differ {
		q := base()
		change(q)
		if q.ContentHash() == h {
			t.Errorf("changing %s kept the hash", name)
		}
	}
	for _, q := range questions(t) {
		if q.ContentHash() == h {
			t.Errorf("%s has the same hash as another question", q.ID)
		}
	}
}

func pool() []*Question {
	var qs []*Question
	for i, d := range []Difficulty{Easy, Easy, Easy, Easy, Easy, Medium, Medium, Hard, Easy, Medium} {
		qs = append(qs, &Question{ID: fmt.Sprintf("q%d", i), Difficulty: d, Lesson: fmt.Sprintf("l%d", i%3),
			Module: fmt.Sprintf("m%d", i%2), Tags: []string{fmt.Sprintf("t%d", i%4), "all"}})
	}
	return qs
}

func ids(qs []*Question) []string {
	out := make([]string, len(qs))
	for i, q := range qs {
		out[i] = q.ID
	}
	return out
}

func TestSelect(t *testing.T) {
	tests := []struct {
		f    Filter
		want []string
	}{
		{Filter{}, []string{"q0", "q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8", "q9"}},
		{Filter{Lessons: []string{"l1"}}, []string{"q1", "q4", "q7"}},
		{Filter{Modules: []string{"m0"}}, []string{"q0", "q2", "q4", "q6", "q8"}},
		{Filter{Tags: []string{"t1", "t2"}}, []string{"q1", "q2", "q5", "q6", "q9"}},
		{Filter{Difficulties: []Difficulty{Hard, Medium}}, []string{"q5", "q6", "q7", "q9"}},
		{Filter{Lessons: []string{"l0"}, Difficulties: []Difficulty{Easy}}, []string{"q0", "q3"}},
		{Filter{Tags: []string{"none"}}, nil},
	}
	for _, tt := range tests {
		if got := ids(Select(pool(), tt.f)); !slices.Equal(got, tt.want) {
			t.Errorf("Select(%+v) = %v, want %v", tt.f, got, tt.want)
		}
	}
}

func TestShuffleIsDeterministic(t *testing.T) {
	qs := pool()
	a, b := ids(Shuffle(qs, 42)), ids(Shuffle(qs, 42))
	if !slices.Equal(a, b) {
		t.Errorf("same seed, different orders: %v %v", a, b)
	}
	if slices.Equal(a, ids(qs)) {
		t.Errorf("seed 42 left 10 questions in order")
	}
	if slices.Equal(a, ids(Shuffle(qs, 43))) {
		t.Errorf("seeds 42 and 43 gave the same order")
	}
	sorted := slices.Clone(a)
	slices.Sort(sorted)
	if !slices.Equal(sorted, ids(qs)) {
		t.Errorf("shuffle lost or duplicated questions: %v", a)
	}
	if !slices.Equal(ids(qs), []string{"q0", "q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8", "q9"}) {
		t.Errorf("Shuffle modified its input")
	}
}

func TestDraw(t *testing.T) {
	qs := pool() // 6 easy, 3 medium, 1 hard
	for _, tt := range []struct {
		n                  int
		easy, medium, hard int
	}{
		{3, 1, 1, 1}, {4, 2, 1, 1}, {6, 3, 2, 1}, {8, 4, 3, 1}, {10, 6, 3, 1}, {0, 6, 3, 1}, {99, 6, 3, 1},
	} {
		got := Draw(qs, tt.n, 7)
		count := map[Difficulty]int{}
		for i, q := range got {
			count[q.Difficulty]++
			if i > 0 && got[i-1].Difficulty.Rank() > q.Difficulty.Rank() {
				t.Errorf("Draw(%d) is not easy to hard: %v", tt.n, ids(got))
			}
		}
		if count[Easy] != tt.easy || count[Medium] != tt.medium || count[Hard] != tt.hard {
			t.Errorf("Draw(%d) = %v: %d easy %d medium %d hard, want %d %d %d", tt.n, ids(got),
				count[Easy], count[Medium], count[Hard], tt.easy, tt.medium, tt.hard)
		}
		if again := Draw(qs, tt.n, 7); !slices.Equal(ids(again), ids(got)) {
			t.Errorf("Draw(%d) not deterministic", tt.n)
		}
	}
}

func TestShuffledItemsNeverInOrder(t *testing.T) {
	for _, n := range []int{2, 3, 5} {
		q := &Question{Type: TypeOrder, Points: 1}
		for i := range n {
			q.Items = append(q.Items, fmt.Sprint("item", i))
		}
		for seed := range uint64(50) {
			p := q.ShuffledItems(seed)
			if err := checkPermutation(p, n); err != nil {
				t.Fatalf("n=%d seed=%d: %v", n, seed, err)
			}
			if q.Check(p).Correct {
				t.Errorf("n=%d seed=%d: shown already in order %v", n, seed, p)
			}
		}
	}
}
