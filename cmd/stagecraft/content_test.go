package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stagecraft/stagecraft/sandbox/check"
	"github.com/stagecraft/stagecraft/sandbox/check/spec"
)

const exampleCourse = "../../docs/example-course"

func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var ex *exitError
	if errors.As(err, &ex) {
		return ex.code
	}
	return -1
}

// runRoot runs stagecraft with args, as main does, and returns its output and exit code.
func runRoot(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errw bytes.Buffer
	root := newRootCmd(strings.NewReader(""), &out, &errw)
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	return out.String(), errw.String(), exitCode(err)
}

func TestContentCheckExampleCourse(t *testing.T) {
	out, errw, code := runRoot(t, "content", "check", exampleCourse)
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errw)
	}
	want := filepath.Clean(exampleCourse) + ": ok — 1 module, 2 lessons, 2 quizzes (6 questions), 1 exercise\n"
	if out != want {
		t.Errorf("output %q, want %q", out, want)
	}
}

func TestContentCheckCourseFlag(t *testing.T) {
	out, _, code := runRoot(t, "--course", exampleCourse, "content", "check")
	if code != exitOK || !strings.Contains(out, "docs/example-course: ok") {
		t.Errorf("--course: exit %d, %q", code, out)
	}
}

func TestContentCheckEmbeddedCourse(t *testing.T) {
	out, errw, code := runRoot(t, "content", "check")
	if code != exitOK || !strings.HasPrefix(out, "content: ok — ") {
		t.Errorf("exit %d\n%s%s", code, out, errw)
	}
}

