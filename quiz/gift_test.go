package quiz_test

import (
	"bytes"
	"errors"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stagecraft/stagecraft/content"
	"github.com/stagecraft/stagecraft/lessons"
	"github.com/stagecraft/stagecraft/quiz"
)

func courseQuestions(t testing.TB) []*quiz.Question {
	t.Helper()
	c, err := lessons.Load(content.FS())
	if err != nil {
		t.Fatal(err)
	}
	return c.AllQuestions()
}

// same compares what a question asks, answers and explains (not where it came from).
func same(t *testing.T, got, want *quiz.Question, ignorePattern bool) {
	t.Helper()
	g, w := *got, *want
	for _, q := range []*quiz.Question{&g, &w} {
		q.Quiz, q.Lesson, q.Module, q.File, q.IDPos = "", "", "", "", quiz.Pos{}
		if len(q.LineFeedback) == 0 {
			q.LineFeedback = nil
		}
	}
	if ignorePattern {
		g.Pattern, w.Pattern = "", ""
	}
	if g.ContentHash() != w.ContentHash() {
		t.Errorf("%s: content changed:\n got %+v\nwant %+v", want.ID, g, w)
		return
	}
	// ContentHash ignores these; a round trip keeps them too.
	type kept struct {
		ID, Explanation, Prompt string
		Difficulty              quiz.Difficulty
		Points                  int
		Tags, Hints             []string
		Feedback                []string
		LineFeedback            map[int]string
		KeepOrder               bool
	}
	k := func(q quiz.Question) kept {
		var fb []string
		for _, o := range q.Options {
			fb = append(fb, o.Feedback)
		}
		return kept{q.ID, strings.TrimSpace(q.Explanation), strings.TrimSpace(q.Prompt), q.Difficulty, q.Points, q.Tags, q.Hints, fb, q.LineFeedback, q.KeepOrder}
	}
	if kg, kw := k(g), k(w); !reflect.DeepEqual(kg, kw) {
		t.Errorf("%s: details changed:\n got %+v\nwant %+v", want.ID, kg, kw)
	}
}

