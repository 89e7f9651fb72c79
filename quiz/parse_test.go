package quiz

import (
	"errors"
	"os"
	"strings"
	"testing"
)

func mustParse(t testing.TB, file string) *Quiz {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	qz, err := Parse(file, data)
	if err != nil {
		t.Fatalf("Parse(%s): %v", file, err)
	}
	return qz
}

func TestParseEveryType(t *testing.T) {
	qz := mustParse(t, "testdata/all-types.yaml")
	if qz.ID != "all-types" || qz.Lesson != "stages" || qz.PassPercent != 75 || len(qz.Questions) != 6 {
		t.Fatalf("quiz = %+v", qz)
	}
	if got := qz.MaxPoints(); got != 1+2+1+1+3+1 {
		t.Errorf("MaxPoints = %d, want 9", got)
	}
	byID := map[string]*Question{}
	for _, q := range qz.Questions {
		byID[q.ID] = q
		if q.Quiz != "all-types" || q.Lesson != "stages" || q.File != "testdata/all-types.yaml" {
			t.Errorf("%s: quiz %q lesson %q file %q", q.ID, q.Quiz, q.Lesson, q.File)
		}
	}
	if q := byID["q-single"]; q.Points != 1 || q.Difficulty != Easy || len(q.Options) != 3 || q.Options[0].Feedback == "" || !q.Options[0].Correct || len(q.Hints) != 1 {
		t.Errorf("q-single = %+v", q)
	}
	if q := byID["q-true-false"]; !q.IsTrue {
		t.Errorf("q-true-false IsTrue = false")
	}
	if q := byID["q-spot"]; q.AnswerLine != 3 || len(q.LineFeedback) != 2 || len(q.CodeLines()) != 4 {
		t.Errorf("q-spot = %+v", q)
	}
	if q := byID["q-spot"]; q.IDPos != (Pos{Line: 55, Col: 9}) {
		t.Errorf("q-spot IDPos = %v, want 55:9", q.IDPos)
	}
}

