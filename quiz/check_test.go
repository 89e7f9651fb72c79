package quiz

import (
	"slices"
	"testing"
)

func questions(t testing.TB) map[string]*Question {
	qz := mustParse(t, "testdata/all-types.yaml")
	m := map[string]*Question{}
	for _, q := range qz.Questions {
		m[q.ID] = q
	}
	return m
}

func TestCheck(t *testing.T) {
	qs := questions(t)
	tests := []struct {
		name     string
		question string
		answer   Answer
		correct  bool
		points   int
		feedback []string
		missed   []int
		wrong    []int
	}{
		{"single right", "q-single", Choices{0}, true, 1, []string{"Yes, every FROM starts a stage."}, nil, nil},
		{"single wrong with feedback", "q-single", Choices{1}, false, 0, []string{"RUN adds a layer to the current stage."}, []int{0}, []int{1}},
		{"single wrong without feedback", "q-single", Choices{2}, false, 0, nil, []int{0}, []int{2}},
		{"multiple all right", "q-multiple", Choices{1, 0}, true, 2, []string{"A stage index works too."}, nil, nil},
		{"multiple repeated pick counts once", "q-multiple", Choices{0, 0, 1}, true, 2, []string{"A stage index works too."}, nil, nil},
		{"multiple partial: one of two scores nothing", "q-multiple", Choices{0}, false, 0, nil, []int{1}, nil},
		{"multiple partial plus a wrong one", "q-multiple", Choices{0, 2}, false, 0, []string{"That copies from the build context."}, []int{1}, []int{2}},
		{"multiple all options", "q-multiple", Choices{0, 1, 2}, false, 0, []string{"A stage index works too.", "That copies from the build context."}, nil, []int{2}},
		{"multiple none", "q-multiple", Choices{}, false, 0, nil, []int{0, 1}, nil},
		{"true_false right", "q-true-false", Bool(true), true, 1, nil, nil, nil},
		{"true_false wrong", "q-true-false", Bool(false), false, 0, nil, nil, nil},
		{"short exact", "q-short", Text("--from"), true, 1, nil, nil, nil},
		{"short case and space", "q-short", Text("  FROM \t"), true, 1, nil, nil, nil},
		{"short pattern", "q-short", Text("--from=build"), true, 1, nil, nil, nil},
		{"short pattern must match whole answer", "q-short", Text("COPY --from=build"), false, 0, nil, nil, nil},
		{"short pattern is case-sensitive", "q-short", Text("--FROM=build"), false, 0, nil, nil, nil},
		{"short pattern after trimming", "q-short", Text("  --from=build  "), true, 1, nil, nil, nil},
		{"short wrong", "q-short", Text("--chown"), false, 0, nil, nil, nil},
		{"short empty", "q-short", Text("   "), false, 0, nil, nil, nil},
		{"order right", "q-order", Permutation{0, 1, 2, 3}, true, 3, nil, nil, nil},
		{"order wrong", "q-order", Permutation{2, 0, 1, 3}, false, 0, nil, nil, nil},
		{"spot_line right", "q-spot", Line(3), true, 1, []string{"Yes — the final stage starts from the whole toolchain."}, nil, nil},
		{"spot_line wrong with feedback", "q-spot", Line(1), false, 0, []string{"The build stage may be large; it does not ship."}, nil, nil},
		{"spot_line wrong without feedback", "q-spot", Line(4), false, 0, nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := qs[tt.question]
			r := q.Check(tt.answer)
			if r.Err != nil {
				t.Fatalf("Err = %v", r.Err)
			}
			if r.Correct != tt.correct || r.Points != tt.points || r.MaxPoints != q.Points {
				t.Errorf("Correct %v Points %d/%d, want %v %d/%d", r.Correct, r.Points, r.MaxPoints, tt.correct, tt.points, q.Points)
			}
			if !slices.Equal(r.Feedback, tt.feedback) {
				t.Errorf("Feedback %q, want %q", r.Feedback, tt.feedback)
			}
			if !slices.Equal(r.Missed, tt.missed) || !slices.Equal(r.Wrong, tt.wrong) {
				t.Errorf("Missed %v Wrong %v, want %v %v", r.Missed, r.Wrong, tt.missed, tt.wrong)
			}
		})
	}
}

func TestCheckOrderWithEqualItems(t *testing.T) {
	q := &Question{Type: TypeOrder, Points: 1, Items: []string{"COPY a", "RUN x", "COPY a"}}
	if r := q.Check(Permutation{2, 1, 0}); !r.Correct {
		t.Errorf("swapping two equal items is still the right order: %+v", r)
	}
	if r := q.Check(Permutation{1, 0, 2}); r.Correct {
		t.Errorf("wrong order scored right")
	}
}

func TestCheckPatternWithoutParse(t *testing.T) {
	q := &Question{Type: TypeShort, Points: 2, Pattern: `(?i)alpine(:\d+(\.\d+)*)?`}
	if r := q.Check(Text("Alpine:3.20")); !r.Correct || r.Points != 2 {
		t.Errorf("got %+v", r)
	}
}

func TestCheckInvalidAnswers(t *testing.T) {
	qs := questions(t)
	tests := []struct {
		question string
		answer   Answer
	}{
		{"q-single", Bool(true)},
		{"q-single", Choices{0, 1}},
		{"q-single", Choices{}},
		{"q-single", Choices{3}},
		{"q-multiple", Choices{-1}},
		{"q-true-false", Text("true")},
		{"q-short", Choices{0}},
		{"q-order", Permutation{0, 1, 2}},
		{"q-order", Permutation{0, 0, 1, 2}},
		{"q-order", Permutation{0, 1, 2, 4}},
		{"q-spot", Line(0)},
		{"q-spot", Line(5)},
		{"q-spot", Permutation{3}},
	}
	for _, tt := range tests {
		r := qs[tt.question].Check(tt.answer)
		if r.Err == nil || r.Correct || r.Points != 0 {
			t.Errorf("%s %#v: %+v, want an error scoring 0", tt.question, tt.answer, r)
		}
	}
}

func TestNormalizeShort(t *testing.T) {
	for in, want := range map[string]string{
		"  COPY   --from=build ":     "copy --from=build",
		"\tMulti\n Stage\u00a0Build": "multi stage build",
		"":                           "",
		"ÉTAPE":                      "étape",
	} {
		if got := NormalizeShort(in); got != want {
			t.Errorf("NormalizeShort(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPassed(t *testing.T) {
	qz := mustParse(t, "testdata/all-types.yaml") // 9 points, 75%
	for points, want := range map[int]bool{0: false, 6: false, 7: true, 9: true} {
		if got := qz.Passed(points); got != want {
			t.Errorf("Passed(%d) = %v, want %v (6.75 needed)", points, got, want)
		}
	}
}
