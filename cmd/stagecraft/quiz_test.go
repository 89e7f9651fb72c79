package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stagecraft/stagecraft/lessons"
	"github.com/stagecraft/stagecraft/progress"
	"github.com/stagecraft/stagecraft/progress/srs"
	"github.com/stagecraft/stagecraft/quiz"
)

// quizCourse is a small course written for these tests: two lessons, every question type, known
// points, difficulties and tags.
var quizCourse = map[string]string{
	"course.yaml": `title: Test course
modules:
  - id: basics
    title: Basics
`,
	"lessons/01-stages.md": "---\nid: stages\ntitle: Stages\nmodule: basics\norder: 1\n---\n\nText.\n",
	"lessons/02-copy.md":   "---\nid: copy\ntitle: Copy\nmodule: basics\norder: 2\n---\n\nText.\n",
	"quizzes/stages.yaml": `id: stages-quiz
title: Stages quiz
lesson: stages
pass_percent: 60
questions:
  - id: st-single
    type: single
    difficulty: easy
    tags: [stages]
    prompt: Which instruction starts a stage?
    hints: [Look at the first line.]
    options:
      - text: FROM
        correct: true
      - text: RUN
      - text: COPY
  - id: st-multiple
    type: multiple
    difficulty: medium
    points: 2
    tags: [stages, copy]
    prompt: Which of these copy from another stage?
    options:
      - text: COPY --from=build /a /a
        correct: true
      - text: COPY --from=0 /a /a
        correct: true
      - text: COPY . /a
  - id: st-tf
    type: true_false
    difficulty: easy
    tags: [stages]
    prompt: The last stage is the image you get.
    answer: true
  - id: st-spot
    type: spot_line
    difficulty: hard
    points: 2
    tags: [stages]
    prompt: Which line ships the compiler?
    code: |
      FROM golang AS build
      RUN go build -o /app
      FROM golang
      COPY --from=build /app /app
    answer_line: 3
`,
	"quizzes/copy.yaml": `id: copy-quiz
title: Copy quiz
lesson: copy
questions:
  - id: cp-short
    type: short
    difficulty: easy
    tags: [copy]
    prompt: Which COPY flag names the stage?
    accept: ["--from"]
  - id: cp-order
    type: order
    difficulty: medium
    tags: [copy]
    prompt: Put the lines in order.
    items:
      - FROM golang AS build
      - RUN go build -o /app
      - FROM scratch
      - COPY --from=build /app /app
  - id: cp-single-hard
    type: single
    difficulty: hard
    tags: [copy]
    prompt: What does COPY --from=0 name?
    options:
      - text: The first stage
        correct: true
      - text: The build context
`,
}

