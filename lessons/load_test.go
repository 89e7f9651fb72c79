package lessons

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stagecraft/stagecraft/quiz"
	"github.com/stagecraft/stagecraft/quiz/yamlpos"
)

// baseCourse is a small valid course; each case of TestLoadErrors breaks one thing in a copy.
func baseCourse() fstest.MapFS {
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	return fstest.MapFS{
		"course.yaml": file(`title: T
modules:
  - id: m1
    title: M1
  - id: m2
    title: M2
`),
		"lessons/01-a.md": file(`---
id: a
title: A
module: m1
order: 1
quiz: qa
exercises: [ex1]
---
# A

Text.
`),
		"lessons/02-b.md": file(`---
id: b
title: B
module: m1
order: 2
---
# B
`),
		"lessons/03-c.md": file(`---
id: c
title: C
module: m2
order: 1
---
# C
`),
		"quizzes/qa.yaml": file(`id: qa
title: QA
lesson: a
questions:
  - id: qa-1
    type: true_false
    difficulty: easy
    prompt: P
    answer: true
`),
		"exercises/ex1/exercise.yaml": file(`id: ex1
title: E
lesson: a
difficulty: easy
points: 10
context: context
starter: starter.Dockerfile
solution: solution.Dockerfile
brief: Do it.
checks:
  - id: two
    kind: stage_count
    min: 2
    points: 10
    message: Two stages.
`),
		"exercises/ex1/starter.Dockerfile":  file("FROM busybox\n"),
		"exercises/ex1/solution.Dockerfile": file("FROM busybox AS build\nFROM busybox\n"),
		"exercises/ex1/context/f.txt":       file("x\n"),
	}
}

