package quiz

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"
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

// TestRunPlainShuffledOptions answers by the letters on the screen and checks that the answer
// recorded names the author's options.
func TestRunPlainShuffledOptions(t *testing.T) {
	qs := sessionQuestions(t)
	single, multi := qs[0], qs[1]
	moved := 0
	for seed := range uint64(12) {
		s := NewSession("", ModePractice, []*Question{single, multi}, WithStart(t0), WithSeed(seed))
		shownSingle, shownMulti := single.ShownOrder(seed), multi.ShownOrder(seed+1)
		if shownSingle[0] != 0 {
			moved++
		}
		input := shownLetter(shownSingle, 0) + "\n" + shownLetter(shownMulti, 1) + ", " + shownLetter(shownMulti, 0) + "\n"
		var out bytes.Buffer
		var recorded []Response
		err := RunPlain(context.Background(), s, PlainOptions{In: strings.NewReader(input), Out: &out, Now: stepNow(t0, time.Second),
			Record: func(r Response) error { recorded = append(recorded, r); return nil }})
		if err != nil {
			t.Fatal(err)
		}
		if len(recorded) != 2 || !recorded[0].Result.Correct || !recorded[1].Result.Correct {
			t.Fatalf("seed %d: answers by the shown letters %q scored %+v\n%s", seed, input, recorded, out.String())
		}
		if got := FormatAnswer(single, recorded[0].Answer); got != "A" {
			t.Errorf("seed %d: stored %q for the author's first option", seed, got)
		}
		if got := FormatAnswer(multi, recorded[1].Answer); got != "B, A" {
			t.Errorf("seed %d: stored %q for the author's options B and A", seed, got)
		}
		// The screen lists the options in the shown order.
		text := out.String()
		var at []int
		for _, i := range shownMulti {
			at = append(at, strings.Index(text, ") "+multi.Options[i].Text+"\n"))
		}
		if !slices.IsSorted(at) || at[0] < 0 {
			t.Errorf("seed %d: options printed out of the shown order %v:\n%s", seed, shownMulti, text)
		}
	}
	if moved == 0 {
		t.Error("no seed moved the right option from the top")
	}
}

func isPermutation(p Permutation, n int) bool {
	return len(p) == n && checkPermutation(p, n) == nil
}
