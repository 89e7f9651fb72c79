package quiz

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

func TestShownOrderShufflesOptionsEvenly(t *testing.T) {
	qs := sessionQuestions(t)
	multi := qs[1] // 3 options, the first two right
	const seeds = 3000
	first := make([]int, len(multi.Options))
	for seed := range uint64(seeds) {
		p := multi.ShownOrder(seed)
		if !isPermutation(p, len(multi.Options)) {
			t.Fatalf("seed %d: %v is not a permutation of the options", seed, p)
		}
		if !slices.Equal(p, multi.ShownOrder(seed)) {
			t.Fatalf("seed %d: two orders", seed)
		}
		first[p[0]]++
	}
	// Each option comes first about a third of the time: the author's order says nothing.
	for i, n := range first {
		if share := float64(n) / seeds; share < 0.28 || share > 0.39 {
			t.Errorf("option %d is shown first %d times in %d (%.0f%%), want about a third", i, n, seeds, share*100)
		}
	}
}

func TestShownOrderKeepOrder(t *testing.T) {
	qz, err := Parse("q.yaml", []byte(pinnedQuiz))
	if err != nil {
		t.Fatal(err)
	}
	q := qz.Questions[0]
	if !q.KeepOrder {
		t.Fatal("shuffle: false did not pin the order")
	}
	for seed := range uint64(50) {
		if p := q.ShownOrder(seed); !slices.Equal(p, Permutation{0, 1, 2}) {
			t.Fatalf("seed %d: pinned options shown as %v", seed, p)
		}
	}
}

// TestKeepOrderSurvivesExports: a pinned order comes back from the course format, the GIFT
// export (in its stagecraft comment) and is named in the JSON export.
func TestKeepOrderSurvivesExports(t *testing.T) {
	qz, err := Parse("q.yaml", []byte(pinnedQuiz))
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse("q.yaml", MarshalYAML(qz))
	if err != nil || !back.Questions[0].KeepOrder || back.Questions[1].KeepOrder {
		t.Fatalf("course format: %v; keep order %v %v", err, back.Questions[0].KeepOrder, back.Questions[1].KeepOrder)
	}
	var gift bytes.Buffer
	if _, err := ExportGIFT(&gift, qz.Questions, "c"); err != nil {
		t.Fatal(err)
	}
	imp, err := ReadGIFT("q.gift", gift.Bytes(), GIFTOptions{})
	if err != nil || len(imp.Questions) != 2 || !imp.Questions[0].KeepOrder || imp.Questions[1].KeepOrder {
		t.Fatalf("GIFT: %v %+v\n%s", err, imp, gift.String())
	}
	if j := qz.Questions[0].ToJSON(); j.Shuffle == nil || *j.Shuffle {
		t.Errorf("JSON export of a pinned question: shuffle %v", j.Shuffle)
	}
	if j := qz.Questions[1].ToJSON(); j.Shuffle != nil {
		t.Errorf("JSON export of a shuffled question: shuffle %v", *j.Shuffle)
	}
}

const pinnedQuiz = `id: q
title: Q
lesson: l
questions:
  - id: a
    type: single
    difficulty: easy
    prompt: Which of these?
    shuffle: false
    options:
      - text: this
      - text: that
      - text: all of the above
        correct: true
  - id: b
    type: multiple
    difficulty: easy
    prompt: Which?
    options:
      - text: x
        correct: true
      - text: y
`

func TestParseShuffleErrors(t *testing.T) {
	const head = "id: q\ntitle: Q\nlesson: l\nquestions:\n"
	got := parseErrs(t, head+`  - id: a
    type: single
    difficulty: easy
    prompt: P
    shuffle: no
    options: [{text: x, correct: true}, {text: y}]
  - id: b
    type: true_false
    difficulty: easy
    prompt: P
    answer: true
    shuffle: false
  - id: c
    type: single
    difficulty: easy
    prompt: P
    shufle: false
    options: [{text: x, correct: true}, {text: y}]
`)
	want := []string{
		`q.yaml:9:14: shuffle must be true or false, not "no"`,
		`q.yaml:16:5: shuffle is not used by true_false questions (it belongs to single and multiple)`,
		`q.yaml:21:5: unknown field "shufle" in a question (did you mean "shuffle"?)`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func isPermutation(p Permutation, n int) bool {
	return len(p) == n && checkPermutation(p, n) == nil
}