// TestGIFTRoundTripCourse exports every question of the course and imports it back: with the
// stagecraft comments every question comes back whole; without them (as an LMS would re-export)
// the types GIFT has — single, multiple, true_false, short — keep what they ask and answer.
func TestGIFTRoundTripCourse(t *testing.T) {
	qs := courseQuestions(t)
	var buf bytes.Buffer
	skipped, err := quiz.ExportGIFT(&buf, qs, "stagecraft")
	if err != nil {
		t.Fatal(err)
	}
	exported := map[string]*quiz.Question{}
	for _, q := range qs {
		exported[q.ID] = q
	}
	for _, s := range skipped {
		q := exported[s.ID]
		if !(q.Type == quiz.TypeShort && len(q.Accept) == 0) && !(q.Type == quiz.TypeOrder && len(q.Items) < 3) {
			t.Errorf("%s (%s) skipped: %s", s.ID, q.Type, s.Reason)
		}
		delete(exported, s.ID)
	}
	if !strings.HasPrefix(buf.String(), quiz.GIFTHeader) || !strings.Contains(buf.String(), "\n$CATEGORY: stagecraft/") {
		t.Fatal("no header or category")
	}

	t.Run("with comments", func(t *testing.T) {
		imp, err := quiz.ReadGIFT("course.gift", buf.Bytes(), quiz.GIFTOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(imp.Questions) != len(exported) {
			t.Fatalf("imported %d questions, exported %d", len(imp.Questions), len(exported))
		}
		for _, q := range imp.Questions {
			want := exported[q.ID]
			if want == nil {
				t.Errorf("imported an unknown question %s", q.ID)
				continue
			}
			same(t, q, want, false)
		}
		if len(imp.Warnings) > 0 {
			t.Errorf("warnings: %v", imp.Warnings)
		}
	})

	t.Run("as an LMS sees it", func(t *testing.T) {
		stripped := regexp.MustCompile(`(?m)^// stagecraft: .*\n`).ReplaceAll(buf.Bytes(), nil)
		imp, err := quiz.ReadGIFT("course.gift", stripped, quiz.GIFTOptions{})
		if err != nil {
			t.Fatal(err)
		}
		byID := map[string]*quiz.Question{}
		for _, q := range imp.Questions {
			byID[q.ID] = q
		}
		counts := map[quiz.Type]int{}
		for _, id := range slices.Sorted(maps.Keys(exported)) {
			want := exported[id]
			got := byID[id]
			if got == nil {
				t.Errorf("%s: not imported", id)
				continue
			}
			switch want.Type {
			case quiz.TypeSingle, quiz.TypeTrueFalse, quiz.TypeShort:
				if got.Type != want.Type {
					t.Errorf("%s: type %s, want %s", id, got.Type, want.Type)
					continue
				}
			case quiz.TypeMultiple:
				if len(want.CorrectOptions()) == 1 {
					continue // one right option weighs 100%: GIFT cannot tell it from single
				}
				if got.Type != want.Type {
					t.Errorf("%s: type %s, want %s", id, got.Type, want.Type)
					continue
				}
			default:
				continue
			}
			counts[want.Type]++
			w := *want
			if w.Code != "" { // shown under the prompt in GIFT
				w.Prompt = strings.TrimRight(w.Prompt, "\n") + "\n\n```dockerfile\n" + strings.TrimRight(w.Code, "\n") + "\n```"
				w.Code = ""
			}
			w.Difficulty, w.Points, w.Tags, w.Hints = quiz.Medium, 1, nil, nil
			same(t, got, &w, true)
			if want.Type == quiz.TypeShort && !slices.Equal(got.Accept, want.Accept) {
				t.Errorf("%s: accept %q, want %q", id, got.Accept, want.Accept)
			}
		}
		for _, typ := range []quiz.Type{quiz.TypeSingle, quiz.TypeMultiple, quiz.TypeTrueFalse, quiz.TypeShort} {
			if counts[typ] == 0 {
				t.Errorf("the course has no %s question that round-trips", typ)
			}
		}
		t.Logf("round trip without comments: %v", counts)
	})
}

// TestMarshalYAMLCourse writes every quiz of the course as YAML and parses it back.
func TestMarshalYAMLCourse(t *testing.T) {
	c, err := lessons.Load(content.FS())
	if err != nil {
		t.Fatal(err)
	}
	for _, qz := range c.Quizzes {
		data := quiz.MarshalYAML(qz)
		back, err := quiz.Parse(qz.File, data)
		if err != nil {
			t.Errorf("%s does not parse back:\n%v\n%s", qz.ID, err, data)
			continue
		}
		if back.ID != qz.ID || back.Title != qz.Title || back.Lesson != qz.Lesson || back.PassPercent != qz.PassPercent || len(back.Questions) != len(qz.Questions) {
			t.Errorf("%s: quiz fields changed", qz.ID)
			continue
		}
		for i, q := range back.Questions {
			same(t, q, qz.Questions[i], false)
		}
	}
}

func TestMarshalYAMLAwkwardText(t *testing.T) {
	q := &quiz.Question{ID: "x", Type: quiz.TypeShort, Difficulty: quiz.Easy, Points: 2,
		Tags:    []string{"a, b", "yes"},
		Prompt:  "  indented first line\nthen: colon # hash\n\n\nend\n\n",
		Accept:  []string{"--from", "true", "8080", "'quoted'", `back\slash`, "- dash", "a: b", "#x", " space"},
		Pattern: `--from=\S+ 'x'`,
		Hints:   []string{"multi\nline", "x"}, Explanation: "no newline\nat end"}
	qz := &quiz.Quiz{ID: "awk", Title: "Awkward: text", Lesson: "l", PassPercent: 55, Questions: []*quiz.Question{q}}
	data := quiz.MarshalYAML(qz)
	back, err := quiz.Parse("awk.yaml", data)
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	got := back.Questions[0]
	if got.Prompt != q.Prompt || !slices.Equal(got.Accept, q.Accept) || got.Pattern != q.Pattern ||
		!slices.Equal(got.Tags, q.Tags) || !slices.Equal(got.Hints, q.Hints) || got.Explanation != q.Explanation ||
		back.Title != qz.Title || back.PassPercent != 55 || got.Points != 2 {
		t.Errorf("changed:\n%#v\n%s", got, data)
	}
}

func TestReadGIFT(t *testing.T) {
	src := `// a comment
$CATEGORY: $course$/Docker

::Stages 1:: Which instruction starts a stage? {
	=FROM # yes
	~RUN # no
	~%50%COPY
}

::tf:: [markdown] The last stage is the image\: usually. {TRUE
####Unless --target picks another.}

Grant is {=entombed =buried =%50%lying} in Grant's tomb.

::multi:: Pick both {~%50%a ~%50%b ~%-100%c}

::arrow:: Which is a pipe? {=a -> b ~c}

::Stages 1:: dup id {=x}
`
	imp, err := quiz.ReadGIFT("in.gift", []byte(src), quiz.GIFTOptions{Difficulty: quiz.Hard})
	if err != nil {
		t.Fatal(err)
	}
	if imp.Category != "$course$/Docker" {
		t.Errorf("category %q", imp.Category)
	}
	want := []struct {
		id, prompt string
		typ        quiz.Type
		line       int
	}{
		{"stages-1", "Which instruction starts a stage?", quiz.TypeSingle, 4},
		{"tf", "The last stage is the image: usually.", quiz.TypeTrueFalse, 10},
		{"imported-3", "Grant is _____ in Grant's tomb.", quiz.TypeShort, 13},
		{"multi", "Pick both", quiz.TypeMultiple, 15},
		{"arrow", "Which is a pipe?", quiz.TypeSingle, 17},
		{"stages-1-6", "dup id", quiz.TypeShort, 19},
	}
	if len(imp.Questions) != len(want) {
		t.Fatalf("%d questions, want %d", len(imp.Questions), len(want))
	}
	for i, w := range want {
		q := imp.Questions[i]
		if q.ID != w.id || q.Prompt != w.prompt || q.Type != w.typ || imp.Lines[i] != w.line || q.Difficulty != quiz.Hard {
			t.Errorf("question %d: %s %q %s line %d (%s), want %s %q %s line %d", i, q.ID, q.Prompt, q.Type, imp.Lines[i], q.Difficulty, w.id, w.prompt, w.typ, w.line)
		}
	}
	q := imp.Questions[0]
	if len(q.Options) != 3 || !q.Options[0].Correct || q.Options[2].Correct || q.Options[0].Feedback != "yes" {
		t.Errorf("single options %+v", q.Options)
	}
	if !imp.Questions[1].IsTrue || imp.Questions[1].Explanation != "Unless --target picks another." {
		t.Errorf("true/false %+v", imp.Questions[1])
	}
	if !slices.Equal(imp.Questions[2].Accept, []string{"entombed", "buried"}) {
		t.Errorf("short accept %q", imp.Questions[2].Accept)
	}
	if got := imp.Questions[3].CorrectOptions(); !slices.Equal(got, []int{0, 1}) {
		t.Errorf("multiple correct %v", got)
	}
	if o := imp.Questions[4].Options; len(o) != 2 || o[0].Text != "a -> b" || !o[0].Correct {
		t.Errorf("an arrow in an option: %+v", o)
	}
	var warnings []string
	for _, w := range imp.Warnings {
		warnings = append(warnings, w.Error())
	}
	wantWarnings := []string{
		`in.gift:7:2: answer "COPY" gives 50% credit: stagecraft has no partial credit, so it counts as wrong`,
		`in.gift:13:29: answer "lying" gives 50% credit: stagecraft has no partial credit, so it is not accepted`,
		`in.gift:19:1: question id "stages-1" is already used by the question at line 4; this one is stages-1-6`,
	}
	if !slices.Equal(warnings, wantWarnings) {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(warnings, "\n"), strings.Join(wantWarnings, "\n"))
	}
	qz, data, err := quiz.QuizFromGIFT("in.gift", imp, "docker", "Docker", "stages")
	if err != nil || len(qz.Questions) != 6 {
		t.Fatalf("QuizFromGIFT: %v\n%s", err, data)
	}
}