func TestLoadBaseCourse(t *testing.T) {
	c, err := Load(baseCourse())
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	var order []string
	for _, l := range c.Lessons {
		order = append(order, l.ID)
	}
	if !slices.Equal(order, []string{"a", "b", "c"}) {
		t.Errorf("lessons in order %v", order)
	}
	if c.QuizForLesson("a") != c.Quiz("qa") || c.QuizForLesson("b") != nil {
		t.Errorf("QuizForLesson wrong")
	}
	if c.Question("qa-1").Module != "m1" {
		t.Errorf("question's module = %q, want m1", c.Question("qa-1").Module)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name   string
		change map[string]string // file → new content ("" deletes it)
		want   []string
	}{
		{"lesson names a quiz that does not exist", map[string]string{
			"lessons/02-b.md": "---\nid: b\ntitle: B\nmodule: m1\norder: 2\nquiz: qz\n---\n# B\n",
		}, []string{
			`lessons/02-b.md:6:7: quiz "qz" does not exist (no quizzes/*.yaml has id: qz) (did you mean "qa"?)`,
		}},
		{"lesson names an exercise that does not exist", map[string]string{
			"lessons/02-b.md": "---\nid: b\ntitle: B\nmodule: m1\norder: 2\nexercises: [ex1, go-build]\n---\n# B\n",
		}, []string{
			`lessons/02-b.md:6:18: exercise "go-build" does not exist (no exercises/go-build/exercise.yaml)`,
		}},
		{"lesson in an unknown module", map[string]string{
			"lessons/02-b.md": "---\nid: b\ntitle: B\nmodule: m3\norder: 2\n---\n# B\n",
		}, []string{
			`lessons/02-b.md:4:9: module "m3" is not in course.yaml (modules: m1, m2) (did you mean "m1"?)`,
		}},
		{"duplicate lesson id across files", map[string]string{
			"lessons/04-d.md": "---\nid: a\ntitle: D\nmodule: m2\norder: 2\n---\n# D\n",
		}, []string{
			`lessons/04-d.md:2:5: lesson id "a" is already used by lessons/01-a.md:2:5`,
		}},
		{"duplicate question id across quizzes", map[string]string{
			"quizzes/qb.yaml": "id: qb\ntitle: QB\nlesson: b\nquestions:\n  - {id: qb-1, type: true_false, difficulty: easy, prompt: P, answer: false}\n  - {id: qa-1, type: true_false, difficulty: easy, prompt: P, answer: false}\n",
		}, []string{
			`quizzes/qb.yaml:6:10: question id "qa-1" is already used at quizzes/qa.yaml:5:9`,
		}},
		{"quiz whose lesson does not exist", map[string]string{
			"quizzes/qb.yaml": "id: qb\ntitle: QB\nlesson: bb\nquestions:\n  - {id: qb-1, type: true_false, difficulty: easy, prompt: P, answer: false}\n",
		}, []string{
			`quizzes/qb.yaml:3:9: lesson "bb" does not exist (no lessons/*.md has id: bb) (did you mean "b"?)`,
		}},
		{"duplicate order in a module", map[string]string{
			"lessons/02-b.md": "---\nid: b\ntitle: B\nmodule: m1\norder: 1\n---\n# B\n",
		}, []string{
			`lessons/02-b.md:5:8: order 1 is already used in module "m1" by lesson "a" at lessons/01-a.md:5:8`,
		}},
		{"the same order in two modules is fine", map[string]string{
			"lessons/03-c.md": "---\nid: c\ntitle: C\nmodule: m2\norder: 2\n---\n# C\n",
		}, nil},
		{"lesson names the quiz of another lesson", map[string]string{
			"lessons/02-b.md": "---\nid: b\ntitle: B\nmodule: m1\norder: 2\nquiz: qa\n---\n# B\n",
		}, []string{
			`lessons/02-b.md:6:7: quiz "qa" belongs to lesson "a" (quizzes/qa.yaml:3:9), not to this one`,
		}},
		{"two quizzes for one lesson", map[string]string{
			"quizzes/qb.yaml": "id: qb\ntitle: QB\nlesson: a\nquestions:\n  - {id: qb-1, type: true_false, difficulty: easy, prompt: P, answer: false}\n",
		}, []string{
			`quizzes/qb.yaml:3:9: lesson "a" already has quiz "qa" (quizzes/qa.yaml:1:5): one quiz per lesson`,
		}},
		{"duplicate quiz id", map[string]string{
			"quizzes/qb.yaml": "id: qa\ntitle: QB\nlesson: b\nquestions:\n  - {id: qb-1, type: true_false, difficulty: easy, prompt: P, answer: false}\n",
		}, []string{
			`quizzes/qb.yaml:1:5: quiz id "qa" is already used by quizzes/qa.yaml:1:5`,
		}},
		{"a broken quiz reports its own errors, not every reference to it", map[string]string{
			"quizzes/qa.yaml": "id: qa\ntitle: QA\nlesson: a\nquestions:\n  - id: qa-1\n    type: true_false\n    difficulty: easy\n    prompt: P\n",
		}, []string{
			`quizzes/qa.yaml:5:5: question "qa-1" is true_false: it needs "answer: true" or "answer: false"`,
		}},
		{"front matter: unknown field, wrong kind, missing field", map[string]string{
			"lessons/02-b.md": "---\nid: b\ntitle: B\nmodule: m1\norder: second\nminuts: 5\n---\n# B\n",
		}, []string{
			`lessons/02-b.md:5:8: order must be a whole number, not "second"`,
			`lessons/02-b.md:6:1: unknown field "minuts" in the front matter (did you mean "minutes"?)`,
		}},
		{"front matter: missing fields", map[string]string{
			"lessons/02-b.md": "---\nid: b\n---\n# B\n",
		}, []string{
			`lessons/02-b.md:2:1: the lesson needs "title"`,
			`lessons/02-b.md:2:1: the lesson needs "module"`,
			`lessons/02-b.md:2:1: the lesson needs "order"`,
		}},
		{"no front matter", map[string]string{
			"lessons/02-b.md": "# B\n",
		}, []string{
			`lessons/02-b.md:1:1: a lesson starts with front matter: a --- line, YAML (id, title, module, order, …), and another --- line`,
		}},
		{"front matter never closed", map[string]string{
			"lessons/02-b.md": "---\nid: b\ntitle: B\n# B\n",
		}, []string{
			`lessons/02-b.md:1:1: the front matter opened here is never closed by a --- line`,
		}},
		{"front matter YAML syntax error", map[string]string{
			"lessons/02-b.md": "---\nid: b\ntitle: [B\nmodule: m1\norder: 2\n---\n# B\n",
		}, []string{
			`lessons/02-b.md:4:1: ',' or ']' must be specified`,
		}},
		{"lesson without text", map[string]string{
			"lessons/02-b.md": "---\nid: b\ntitle: B\nmodule: m1\norder: 2\n---\n\n",
		}, []string{
			`lessons/02-b.md:6:1: the lesson has no text after its front matter`,
		}},
		{"code line too wide", map[string]string{
			"lessons/02-b.md": "---\nid: b\ntitle: B\nmodule: m1\norder: 2\n---\n# B\n\n```dockerfile\nFROM busybox\nRUN " + strings.Repeat("x", 60) + "\n```\n\nA long prose line is fine: " + strings.Repeat("word ", 30) + "\n",
		}, []string{
			`lessons/02-b.md:11:59: this code line is 64 columns wide; code in lessons must fit in 58 so that it is not re-wrapped in a 60-column terminal`,
		}},
		{"exercise: wrong id, unknown lesson, missing files, checks not a list", map[string]string{
			"exercises/ex1/exercise.yaml": "id: ex2\ntitle: E\nlesson: aa\ndifficulty: easy\npoints: 10\ncontext: context/f.txt\nstarter: start.Dockerfile\nsolution: ../../course.yaml\nbrief: B\nchecks: two stages\n",
		}, []string{
			`exercises/ex1/exercise.yaml:1:5: id "ex2" must be the folder's name, "ex1"`,
			`exercises/ex1/exercise.yaml:3:9: lesson "aa" does not exist (no lessons/*.md has id: aa) (did you mean "a"?)`,
			`exercises/ex1/exercise.yaml:6:10: context "context/f.txt" is a file; it must be a folder`,
			`exercises/ex1/exercise.yaml:7:10: starter "start.Dockerfile" does not exist (looked for exercises/ex1/start.Dockerfile)`,
			`exercises/ex1/exercise.yaml:8:11: solution "../../course.yaml" must be a path inside the exercise's folder`,
			`exercises/ex1/exercise.yaml:10:9: checks must be a list of checks (- id: …, kind: …)`,
		}},
		{"exercise: missing fields and bad values", map[string]string{
			"exercises/ex1/exercise.yaml": "id: ex1\ntitle: E\nlesson: a\ndifficulty: tough\npoints: 0\nstarter: starter.Dockerfile\nsolution: solution.Dockerfile\nchecks:\n  - {id: b, kind: builds, points: 1, message: m}\n",
		}, []string{
			`exercises/ex1/exercise.yaml:1:1: the exercise needs "brief"`,
			`exercises/ex1/exercise.yaml:4:13: difficulty "tough" is not one of easy, medium, hard`,
			`exercises/ex1/exercise.yaml:5:9: points must be at least 1, not 0`,
		}},
		{"exercise folder without exercise.yaml", map[string]string{
			"exercises/ex9/notes.txt": "x",
		}, []string{
			`exercises/ex9: an exercise folder needs an exercise.yaml`,
		}},
		{"course.yaml: unknown field, duplicate module, bad id", map[string]string{
			"course.yaml": "title: T\ndescription: D\nmodules:\n  - id: m1\n    title: M1\n  - id: m2\n    title: M2\n  - id: m1\n    title: Again\n  - id: M 3\n    title: M3\n",
		}, []string{
			`course.yaml:2:1: unknown field "description" in course.yaml`,
			`course.yaml:8:9: module id "m1" is already used at course.yaml:4:9`,
			`course.yaml:10:9: module id "M 3" must be lower-case letters and digits separated by dashes (like wig-layers-1)`,
		}},
		{"course.yaml missing", map[string]string{"course.yaml": ""}, []string{
			`course.yaml: missing: a course folder has a course.yaml with its title and modules`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := baseCourse()
			for name, content := range tt.change {
				if content == "" {
					delete(fsys, name)
				} else {
					fsys[name] = &fstest.MapFile{Data: []byte(content)}
				}
			}
			got := loadErrors(t, fsys)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func loadErrors(t *testing.T, fsys fstest.MapFS) []string {
	t.Helper()
	c, err := Load(fsys)
	if err == nil {
		if c == nil {
			t.Fatal("Load returned neither a course nor an error")
		}
		return nil
	}
	var ve quiz.ValidationErrors
	if !errors.As(err, &ve) {
		t.Fatalf("error %v is not ValidationErrors", err)
	}
	if c != nil {
		t.Errorf("Load returned a course with errors")
	}
	return strings.Split(ve.Error(), "\n")
}

// TestLoadReportsCheckErrors: the typed checks (the sandbox's) are validated with the rest of
// the course, at their place in exercise.yaml. The message is the sandbox's; only its place is
// asserted here.
func TestLoadReportsCheckErrors(t *testing.T) {
	fsys := baseCourse()
	fsys["exercises/ex1/exercise.yaml"] = &fstest.MapFile{Data: []byte(
		"id: ex1\ntitle: E\nlesson: a\ndifficulty: easy\npoints: 10\nstarter: starter.Dockerfile\nsolution: solution.Dockerfile\nbrief: B\n" +
			"checks:\n  - id: two\n    kind: stage_count\n    min: many\n    points: 10\n    message: M\n")}
	got := loadErrors(t, fsys)
	if len(got) == 0 || !strings.HasPrefix(got[0], "exercises/ex1/exercise.yaml:12:10: ") {
		t.Errorf("errors %q, want one at exercises/ex1/exercise.yaml:12:10 (min's value)", got)
	}
}

func TestRawChecksKeepPositions(t *testing.T) {
	fsys := baseCourse()
	fsys["exercises/ex1/exercise.yaml"] = &fstest.MapFile{Data: []byte(
		"id: ex1\ntitle: E\nlesson: a\ndifficulty: easy\npoints: 10\nstarter: starter.Dockerfile\nsolution: solution.Dockerfile\nbrief: B\n" +
			"checks:\n  - id: two\n    kind: stage_count\n    min: 2\n    points: 10\n    message: M\n\n  # trailing comment\n\nhints: [h]\n")}
	c, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	ex := c.Exercise("ex1")
	if ex.ChecksLine != 10 || ex.Context != "" || ex.Starter != "exercises/ex1/starter.Dockerfile" {
		t.Fatalf("ChecksLine %d Context %q Starter %q", ex.ChecksLine, ex.Context, ex.Starter)
	}
	if strings.Contains(string(ex.RawChecks), "hints") {
		t.Errorf("RawChecks runs into the next key:\n%s", ex.RawChecks)
	}
	// A decoder of the raw checks reports positions in exercise.yaml.
	d := &yamlpos.Decoder{File: ex.File}
	items := d.Seq("checks", d.Parse(ex.RawChecks, ex.ChecksLine))
	keys := d.Map(items[0], "a check", yamlpos.Fields{"id": nil, "kind": nil, "min": nil, "points": nil, "message": nil})
	if p := keys.Pos("kind"); len(d.Errs) > 0 || p != (yamlpos.Pos{Line: 11, Col: 11}) {
		t.Errorf("kind at %v (errors %v), want 11:11", p, d.Errs)
	}
}

func TestRawValueFlowList(t *testing.T) {
	data := []byte("id: x\nchecks: [{id: one, kind: builds}]\nhints: [h]\n")
	d := &yamlpos.Decoder{File: "e.yaml"}
	raw, line := rawValue(data, d.Parse(data, 1), "checks")
	if want := "        [{id: one, kind: builds}]\n"; string(raw) != want || line != 2 {
		t.Errorf("rawValue = %q line %d, want %q line 2", raw, line, want)
	}
	if raw, line := rawValue(data, d.Parse(data, 1), "missing"); raw != nil || line != 0 {
		t.Errorf("rawValue of a missing key = %q, %d", raw, line)
	}
}

func TestLookups(t *testing.T) {
	c := loadExample(t)
	if c.Title == "" || len(c.Modules) != 1 || len(c.Lessons) != 2 || len(c.Quizzes) != 2 || len(c.Exercises) != 1 {
		t.Fatalf("course: %d modules %d lessons %d quizzes %d exercises", len(c.Modules), len(c.Lessons), len(c.Quizzes), len(c.Exercises))
	}
	first, second := c.Lesson("first-stage"), c.Lesson("copy-from")
	if first == nil || second == nil || c.Lesson("nope") != nil {
		t.Fatal("Lesson lookup")
	}
	if c.Next(first) != second || c.Next(second) != nil || c.Prev(second) != first || c.Prev(first) != nil {
		t.Error("Next/Prev")
	}
	if m := c.Module("basics"); m == nil || len(m.Lessons) != 2 || m.Lessons[0] != first {
		t.Error("Module lookup")
	}
	if q := c.QuizForLesson("copy-from"); q == nil || q.ID != "copy-from" {
		t.Error("QuizForLesson")
	}
	if ex := c.ExercisesForLesson("copy-from"); len(ex) != 1 || ex[0].ID != "keep-the-artifact" {
		t.Errorf("ExercisesForLesson = %v", ex)
	}
	if ex := c.ExercisesForLesson("first-stage"); len(ex) != 0 {
		t.Errorf("first-stage has exercises %v", ex)
	}
	all := c.AllQuestions()
	var types []quiz.Type
	for _, q := range all {
		if q.Module != "basics" {
			t.Errorf("%s: Module %q", q.ID, q.Module)
		}
		if c.Question(q.ID) != q {
			t.Errorf("Question(%s)", q.ID)
		}
		types = append(types, q.Type)
	}
	if all[0].Lesson != "first-stage" {
		t.Errorf("AllQuestions does not start with the first lesson's quiz")
	}
	for _, typ := range quiz.Types() {
		if !slices.Contains(types, typ) {
			t.Errorf("the example course has no %s question", typ)
		}
	}
	if ex := c.Exercise("keep-the-artifact"); ex == nil || len(ex.RawChecks) == 0 || ex.Context != "exercises/keep-the-artifact/context" {
		t.Errorf("exercise = %+v", ex)
	}
}

func loadExample(t testing.TB) *Course {
	t.Helper()
	c, err := Load(os.DirFS("../docs/example-course"))
	if err != nil {
		t.Fatalf("docs/example-course: %v", err)
	}
	return c
}
