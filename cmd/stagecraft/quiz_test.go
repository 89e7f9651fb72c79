package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
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
	"github.com/stagecraft/stagecraft/study"
	"github.com/stagecraft/stagecraft/tui"
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
}

// TestQuizReviewOrder prepares review cards through the progress API and checks that review asks
// the due ones in the scheduler's order, then new ones, and leaves the not-yet-due alone.
func TestQuizReviewOrder(t *testing.T) {
	e := newQuizEnv(t, "")
	ctx := context.Background()
	st := e.store(t)
	record := func(id string, correct bool, at time.Time) {
		t.Helper()
		q := e.course.Question(id)
		if _, err := st.RecordAnswer(ctx, "ann", progress.Answer{Question: id, QuestionType: string(q.Type),
			ContentHash: q.ContentHash(), Correct: correct, Took: 30 * time.Second, At: at}); err != nil {
			t.Fatal(err)
		}
	}
	record("st-tf", true, quizT0.Add(-60*24*time.Hour))     // long ago: most overdue
	record("st-single", false, quizT0.Add(-2*24*time.Hour)) // forgotten two days ago
	record("cp-short", true, quizT0.Add(-time.Hour))        // just learned: not due
	record("st-spot", true, quizT0.Add(-20*24*time.Hour))
	due, err := st.DueCards(ctx, "ann", quizT0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var dueIDs []string
	for _, c := range due {
		dueIDs = append(dueIDs, c.Question)
	}
	if slices.Contains(dueIDs, "cp-short") || len(dueIDs) < 2 {
		t.Fatalf("the prepared cards are not as the test expects: due %v", dueIDs)
	}
	counts, _ := st.DueCounts(ctx, "ann", quizT0)
	st.Close()

	// Answer the first question wrong, then quit.
	first := e.course.Question(dueIDs[0])
	e.g.In = strings.NewReader(typed(t, first, first.ShownOrder(3), false) + "\nq\n")
	o := e.options()
	o.Review, o.Seed, o.SeedSet = true, 3, true
	if err := runQuiz(ctx, o); err != nil {
		t.Fatalf("%v\n%s", err, e.out)
	}
	// Due first (the store's order), then never-answered in course order; cp-short waits.
	var want []string
	want = append(want, dueIDs...)
	for _, q := range e.course.AllQuestions() {
		if !slices.Contains([]string{"st-tf", "st-single", "cp-short", "st-spot"}, q.ID) {
			want = append(want, q.ID)
		}
	}
	text := e.out.String()
	for _, w := range []string{
		fmt.Sprintf("Review: %d due now, %d due today, %d due tomorrow.", counts.Now, counts.Today, counts.Tomorrow),
		fmt.Sprintf("This session: %d questions, %d due and %d new.", len(want), len(dueIDs), len(want)-len(dueIDs)),
		fmt.Sprintf("Question 1 of %d", len(want)),
		strings.TrimSpace(first.Prompt),
		"Reviews now due:",
	} {
		if !strings.Contains(text, w) {
			t.Errorf("output lacks %q\n%s", w, text)
		}
	}

	st2 := e.store(t)
	svc := study.New(study.Config{Course: e.course, Store: st2, Learner: "ann", Now: func() time.Time { return quizT0 }})
	p, err := svc.Plan(ctx, e.course.AllQuestions(), study.Request{Mode: quiz.ModeReview, Seed: 3, SeedSet: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, q := range p.Questions {
		got = append(got, q.ID)
	}
	// After the wrong answer the first card is due again soon, but not at quizT0: the order at
	// quizT0 without it is the rest of the due ones, then the new ones.
	card, _, _ := st2.Card(ctx, "ann", dueIDs[0])
	if card.Due.After(quizT0) {
		want = want[1:]
	}
	if !slices.Equal(got, want) {
		t.Errorf("review order %v, want %v", got, want)
	}
}

func TestQuizBadInput(t *testing.T) {
	tests := []struct {
		name string
		set  func(o *quizOptions)
		want string
	}{
		{"unknown lesson", func(o *quizOptions) { o.Lessons = []string{"stagez"} }, "--lesson stagez: no such lesson (did you mean stages?)"},
		{"lesson by part of its name", func(o *quizOptions) { o.Lessons = []string{"cop"} }, "--lesson cop: no such lesson (did you mean copy?)"},
		{"unknown lesson, nothing near", func(o *quizOptions) { o.Lessons = []string{"networking"} }, "--lesson networking: no such lesson; the lessons are stages, copy"},
		{"unknown module", func(o *quizOptions) { o.Modules = []string{"basic"} }, "--module basic: no such module (did you mean basics?); the modules are basics"},
		{"unknown tag", func(o *quizOptions) { o.Tags = []string{"stage"} }, "--tag stage: no question has this tag (did you mean stages?)"},
		{"empty filter", func(o *quizOptions) {
			o.Lessons, o.Difficulties = []string{"copy"}, []string{"easy", "hard"}
			o.Tags = []string{"stages"}
		}, "no question matches --lesson copy --tag stages --difficulty easy --difficulty hard: each filter narrows the choice"},
		{"empty difficulty", func(o *quizOptions) {
			o.Lessons, o.Difficulties = []string{"stages"}, []string{"hard"}
			o.Tags = []string{"copy"}
		},
			"no question matches --lesson stages --tag copy --difficulty hard: without --difficulty there are 1 medium"},
		{"bad difficulty", func(o *quizOptions) { o.Difficulties = []string{"hardd"} }, `--difficulty "hardd": use easy, medium or hard (did you mean hard?)`},
		{"two modes", func(o *quizOptions) { o.Review, o.Exam = true, true }, "--review and --exam are different modes"},
		{"report format", func(o *quizOptions) { o.Report = "r.txt" }, "--report r.txt: name a .json or .md file"},
		{"pass mark", func(o *quizOptions) { o.Pass = 101 }, "--pass 101: the pass mark is a percentage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newQuizEnv(t, "a\n")
			o := e.options()
			tt.set(o)
			err := runQuiz(context.Background(), o)
			var ex *exitError
			if !errors.As(err, &ex) || ex.code != exitUsage || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want exit 2 with %q", err, tt.want)
			}
		})
	}
}

// TestQuizInputEnds: stdin ends mid-quiz; the answers given are saved, the run is finished, the
// exit status is 2 with a clear message.
func TestQuizInputEnds(t *testing.T) {
	e := newQuizEnv(t, "")
	first := e.course.Question("st-single")
	e.g.In = strings.NewReader(typed(t, first, first.ShownOrder(9), true) + "\n")
	o := e.options()
	o.Lessons, o.Seed, o.SeedSet = []string{"stages"}, 9, true
	err := runQuiz(context.Background(), o)
	var ex *exitError
	if !errors.As(err, &ex) || ex.code != exitUsage || !strings.Contains(err.Error(), "the input ended before the quiz did: the 1 answer given is saved; give one answer per line") {
		t.Fatalf("error %v", err)
	}
	if !strings.Contains(e.out.String(), "The input ended before the quiz did; the 1 answer given is saved.") {
		t.Errorf("output:\n%s", e.out)
	}
	st := e.store(t)
	answers, _ := st.Answers(context.Background(), "ann", "")
	runs, _ := st.QuizRuns(context.Background(), "ann", "")
	// The answer is kept; the run is not scored: 1 of 4 answered is not a best of 1/6.
	if len(answers) != 1 || !answers[0].Correct || len(runs) != 1 || !runs[0].Finished.IsZero() || runs[0].Score != 0 {
		t.Errorf("answers %+v runs %+v", answers, runs)
	}
}

// An input that ends before the first answer records no run and no score.
func TestQuizInputEndsBeforeAnyAnswer(t *testing.T) {
	e := newQuizEnv(t, "")
	e.g.In = strings.NewReader("")
	o := e.options()
	o.Lessons, o.Seed, o.SeedSet = []string{"stages"}, 9, true
	err := runQuiz(context.Background(), o)
	if err == nil || !strings.Contains(err.Error(), "no answer was given") {
		t.Fatalf("error %v", err)
	}
	st := e.store(t)
	runs, _ := st.QuizRuns(context.Background(), "ann", "")
	for _, r := range runs {
		if !r.Finished.IsZero() {
			t.Errorf("a quiz with no answers is stored as finished: %+v", r)
		}
	}
}

// TestQuizTimeRunsOut: the clock passes the limit while a question waits: the late answer does
// not count and the exam ends.
func TestQuizTimeRunsOut(t *testing.T) {
	e := newQuizEnv(t, "A\nA\nA\n")
	o := e.options()
	o.Exam, o.Count, o.Seed, o.SeedSet, o.Time = true, 5, 1, true, 10*time.Minute
	o.Now = stepClock(quizT0, 2*time.Minute)
	err := runQuiz(context.Background(), o)
	var ex *exitError
	if !errors.As(err, &ex) || ex.code != exitFailed {
		t.Fatalf("error %v, want exit 1 (not passed)", err)
	}
	text := e.out.String()
	if !strings.Contains(text, "Time is up;") || !strings.Contains(text, "Time 10:00 of 10:00.") {
		t.Errorf("output:\n%s", text)
	}
}

// TestQuizTUIPath: on a terminal the interactive screen runs with the session's options.
func TestQuizTUIPath(t *testing.T) {
	e := newQuizEnv(t, "")
	o := e.options()
	o.Exam, o.Count, o.Time = true, 3, 20*time.Minute
	o.IsTerminal = func(any) bool { return true }
	var got tui.QuizOptions
	o.RunTUI = func(_ context.Context, opts tui.QuizOptions) (quiz.Summary, error) {
		got = opts
		return quiz.Summary{Score: 3, MaxScore: 3, Passed: true, PassPercent: 70, Answered: 3, Total: 3}, nil
	}
	if err := runQuiz(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	if p := got.Plan; p == nil || p.Mode != quiz.ModeExam || got.TimeLimit != 20*time.Minute || len(p.Questions) != 3 || got.Study == nil ||
		got.Study.Learner() != "ann" || !got.Study.Saves() || p.QuizID != "session:exam" || p.Pass != 70 || got.Course == nil {
		t.Errorf("tui options %+v", got)
	}
	if !strings.Contains(e.out.String(), "Exam: 3/3 points, passed (pass mark 70%); 3 of 3 answered.") {
		t.Errorf("output %q", e.out)
	}
	// --plain wins over a terminal.
	o.Plain, got = true, tui.QuizOptions{}
	o.In = strings.NewReader("q\n")
	runQuiz(context.Background(), o)
	if got.Plan != nil {
		t.Error("--plain ran the TUI")
	}
}

// TestQuizExportImport exports the test course as GIFT and JSON through the CLI, imports the
// GIFT back, and parses the result as a quiz.
func TestQuizExportImport(t *testing.T) {
	dir := writeQuizCourse(t)
	tmp := t.TempDir()
	run := func(args ...string) (string, string, error) {
		out, errw := &bytes.Buffer{}, &bytes.Buffer{}
		root := newRootCmd(strings.NewReader(""), out, errw)
		root.SetArgs(append([]string{"--course", dir}, args...))
		err := root.ExecuteContext(context.Background())
		return out.String(), errw.String(), err
	}
	gift := filepath.Join(tmp, "stages.gift")
	if _, _, err := run("quiz", "export", "--format", "gift", "--out", gift); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(gift)
	for _, want := range []string{"// Exported by stagecraft", "$CATEGORY: stagecraft/stages-quiz", "::st-spot::", "=Line 3\\: FROM golang", "=Step 1 -> FROM golang AS build"} {
		if !bytes.Contains(data, []byte(want)) {
			t.Errorf("GIFT lacks %q", want)
		}
	}
	yamlFile := filepath.Join(tmp, "stages.yaml")
	_, stderr, err := run("quiz", "import", gift, "--out", yamlFile, "--lesson", "stages", "--title", "Back")
	if err != nil {
		t.Fatalf("%v %s", err, stderr)
	}
	back, _ := os.ReadFile(yamlFile)
	qz, err := quiz.Parse("stages.yaml", back)
	if err != nil {
		t.Fatalf("%v\n%s", err, back)
	}
	if qz.ID != "stages" || qz.Lesson != "stages" || qz.Title != "Back" || len(qz.Questions) != 7 {
		t.Errorf("imported quiz %s %s %q with %d questions", qz.ID, qz.Lesson, qz.Title, len(qz.Questions))
	}
	c, _ := lessons.Load(os.DirFS(dir))
	for _, q := range qz.Questions {
		if orig := c.Question(q.ID); orig == nil || orig.ContentHash() != q.ContentHash() || orig.Difficulty != q.Difficulty {
			t.Errorf("%s did not come back the same", q.ID)
		}
	}

	out, _, err := run("quiz", "export", "--format", "json", "--lesson", "copy")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Schema    string              `json:"schema"`
		Questions []quiz.QuestionJSON `json:"questions"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || doc.Schema != quiz.ExportSchema || len(doc.Questions) != 3 {
		t.Errorf("json export: %v %+v", err, doc)
	}

	bad := filepath.Join(tmp, "bad.gift")
	os.WriteFile(bad, []byte("::a:: ok {=x ~y}\n\n::b:: How many? {#3}\n"), 0o644)
	_, _, err = run("quiz", "import", bad)
	var ex *exitError
	if !errors.As(err, &ex) || ex.code != exitUsage || !strings.Contains(err.Error(), "bad.gift:3:17: a numerical question") {
		t.Errorf("import of a bad file: %v", err)
	}
	if _, _, err := run("quiz", "export", "--format", "qti"); err == nil || !strings.Contains(err.Error(), "--format \"qti\": use gift or json") {
		t.Errorf("bad format: %v", err)
	}
}

// BenchmarkQuizPlainFirstQuestion measures `stagecraft quiz --plain` in process, from runQuiz
// to the first question printed and its prompt flushed (ms-first-question), on the embedded
// course with the question bank cached (as from the second run on), on a store that exists and
// on a new one. ns/op is the whole run: the first question, q, saving, the summary.
func BenchmarkQuizPlainFirstQuestion(b *testing.B) {
	for _, fresh := range []bool{false, true} {
		name := "existing-store"
		if fresh {
			name = "new-store"
		}
		b.Run(name, func(b *testing.B) {
			dir, cache := b.TempDir(), b.TempDir()
			var first time.Duration
			for i := range b.N {
				db := filepath.Join(dir, "progress.db")
				if fresh {
					db = filepath.Join(dir, fmt.Sprintf("p%d.db", i))
				}
				out := &bytes.Buffer{}
				g := &globalOptions{DB: db, Learner: "bench", In: strings.NewReader("q\n"), Out: out, Err: out}
				start := time.Now()
				f := newFactory(g)
				f.CacheDir = func() (string, error) { return cache, nil }
				o := newQuizOptions(f)
				o.Plain, o.Ready = true, func() { first += time.Since(start) }
				if err := runQuiz(context.Background(), o); err != nil {
					b.Fatal(err)
				}
				f.Close()
			}
			b.ReportMetric(float64(first.Microseconds())/1000/float64(b.N), "ms-first-question")
		})
	}
}

// BenchmarkQuizBinaryFirstQuestion measures the built binary: process start to the first
// question's prompt read from its stdout pipe (ms-first-question), with an existing store.
func BenchmarkQuizBinaryFirstQuestion(b *testing.B) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		b.Skip("no go tool to build the binary")
	}
	dir := b.TempDir()
	bin := filepath.Join(dir, "stagecraft")
	if out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("building: %v\n%s", err, out)
	}
	db := filepath.Join(dir, "progress.db")
	runOnce := func() time.Duration {
		cmd := exec.Command(bin, "quiz", "--plain", "--db", db, "--learner", "bench")
		cmd.Env = append(os.Environ(), "STAGECRAFT_CACHE="+filepath.Join(dir, "cache"))
		stdin, _ := cmd.StdinPipe()
		stdout, _ := cmd.StdoutPipe()
		start := time.Now()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		var seen []byte
		buf := make([]byte, 64<<10)
		var took time.Duration
		for {
			n, err := stdout.Read(buf)
			seen = append(seen, buf[:n]...)
			if bytes.Contains(seen, []byte("\n> ")) {
				took = time.Since(start)
				break
			}
			if err != nil {
				b.Fatalf("no question before %v:\n%s", err, seen)
			}
		}
		io.WriteString(stdin, "q\n")
		stdin.Close()
		io.Copy(io.Discard, stdout)
		if err := cmd.Wait(); err != nil {
			b.Fatal(err)
		}
		return took
	}
	runOnce() // create the store and the question bank cache, as a learner's first run does
	b.Run("quiz-plain", func(b *testing.B) {
		var total time.Duration
		for range b.N {
			total += runOnce()
		}
		b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms-first-question")
	})
	// The floor: the same binary doing nothing (--version), start to exit. What the binary's
	// package initialisation costs is in both figures.
	b.Run("version-floor", func(b *testing.B) {
		var total time.Duration
		for range b.N {
			start := time.Now()
			if out, err := exec.Command(bin, "--version").CombinedOutput(); err != nil {
				b.Fatalf("%v: %s", err, out)
			}
			total += time.Since(start)
		}
		b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms-to-exit")
	})
}
