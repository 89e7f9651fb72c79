package quiz

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseAnswer(t *testing.T) {
	qs := map[string]*Question{}
	for _, q := range sessionQuestions(t) {
		qs[q.ID] = q
	}
	shown := Permutation{2, 0, 3, 1} // shown: 1=FROM scratch, 2=FROM golang, 3=COPY, 4=RUN
	tests := []struct {
		question, input string
		want            Answer
		err             string // part of the error; "" for none
	}{
		{"s-single", "a", Choices{0}, ""},
		{"s-single", " B ", Choices{1}, ""},
		{"s-single", "2", Choices{1}, ""},
		{"s-single", "C", nil, "there is no option C: type one option: a letter A–B or a number 1–2"},
		{"s-single", "3", nil, "there is no option 3"},
		{"s-single", "A B", nil, "pick only one option, a letter A–B or a number 1–2"},
		{"s-single", "", nil, "no answer: type one option"},
		{"s-single", "FROM", nil, `"FROM": pick only one option`},
		{"s-multiple", "A, C", Choices{0, 2}, ""},
		{"s-multiple", "1 3", Choices{0, 2}, ""},
		{"s-multiple", "ac", Choices{0, 2}, ""},
		{"s-multiple", "b;a", Choices{1, 0}, ""},
		{"s-multiple", "A, D", nil, "there is no option D: type every right option: letters A–C"},
		{"s-multiple", "A, x1", nil, `"x1" is not an option`},
		{"s-tf", "T", Bool(true), ""},
		{"s-tf", "yes", Bool(true), ""},
		{"s-tf", "No", Bool(false), ""},
		{"s-tf", "false", Bool(false), ""},
		{"s-tf", "maybe", nil, `"maybe" is not true or false`},
		{"s-short", "  --from  ", Text("--from"), ""},
		{"s-short", "   ", nil, "no answer: type your answer as text"},
		{"s-order", "2 4 1 3", Permutation{0, 1, 2, 3}, ""},
		{"s-order", "2,4,1,3", Permutation{0, 1, 2, 3}, ""},
		{"s-order", "1 2 3", nil, `names 3 items, there are 4: type the 4 item numbers in the right order, e.g. 4 3 2 1`},
		{"s-order", "1 1 2 3", nil, "item 1 is named twice"},
		{"s-order", "1 2 3 5", nil, `"5" is not an item number 1–4`},
		{"s-spot", "3", Line(3), ""},
		{"s-spot", "5", nil, `"5" is not a line of the code: type a line number 1–4`},
		{"s-spot", "three", nil, "not a line of the code"},
	}
	for _, tt := range tests {
		got, err := ParseAnswer(qs[tt.question], tt.input, shown)
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("%s %q: %v", tt.question, tt.input, err)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("%s %q: error %v, want one containing %q", tt.question, tt.input, err, tt.err)
		case !reflect.DeepEqual(got, tt.want):
			t.Errorf("%s %q = %#v, want %#v", tt.question, tt.input, got, tt.want)
		}
	}
	// Shown letters name the options on the screen; the answer names the author's.
	for _, tt := range []struct {
		question, input string
		shown           Permutation
		want            Choices
	}{
		{"s-single", "A", Permutation{1, 0}, Choices{1}},
		{"s-single", "2", Permutation{1, 0}, Choices{0}},
		{"s-multiple", "A, C", Permutation{2, 0, 1}, Choices{2, 1}},
		{"s-multiple", "bc", Permutation{2, 0, 1}, Choices{0, 1}},
	} {
		got, err := ParseAnswer(qs[tt.question], tt.input, tt.shown)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s %q shown %v = %v, %v; want %v", tt.question, tt.input, tt.shown, got, err, tt.want)
		}
	}
	// Without a shown order, order answers name the author's items.
	if got, err := ParseAnswer(qs["s-order"], "1 2 3 4", nil); err != nil || !qs["s-order"].Check(got).Correct {
		t.Errorf("order without shown order: %v, %v", got, err)
	}
}

func TestFormatAnswerRoundTrip(t *testing.T) {
	for _, q := range sessionQuestions(t) {
		var a Answer
		switch q.Type {
		case TypeSingle:
			a = Choices{1}
		case TypeMultiple:
			a = Choices{0, 2}
		case TypeTrueFalse:
			a = Bool(false)
		case TypeShort:
			a = Text("--from")
		case TypeOrder:
			a = Permutation{3, 1, 0, 2}
		case TypeSpotLine:
			a = Line(2)
		}
		text := FormatAnswer(q, a)
		back, err := ParseAnswer(q, text, nil) // stored order answers name the author's items
		if err != nil || !reflect.DeepEqual(back, a) {
			t.Errorf("%s: %#v → %q → %#v, %v", q.ID, a, text, back, err)
		}
	}
	if FormatAnswer(nil, nil) != "" {
		t.Error("a skipped answer formats as text")
	}
}