func writeQuizCourse(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range quizCourse {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

var quizT0 = time.Date(2025, 6, 2, 9, 0, 0, 0, time.UTC)

// stepClock is a clock that moves on by step each time it is read.
func stepClock(start time.Time, step time.Duration) func() time.Time {
	now := start
	return func() time.Time {
		t := now
		now = now.Add(step)
		return t
	}
}

type quizEnvT struct {
	t        *testing.T
	g        *globalOptions
	cache    string
	out, err *bytes.Buffer
	course   *lessons.Course
}

func newQuizEnv(t *testing.T, input string) *quizEnvT {
	t.Helper()
	dir := writeQuizCourse(t)
	out, errw := &bytes.Buffer{}, &bytes.Buffer{}
	g := &globalOptions{Course: dir, DB: filepath.Join(t.TempDir(), "progress.db"), Learner: "ann",
		In: strings.NewReader(input), Out: out, Err: errw}
	c, err := loadCourse(g)
	if err != nil {
		t.Fatal(err)
	}
	return &quizEnvT{t: t, g: g, out: out, err: errw, course: c, cache: t.TempDir()}
}

// factory is a factory on the test course and store, with the bank cache in e.cache. The
// service's clock is its own, so that what the service reads of it moves no answer's time.
func (e *quizEnvT) factory() *factory {
	f := testFactory(e.t, e.g)
	f.Now = stepClock(quizT0, time.Second)
	f.CacheDir = func() (string, error) { return e.cache, nil }
	return f
}

// options are `stagecraft quiz` options on e, with e.g.In as it is now, not on a terminal.
func (e *quizEnvT) options() *quizOptions {
	o := newQuizOptions(e.factory())
	o.Now = stepClock(quizT0, time.Second)
	o.IsTerminal = func(any) bool { return false }
	return o
}

func (e *quizEnvT) store(t *testing.T) *progress.Store {
	t.Helper()
	st, err := progress.Open(context.Background(), e.g.DB, progress.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// typed is the line a learner types to answer q right (or wrong) when its options or order
// items were shown in the order shown (q.ShownOrder of the session's seed and place).
func typed(t *testing.T, q *quiz.Question, shown quiz.Permutation, right bool) string {
	t.Helper()
	switch q.Type {
	case quiz.TypeSingle, quiz.TypeMultiple:
		var letters []string
		for i, o := range q.Options {
			if o.Correct == right {
				letters = append(letters, quiz.OptionLetter(quiz.ShownPosition(shown, i)))
			}
		}
		if !right || q.Type == quiz.TypeSingle {
			letters = letters[:1]
		}
		return strings.Join(letters, ", ")
	case quiz.TypeTrueFalse:
		return strconv.FormatBool(q.IsTrue == right)
	case quiz.TypeShort:
		if right {
			return q.Accept[0]
		}
		return "no idea"
	case quiz.TypeOrder:
		pos := make([]string, len(shown))
		for k, item := range shown {
			pos[item] = strconv.Itoa(k + 1)
		}
		if !right {
			slices.Reverse(pos)
		}
		return strings.Join(pos, " ")
	case quiz.TypeSpotLine:
		if right {
			return strconv.Itoa(q.AnswerLine)
		}
		return strconv.Itoa(q.AnswerLine%len(q.CodeLines()) + 1)
	}
	t.Fatalf("no typed answer for %s", q.Type)
	return ""
}

// TestQuizPlainExam sits a whole exam through stdin: an invalid line, a hint request, a repeat,
// right, wrong and skipped answers; then checks the printed score, the JSON report and what the
// progress store holds.
func TestQuizPlainExam(t *testing.T) {
	e := newQuizEnv(t, "")
	all := e.course.AllQuestions()
	const seed = 11
	drawn := quiz.Draw(all, 7, seed)
	if len(drawn) != 7 {
		t.Fatalf("drew %d", len(drawn))
	}
	// Right answers except for the 2nd (wrong) and the 3rd (skipped).
	var lines []string
	wantCorrect := map[string]bool{}
	score, maxScore := 0, 0
	var wantMissed []string
	for i, q := range drawn {
		maxScore += q.Points
		shown := q.ShownOrder(seed + uint64(i))
		switch i {
		case 0:
			lines = append(lines, "h", "?")
			switch q.Type {
			case quiz.TypeShort: // any text is a short answer: no invalid line for it
			case quiz.TypeSingle, quiz.TypeMultiple:
				lines = append(lines, "Z")
			default:
				lines = append(lines, "zz")
			}
			lines = append(lines, typed(t, q, shown, true))
			wantCorrect[q.ID] = true
			score += q.Points
		case 1:
			lines = append(lines, typed(t, q, shown, false))
			wantCorrect[q.ID] = false
			wantMissed = append(wantMissed, q.ID)
		case 2:
			lines = append(lines, "s")
			wantMissed = append(wantMissed, q.ID)
		default:
			lines = append(lines, typed(t, q, shown, true))
			wantCorrect[q.ID] = true
			score += q.Points
		}
	}
	e.g.In = strings.NewReader(strings.Join(lines, "\n") + "\n")
	report := filepath.Join(t.TempDir(), "exam.json")
	o := e.options()
	o.Exam, o.Count, o.Seed, o.SeedSet, o.Time, o.Pass, o.Report = true, 7, seed, true, 20*time.Minute, 60, report

	err := runQuiz(context.Background(), o)
	passed := score*100 >= 60*maxScore
	var ex *exitError
	switch {
	case passed && err != nil:
		t.Fatalf("passed exam: %v\n%s", err, e.out)
	case !passed && (!errors.As(err, &ex) || ex.code != exitFailed):
		t.Fatalf("failed exam: error %v, want exit 1\n%s", err, e.out)
	}
	text := e.out.String()
	for _, want := range []string{
		fmt.Sprintf("Exam: 7 questions drawn across difficulties (--seed %d draws them and their option order again), 20:00 to answer, pass mark 60%%.", seed),
		"Question 1 of 7 · ",
		"No hints in an exam.",
		"Question 7 of 7 · ",
		fmt.Sprintf("Exam: %d/%d points", score, maxScore),
		"6 of 7 answered",
		"The questions you missed:",
		"Skipped. The answer: ",
		"Report written to " + report,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if drawn[0].Type != quiz.TypeShort && !strings.Contains(text, ": type "+quiz.AnswerSyntax(drawn[0])+"\n") {
		t.Errorf("no message for the invalid answer of %s", drawn[0].Type)
	}
	if strings.Count(text, "Question 1 of 7 · ") != 2 {
		t.Errorf("? did not repeat the first question")
	}
	if strings.Contains(text, "Right.") || strings.Contains(text, "Not right.") {
		t.Errorf("the exam gave feedback before the end")
	}

	// The report.
	data, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	var sum quiz.Summary
	if err := json.Unmarshal(data, &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Schema != quiz.SummarySchema || sum.Score != score || sum.MaxScore != maxScore || sum.Passed != passed ||
		sum.Answered != 6 || sum.Total != 7 || !slices.Equal(sum.Missed, wantMissed) {
		t.Errorf("report: %+v\nwant score %d/%d missed %v", sum, score, maxScore, wantMissed)
	}
	tally := 0
	for _, d := range quiz.Difficulties() {
		tally += sum.ByDifficulty[d].Total
	}
	if tally != 7 || len(sum.ByTag) == 0 {
		t.Errorf("by difficulty %v, by tag %v", sum.ByDifficulty, sum.ByTag)
	}

	// The store: one finished run, one answer per answered question, right ones right.
	st := e.store(t)
	ctx := context.Background()
	runs, err := st.QuizRuns(ctx, "ann", "")
	if err != nil || len(runs) != 1 {
		t.Fatalf("runs %v, %v", runs, err)
	}
	if r := runs[0]; r.Quiz != "session:exam" || r.Finished.IsZero() || r.Score != progress.PointsOf(int64(score)) || r.MaxScore != progress.PointsOf(int64(maxScore)) {
		t.Errorf("run %+v", r)
	}
	answers, err := st.Answers(ctx, "ann", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(answers) != len(wantCorrect) {
		t.Fatalf("%d answers saved, want %d", len(answers), len(wantCorrect))
	}
	for _, a := range answers {
		want, ok := wantCorrect[a.Question]
		if !ok || a.Correct != want || a.RunUID != runs[0].UID || a.HintsUsed != 0 || a.Given == "" {
			t.Errorf("saved answer %+v, want correct %v", a, want)
		}
		if q := e.course.Question(a.Question); a.ContentHash != q.ContentHash() {
			t.Errorf("%s saved with hash %s", a.Question, a.ContentHash)
		}
	}
}

// TestQuizPlainPractice runs one lesson's whole quiz with hints and feedback, and files the run
// under that quiz.
func TestQuizPlainPractice(t *testing.T) {
	e := newQuizEnv(t, "")
	qz := e.course.Quiz("stages-quiz")
	const seed = 5
	var lines []string
	for i, q := range qz.Questions {
		if i == 0 {
			lines = append(lines, "h", "h")
		}
		lines = append(lines, typed(t, q, q.ShownOrder(seed+uint64(i)), i != 1))
	}
	multi := qz.Questions[1]
	multiShown := multi.ShownOrder(seed + 1)
	e.g.In = strings.NewReader(strings.Join(lines, "\n") + "\n")
	o := e.options()
	o.Lessons, o.Seed, o.SeedSet = []string{"stages"}, seed, true
	if err := runQuiz(context.Background(), o); err != nil {
		t.Fatalf("%v\n%s", err, e.out)
	}
	text := e.out.String()
	for _, want := range []string{
		"Stages quiz (--lesson stages): 4 questions, pass mark 60%.",
		"--seed 5 shows this order again.",
		"Hint 1 of 1: Look at the first line.",
		"No more hints.",
		"Right. +1",
		"Not right. The answer: " + quiz.RightAnswer(multi, multiShown),
		quiz.OptionLetter(quiz.ShownPosition(multiShown, 0)) + ") COPY --from=build /a /a",
		"  3 | FROM golang", // spot_line code is numbered
		"Stages quiz: 4/6 points (66.6%), passed (pass mark 60%).",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q\n%s", want, text)
		}
	}
	st := e.store(t)
	runs, _ := st.QuizRuns(context.Background(), "ann", "stages-quiz")
	if len(runs) != 1 || runs[0].Score != progress.PointsOf(4) {
		t.Errorf("runs %+v", runs)
	}
	answers, _ := st.Answers(context.Background(), "ann", "st-single")
	if len(answers) != 1 || answers[0].HintsUsed != 1 || !answers[0].Correct || answers[0].Rating != srs.Hard {
		t.Errorf("a right answer after a hint: %+v", answers)
	}
	// The lesson's whole quiz, passed: the lesson is complete, as from the app.
	done, _ := st.Completions(context.Background(), "ann")
	if len(done) != 1 || done[0].Lesson != "stages" {
		t.Errorf("completions after passing --lesson stages: %+v", done)
	}
}