// brokenCourse copies the example course into a temp folder and breaks it in three files.
func brokenCourse(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "course")
	if err := os.CopyFS(dir, os.DirFS(exampleCourse)); err != nil {
		t.Fatal(err)
	}
	edit := func(name, old, new string) {
		p := filepath.Join(dir, name)
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), old) {
			t.Fatalf("%s has no %q", name, old)
		}
		if err := os.WriteFile(p, []byte(strings.Replace(string(data), old, new, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	edit("lessons/02-copy-from.md", "module: basics", "module: basic")
	edit("quizzes/first-stage.yaml", "difficulty: easy", "difficulty: simple")
	edit("quizzes/copy-from.yaml", "answer_line: 4", "answer_line: 7")
	return dir
}

func TestContentCheckReportsEveryError(t *testing.T) {
	dir := brokenCourse(t)
	var out, errw bytes.Buffer
	err := runContentCheck(context.Background(), &contentCheckOptions{Dir: dir, Out: &out, Err: &errw})
	if code := exitCode(err); code != exitFailed {
		t.Fatalf("exit %d (%v), want %d", code, err, exitFailed)
	}
	want := []string{
		dir + `/lessons/02-copy-from.md:4:9: module "basic" is not in course.yaml (modules: basics) (did you mean "basics"?)`,
		dir + `/quizzes/copy-from.yaml:38:18: answer_line 7 is outside code (lines 1 to 4)`,
		dir + `/quizzes/first-stage.yaml:8:17: difficulty "simple" is not one of easy, medium, hard`,
	}
	if got := strings.Split(strings.TrimSpace(out.String()), "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("output:\n%s\nwant:\n%s", out.String(), strings.Join(want, "\n"))
	}
	if errw.String() != dir+": 3 errors\n" {
		t.Errorf("stderr %q", errw.String())
	}
}

func TestContentCheckBadFolder(t *testing.T) {
	file := filepath.Join(t.TempDir(), "course.yaml")
	if err := os.WriteFile(file, []byte("title: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{filepath.Join(t.TempDir(), "missing"), file} {
		_, errw, code := runRoot(t, "content", "check", dir)
		if code != exitUsage {
			t.Errorf("%s: exit %d, want %d (%s)", dir, code, exitUsage, errw)
		}
	}
	if _, _, code := runRoot(t, "content", "check", "a", "b"); code == exitOK {
		t.Error("two folders accepted")
	}
}

func TestLoadCourse(t *testing.T) {
	c, err := loadCourse(&globalOptions{})
	if err != nil || len(c.Lessons) == 0 {
		t.Fatalf("built-in course: %v", err)
	}
	c, err = loadCourse(&globalOptions{Course: exampleCourse})
	if err != nil || c.Lesson("copy-from") == nil {
		t.Fatalf("--course example: %v", err)
	}
	missing := filepath.Join(t.TempDir(), "nope")
	_, err = loadCourse(&globalOptions{Course: missing})
	if exitCode(err) != exitUsage || !strings.Contains(err.Error(), "course folder "+missing+" does not exist") {
		t.Errorf("missing folder: %v", err)
	}
	dir := brokenCourse(t)
	_, err = loadCourse(&globalOptions{Course: dir})
	if exitCode(err) != exitUsage || !strings.Contains(err.Error(), "has 3 errors") ||
		!strings.Contains(err.Error(), dir+"/quizzes/first-stage.yaml:8:17: ") ||
		!strings.Contains(err.Error(), "stagecraft content check "+dir) {
		t.Errorf("broken course: %v", err)
	}
}

// TestContentCheckWarnsOfSkew: a course whose right options are all written first and whose
// true_false statements are mostly false passes the check with warnings at file:line:col.
func TestContentCheckWarnsOfSkew(t *testing.T) {
	dir := writeQuizCourse(t)
	files := map[string]string{
		"lessons/03-skew.md": "---\nid: skew\ntitle: Skew\nmodule: basics\norder: 3\n---\n\nText.\n",
		"quizzes/skew.yaml": `id: skew-quiz
title: Skew quiz
lesson: skew
questions:
  - id: sk-pinned
    type: single
    difficulty: easy
    prompt: Which?
    shuffle: false
    options:
      - text: this
        correct: true
      - text: that
  - id: sk-single
    type: single
    difficulty: easy
    prompt: Which?
    options:
      - text: this
        correct: true
      - text: that
  - {id: sk-tf1, type: true_false, difficulty: easy, prompt: P, answer: false}
  - {id: sk-tf2, type: true_false, difficulty: easy, prompt: P, answer: false}
  - {id: sk-tf3, type: true_false, difficulty: easy, prompt: P, answer: false}
  - {id: sk-tf4, type: true_false, difficulty: easy, prompt: P, answer: false}
`,
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, errw, code := runRoot(t, "content", "check", dir)
	if code != exitOK {
		t.Fatalf("warnings changed the exit status to %d\n%s%s", code, out, errw)
	}
	skew, stages := filepath.Join(dir, "quizzes", "skew.yaml"), filepath.Join(dir, "quizzes", "stages.yaml")
	for _, want := range []string{
		skew + ":5:9: warning: shuffle: false keeps the right option first",
		skew + ":5:9: warning: the right option is written first in 5 of the course's 5 single and multiple questions (100%; about 50% by chance), 2 of them here",
		stages + ":6:9: warning: the right option is written first in 5 of the course's 5",
		filepath.Join(dir, "quizzes", "copy.yaml") + ":21:9: warning: the right option is written first in 5 of the course's 5",
		skew + ":22:10: warning: 4 of the course's 5 true_false statements are false (80%), 4 of them here",
	} {
		if !strings.Contains(out, "\n"+want) {
			t.Errorf("output lacks %q\n%s", want, out)
		}
	}
	if !strings.Contains(errw, "5 warnings") {
		t.Errorf("stderr %q", errw)
	}
}

func TestJudgeCase(t *testing.T) {
	rep := func(passed bool, score int64, failing ...string) *check.Report {
		r := &check.Report{Passed: passed, Score: spec.Whole(score), MaxScore: spec.Whole(100)}
		for _, id := range []string{"builds", "leak", "serves"} {
			st := check.StatusPass
			if slices.Contains(failing, id) {
				st = check.StatusFail
			}
			r.Checks = append(r.Checks, check.CheckResult{ID: id, Status: st, Message: id + " said so"})
		}
		return r
	}
	tests := []struct {
		name string
		t    buildTarget
		rep  *check.Report
		want string // "" for as declared
	}{
		{"pass as declared", buildTarget{wantPass: true}, rep(true, 100), ""},
		{"pass case that fails", buildTarget{wantPass: true}, rep(false, 70, "leak"), "should pass, scored 70/100: leak (fail): leak said so"},
		{"fail case that passes", buildTarget{fails: []string{"leak"}}, rep(true, 100), "should fail, but scored 100/100"},
		{"fail case failing what it declares", buildTarget{fails: []string{"leak"}}, rep(false, 40, "leak", "serves"), ""},
		{"fail case failing something else", buildTarget{fails: []string{"leak"}}, rep(false, 60, "serves"), "should fail leak, but those pass or are skipped (it fails serves; scored 60/100)"},
	}
	for _, tc := range tests {
		if got := judge(tc.t, tc.rep); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}