func TestReadGIFTErrors(t *testing.T) {
	src := `::ok:: Fine {=a ~b}

::num:: How many? {#3:1}

::essay:: Tell me. {}

::match:: Pair them {=a -> 1 =b -> 2 =c -> 3}

Just a description.

::open:: Never closed {=a ~b

::none:: Nothing right {~a ~b}

::junk:: Text {oops =a ~b}

::weight:: Bad weight {~%x%a =b}
`
	imp, err := quiz.ReadGIFT("bad.gift", []byte(src), quiz.GIFTOptions{})
	var verrs quiz.ValidationErrors
	if !errors.As(err, &verrs) {
		t.Fatalf("error %v, want ValidationErrors", err)
	}
	want := []string{
		"bad.gift:3:19: a numerical question ({#…}) has no stagecraft type; write it as short with the accepted answers",
		"bad.gift:5:20: an essay question ({}) has no stagecraft type",
		"bad.gift:7:21: a matching question has no stagecraft type (only one exported from an order question, =Step 1 -> … =Step 2 -> …, is read)",
		"bad.gift:9:1: no answers ({…}): a description or a question without answers has no stagecraft type",
		"bad.gift:11:23: the answers opened here are never closed with }",
		"bad.gift:13:24: no answer is right: mark one with = (or a positive %weight%)",
		"bad.gift:15:16: \"oops\": each answer starts with = (right) or ~ (wrong)",
		"bad.gift:17:24: the weight of an answer is written %50% (a percentage between percent signs)",
	}
	var got []string
	for _, e := range verrs {
		got = append(got, e.Error())
	}
	if !slices.Equal(got, want) {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(imp.Questions) != 1 || imp.Questions[0].ID != "ok" {
		t.Errorf("the good question was not kept: %+v", imp.Questions)
	}
}

func TestQuizFromGIFTReportsGIFTLines(t *testing.T) {
	src := "::a:: First {=x ~y}\n\n::b:: Same options {=x ~x}\n"
	imp, err := quiz.ReadGIFT("dup.gift", []byte(src), quiz.GIFTOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = quiz.QuizFromGIFT("dup.gift", imp, "dup", "Dup", "l")
	if err == nil || !strings.Contains(err.Error(), `dup.gift:3:1: question "b": option 2 has the same text as option 1`) {
		t.Fatalf("error %v", err)
	}
}
