package quiz

import (
	"fmt"
	"strings"
	"testing"
)

// skewQuiz writes a quiz file of n single questions, the right option at rightAt (0-based) of
// three, and of true_false statements with the given answers.
func skewQuiz(t *testing.T, file string, singles []int, answers []bool, pinFirst bool) []*Question {
	t.Helper()
	var b strings.Builder
	b.WriteString("id: q\ntitle: Q\nlesson: l\nquestions:\n")
	for i, at := range singles {
		fmt.Fprintf(&b, "  - id: s%d\n    type: single\n    difficulty: easy\n    prompt: P\n", i)
		if pinFirst && i == 0 {
			b.WriteString("    shuffle: false\n")
		}
		b.WriteString("    options:\n")
		for k := range 3 {
			fmt.Fprintf(&b, "      - text: option %d\n", k)
			if k == at {
				b.WriteString("        correct: true\n")
			}
		}
	}
	for i, a := range answers {
		fmt.Fprintf(&b, "  - id: tf%d\n    type: true_false\n    difficulty: easy\n    prompt: P\n    answer: %v\n", i, a)
	}
	qz, err := Parse(file, []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return qz.Questions
}

func TestSkewWarnings(t *testing.T) {
	t.Run("right option first and most statements false", func(t *testing.T) {
		qs := skewQuiz(t, "quizzes/a.yaml", []int{0, 0, 0, 1, 2}, []bool{false, false, false, false, true}, true)
		qs = append(qs, skewQuiz(t, "quizzes/b.yaml", []int{0}, []bool{false}, false)...)
		got := SkewWarnings(qs)
		var lines []string
		for _, w := range got {
			lines = append(lines, w.Error())
		}
		want := []string{
			"quizzes/a.yaml:5:9: shuffle: false keeps the right option first",
			"quizzes/a.yaml:5:9: the right option is written first in 4 of the course's 6 single and multiple questions (67%; about 33% by chance), 3 of them here",
			"quizzes/a.yaml:51:9: 5 of the course's 6 true_false statements are false (83%), 4 of them here: a learner who always answers false scores 83%; make about half of them true",
			"quizzes/b.yaml:5:9: the right option is written first in 4 of the course's 6",
			"quizzes/b.yaml:14:9: 5 of the course's 6 true_false statements are false (83%), 1 of them here",
		}
		if len(lines) != len(want) {
			t.Fatalf("warnings:\n%s\nwant %d", strings.Join(lines, "\n"), len(want))
		}
		for i := range want {
			if !strings.HasPrefix(lines[i], want[i]) {
				t.Errorf("warning %d:\n%s\nwant it to start with\n%s", i, lines[i], want[i])
			}
		}
	})
	t.Run("balanced", func(t *testing.T) {
		qs := skewQuiz(t, "quizzes/a.yaml", []int{0, 1, 2, 1, 2, 0}, []bool{true, false, true, false, true, false}, false)
		if got := SkewWarnings(qs); len(got) != 0 {
			t.Errorf("a balanced course warned:\n%v", got)
		}
	})
	t.Run("too few to tell", func(t *testing.T) {
		qs := skewQuiz(t, "quizzes/a.yaml", []int{0, 0, 0, 0}, []bool{true, true, true, true}, false)
		if got := SkewWarnings(qs); len(got) != 0 {
			t.Errorf("four questions of a kind warned:\n%v", got)
		}
	})
	t.Run("mostly true", func(t *testing.T) {
		qs := skewQuiz(t, "quizzes/a.yaml", nil, []bool{true, true, true, true, false}, false)
		got := SkewWarnings(qs)
		if len(got) != 1 || !strings.Contains(got[0].Msg, "4 of the course's 5 true_false statements are true (80%)") || !strings.HasSuffix(got[0].Msg, "make about half of them false") {
			t.Errorf("warnings: %v", got)
		}
	})
}