// TestParseErrors feeds broken quizzes and expects every error, at its place, in order.
func TestParseErrors(t *testing.T) {
	const head = "id: q\ntitle: Q\nlesson: l\nquestions:\n" // questions start on line 5
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"unknown fields, all of them", head + `  - id: a
    type: single
    difficulty: easy
    prompt: P
    optoins: []
    colour: red
    options:
      - text: A
        correct: true
        feedbak: x
      - text: B
`, []string{
			`q.yaml:9:5: unknown field "optoins" in a question (did you mean "options"?)`,
			`q.yaml:10:5: unknown field "colour" in a question`,
			`q.yaml:14:9: unknown field "feedbak" in option 1 (did you mean "feedback"?)`,
		}},
		{"unknown quiz field", "id: q\ntitle: Q\nlesson: l\npass: 50\nquestions:\n  - {id: a, type: true_false, difficulty: easy, prompt: P, answer: true}\n", []string{
			`q.yaml:4:1: unknown field "pass" in the quiz`,
		}},
		{"missing quiz fields and questions", "title: Q\n", []string{
			`q.yaml:1:1: the quiz needs "id"`,
			`q.yaml:1:1: the quiz needs "lesson"`,
			`q.yaml:1:1: the quiz has no questions`,
		}},
		{"missing question fields", head + `  - type: true_false
    answer: false
`, []string{
			`q.yaml:5:5: the question needs "id"`,
			`q.yaml:5:5: the question needs "difficulty"`,
			`q.yaml:5:5: the question needs "prompt"`,
		}},
		{"true_false without answer", head + `  - id: a
    type: true_false
    difficulty: easy
    prompt: P
`, []string{
			`q.yaml:5:5: question "a" is true_false: it needs "answer: true" or "answer: false"`,
		}},
		{"two correct in single", head + `  - id: a
    type: single
    difficulty: easy
    prompt: P
    options:
      - text: A
        correct: true
      - text: B
        correct: true
      - text: C
        correct: true
`, []string{
			`q.yaml:13:18: option 2 is also correct: a single question has exactly one correct option (option 1, line 10); use type: multiple for more`,
			`q.yaml:15:18: option 3 is also correct: a single question has exactly one correct option (option 1, line 10); use type: multiple for more`,
		}},
		{"no correct in multiple", head + `  - id: a
    type: multiple
    difficulty: easy
    prompt: P
    options:
      - text: A
      - text: B
`, []string{
			`q.yaml:10:7: no option is marked correct: true (a multiple question needs at least one)`,
		}},
		{"no correct in single, one option, option without text", head + `  - id: a
    type: single
    difficulty: easy
    prompt: P
    options:
      - feedback: F
`, []string{
			`q.yaml:10:7: a single question needs at least 2 options, has 1`,
			`q.yaml:10:9: option 1 needs "text"`,
		}},
		{"bad type and bad difficulty", head + `  - id: a
    type: singel
    difficulty: eazy
    prompt: P
`, []string{
			`q.yaml:6:11: type "singel" is not one of single, multiple, true_false, short, order, spot_line (did you mean "single"?)`,
			`q.yaml:7:17: difficulty "eazy" is not one of easy, medium, hard (did you mean "easy"?)`,
		}},
		{"short with neither accept nor pattern", head + `  - id: a
    type: short
    difficulty: easy
    prompt: P
`, []string{
			`q.yaml:5:5: question "a" is short: it needs "accept" (accepted answers) or "pattern" (a regular expression), or both`,
		}},
		{"invalid regex", head + `  - id: a
    type: short
    difficulty: easy
    prompt: P
    pattern: '--from=(\w+'
`, []string{
			"q.yaml:9:14: pattern is not a valid Go regular expression: error parsing regexp: missing closing ): `--from=(\\w+`",
		}},
		{"spot_line answer_line out of range", head + `  - id: a
    type: spot_line
    difficulty: easy
    prompt: P
    code: |
      FROM a
      FROM b
    answer_line: 3
    line_feedback:
      0: zero
      2: fine
`, []string{
			`q.yaml:12:18: answer_line 3 is outside code (lines 1 to 2)`,
			`q.yaml:14:7: line_feedback for line 0: code has lines 1 to 2`,
		}},
		{"spot_line without code or answer_line", head + `  - id: a
    type: spot_line
    difficulty: easy
    prompt: P
`, []string{
			`q.yaml:5:5: question "a" is spot_line: it needs "code" (the lines to choose from)`,
			`q.yaml:5:5: question "a" is spot_line: it needs "answer_line" (the 1-based line of code that is wrong)`,
		}},
		{"order with one item", head + `  - id: a
    type: order
    difficulty: easy
    prompt: P
    items: [only]
`, []string{
			`q.yaml:9:12: question "a" is order: it needs at least 2 items, has 1`,
		}},
		{"duplicate question ids", head + `  - {id: a, type: true_false, difficulty: easy, prompt: P, answer: true}
  - {id: b, type: true_false, difficulty: easy, prompt: P, answer: true}
  - {id: a, type: true_false, difficulty: easy, prompt: P, answer: false}
`, []string{
			`q.yaml:7:10: question id "a" is already used at q.yaml:5:10`,
		}},
		{"fields of another type", head + `  - id: a
    type: true_false
    difficulty: easy
    prompt: P
    answer: true
    options: [{text: x}]
    accept: [x]
`, []string{
			`q.yaml:10:5: options is not used by true_false questions (it belongs to single and multiple)`,
			`q.yaml:11:5: accept is not used by true_false questions (it belongs to short)`,
		}},
		{"wrong value kinds", head + `  - id: a
    type: true_false
    difficulty: easy
    points: two
    prompt: P
    answer: yes
    tags: layers
`, []string{
			`q.yaml:8:13: points must be a whole number, not "two"`,
			`q.yaml:10:13: answer must be true or false, not "yes"`,
			`q.yaml:11:11: tags must be a list (- item lines or [a, b]), not "layers"`,
		}},
		{"bad ids, points and pass_percent", "id: Quiz One\ntitle: Q\nlesson: l\npass_percent: 120\nquestions:\n  - {id: A_1, type: true_false, difficulty: easy, prompt: P, answer: true, points: 0}\n", []string{
			`q.yaml:1:5: quiz id "Quiz One" must be lower-case letters and digits separated by dashes (like wig-layers-1)`,
			`q.yaml:4:15: pass_percent must be between 0 and 100, not 120`,
			`q.yaml:6:10: question id "A_1" must be lower-case letters and digits separated by dashes (like wig-layers-1)`,
			`q.yaml:6:84: points must be at least 1, not 0`,
		}},
		{"syntax error", head + "  - id: [a\n", []string{
			`q.yaml:5:9: sequence end token ']' not found`,
		}},
		{"empty file", "", []string{`q.yaml:1:1: the quiz file is empty`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parseErrs(t, tt.src)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func parseErrs(t *testing.T, src string) []string {
	t.Helper()
	_, err := Parse("q.yaml", []byte(src))
	if err == nil {
		return nil
	}
	var ve ValidationErrors
	if !errors.As(err, &ve) {
		t.Fatalf("error %v is not ValidationErrors", err)
	}
	return strings.Split(ve.Error(), "\n")
}
