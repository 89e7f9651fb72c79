package tui

import (
	"time"

	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/stagecraft/stagecraft/quiz"
	"github.com/stagecraft/stagecraft/sandbox/check"
	"github.com/stagecraft/stagecraft/study"
)

func forSizes(t *testing.T, fn func(t *testing.T, w, h int)) {
	for _, sz := range sizes {
		t.Run(itoa(sz.w)+"x"+itoa(sz.h), func(t *testing.T) { fn(t, sz.w, sz.h) })
	}
}

// A new learner: the map, the filter, help, a lesson read to the end, its quiz; then the map
// shows the progress and the cursor where they left off.
func TestCourseFlow(t *testing.T) {
	forSizes(t, func(t *testing.T, w, h int) {
		hs := newHarness(t, "course", w, h, nil)
		hs.golden("home-new")
		hs.contains("▸ · Your first stage")

		hs.keys("?")
		hs.golden("help")
		hs.contains("filter")
		hs.keys("esc")

		hs.keys("/", "copy")
		hs.golden("home-filter")
		hs.keys("esc")
		hs.contains("Your first stage")

		hs.keys("enter")
		if hs.lesson() == nil {
			t.Fatalf("enter on a lesson opens it; screen is %T", hs.top())
		}
		hs.golden("lesson-top")
		hs.keys("end")
		hs.golden("lesson-end")
		hs.contains("✓ read")
		reads, err := hs.store.Reads(context.Background(), "ada", "first-stage")
		if err != nil || len(reads) != 1 {
			t.Fatalf("reaching the end records one read; got %v, %v", reads, err)
		}

		// n and p move between lessons.
		hs.keys("n")
		hs.contains("Copying from a stage")
		hs.keys("p")
		hs.contains("Your first stage")

		// The quiz: single, multiple, true_false.
		hs.keys("t")
		if hs.quiz() == nil {
			t.Fatal("t opens the lesson's quiz")
		}
		hs.golden("quiz-single")
		// Options are shuffled by a seed from the (fixed) test clock: letters are positions on
		// the screen, and the answer names the author's option.
		q := hs.quiz().sess.Questions[0]
		right := quiz.ShownPosition(hs.quiz().sess.ShownOrder(), q.CorrectOptions()[0])
		hs.keys("h")
		hs.golden("quiz-hint")
		hs.keys(strings.ToLower(quiz.OptionLetter(right))) // a letter picks
		hs.keys("enter")
		hs.golden("quiz-single-right")
		hs.contains("✓ Right")
		hs.keys("enter")

		hs.golden("quiz-multiple")
		q = hs.quiz().sess.Questions[1]
		wrong := 0
		for i, o := range q.Options {
			if !o.Correct {
				wrong = i
			}
		}
		hs.keys(strings.ToLower(quiz.OptionLetter(quiz.ShownPosition(hs.quiz().sess.ShownOrder(), wrong))))
		hs.keys("enter")
		hs.golden("quiz-multiple-wrong")
		hs.contains("✗ Not quite")
		hs.keys("enter")

		hs.golden("quiz-true-false")
		hs.keys("t", "enter", "enter")
		hs.golden("quiz-summary")
		hs.contains("By difficulty")
		hs.contains("To review")

		// Every answer was saved as it was given, in one run.
		runs, err := hs.store.QuizRuns(context.Background(), "ada", "first-stage")
		if err != nil || len(runs) != 1 || runs[0].Finished.IsZero() {
			t.Fatalf("one finished run; got %+v, %v", runs, err)
		}
		answers, _ := hs.store.Answers(context.Background(), "ada", q.ID)
		if len(answers) != 1 || answers[0].Correct {
			t.Fatalf("the multiple answer is saved as wrong; got %+v", answers)
		}
		// The single answer was picked by its shown letter and is saved by the author's.
		single := hs.quiz().sess.Questions[0]
		answers, _ = hs.store.Answers(context.Background(), "ada", single.ID)
		if want := quiz.OptionLetter(single.CorrectOptions()[0]); len(answers) != 1 || !answers[0].Correct || answers[0].Given != want {
			t.Fatalf("the single answer is saved right as %q; got %+v", want, answers)
		}

		hs.keys("enter") // back to the lesson
		if hs.lesson() == nil {
			t.Fatalf("the summary returns to the lesson; screen %T", hs.top())
		}
		hs.keys("esc")
		hs.golden("home-progress")
		hs.contains("quiz 2/4")
		// Read, quiz not passed: half done, not ✓ (✓ is read and quiz passed).
		hs.contains("◐ Your first stage")

		hs.keys("S", "esc", "s")
		if hs.stats() == nil {
			t.Fatal("s opens the stats")
		}
		hs.golden("stats")
		hs.contains("easy")
		hs.keys("esc")

		hs.keys("ctrl+c")
		if !hs.model().quitting {
			t.Fatal("ctrl+c quits")
		}
	})
}

// The second quiz has short, order and spot_line questions.
func TestQuizInputs(t *testing.T) {
	forSizes(t, func(t *testing.T, w, h int) {
		hs := newHarness(t, "inputs", w, h, nil)
		hs.keys("down", "enter", "t")
		hs.golden("short")
		hs.keys("tab")
		hs.contains("hint 1/")
		hs.keys("--from")
		hs.golden("short-typed")
		hs.keys("enter")
		hs.contains("✓ Right")
		hs.keys("enter")

		hs.golden("order")
		// Sort the items into the right order with the move keys.
		order := func() *orderInput { return hs.quiz().input.(*orderInput) }
		for pos := 0; pos < len(order().order); pos++ {
			at := 0
			for i, it := range order().order {
				if it == pos {
					at = i
				}
			}
			for i := order().cursor; i < at; i++ {
				hs.keys("down")
			}
			for i := order().cursor; i > at; i-- {
				hs.keys("up")
			}
			for i := at; i > pos; i-- {
				hs.keys("K")
			}
		}
		hs.golden("order-sorted")
		hs.keys("enter")
		hs.contains("✓ Right")
		hs.keys("enter")

		hs.golden("spot-line")
		q := hs.quiz().sess.Questions[2]
		for i := 1; i < q.AnswerLine; i++ {
			hs.keys("down")
		}
		if q.AnswerLine > 1 {
			hs.keys("up") // one line short: a wrong answer
		}
		hs.keys("enter")
		hs.golden("spot-line-feedback")
		hs.keys("enter")
		hs.contains("results")
	})
}

// Exam mode: no hints or feedback, a countdown, the results at the end.
func TestExam(t *testing.T) {
	forSizes(t, func(t *testing.T, w, h int) {
		course := loadTestCourse(t)
		plan := &study.Plan{Title: "Exam", Questions: course.AllQuestions(), Mode: ModeExam, Pass: 60, Seed: 42}
		m := newQuizApp(context.Background(), QuizOptions{Plan: plan, TimeLimit: 600e9, Course: course})
		m.c.Opts.Now = func() time.Time { return testNow }
		m.c.Opts.manualClock = true
		m.quiz = newQuizModel(m.c, m.quiz.cfg)
		hs := &harness{t: t, m: m, name: "exam", w: w, h: h}
		hs.run(m.Init())
		hs.send(tea.WindowSizeMsg{Width: w, Height: h})
		hs.golden("question")
		hs.contains("⏱ 10:00")
		hs.keys("h")
		if hs.quiz().hints != 0 {
			t.Fatal("no hints in an exam")
		}
		first := hs.quiz().sess.Questions[0]
		right := quiz.ShownPosition(hs.quiz().sess.ShownOrder(), first.CorrectOptions()[0])
		hs.keys(strings.ToLower(quiz.OptionLetter(right)), "enter") // the shown letter of the right option
		if hs.quiz().last != nil {
			t.Fatal("no feedback during an exam")
		}
		// The clock runs out.
		hs.quiz().c.Opts.Now = func() time.Time { return testNow.Add(11 * time.Minute) }
		hs.send(quizTickMsg{})
		hs.golden("timed-out")
		hs.contains("time ran out")
		sum := hs.m.(quizApp).QuizSummary()
		if !sum.TimedOut || sum.Answered != 1 || sum.Correct != 1 || sum.Passed {
			t.Fatalf("summary after the clock ran out: %+v", sum)
		}
		hs.keys("enter")
		if !hs.m.(quizApp).quitting {
			t.Fatal("the quiz-only app ends after the summary")
		}
	})
}

// The exercise without BuildKit: the workspace is made, doctor's findings and fix are shown.
func TestExerciseWithoutBuildKit(t *testing.T) {
	forSizes(t, func(t *testing.T, w, h int) {
		hs := newHarness(t, "nobk", w, h, nil)
		hs.keys("down", "down")
		hs.keys("enter")
		if hs.exercise() == nil {
			t.Fatalf("enter on an exercise opens it; screen %T", hs.top())
		}
		hs.keys("G")
		hs.golden("doctor")
		hs.contains("BuildKit is not available")
		if _, err := os.Stat(filepath.Join(hs.ws, "keep-the-artifact", "Dockerfile")); err != nil {
			t.Fatalf("the workspace holds the starter: %v", err)
		}
		if _, err := os.Stat(filepath.Join(hs.ws, "keep-the-artifact", "greeting.txt")); err != nil {
			t.Fatalf("the workspace holds the context: %v", err)
		}
		hs.keys("esc")
		if !hs.onHome() {
			t.Fatal("esc goes back")
		}
	})
}

// The exercise with a checker: fail three times (solution unlocks), edit, pass; reset.
func TestExerciseFlow(t *testing.T) {
	forSizes(t, func(t *testing.T, w, h int) {
		fc := &switchChecker{}
		hs := newHarness(t, "exercise", w, h, fc)
		hs.keys("down", "down", "enter")
		hs.golden("open")
		hs.keys("s")
		if hs.exercise().showSolution {
			t.Fatal("the solution is locked before a pass or three failures")
		}
		hs.contains("the solution unlocks when you pass")
		hs.keys("c")
		hs.golden("failed")
		hs.contains("✗ Not yet")
		hs.keys("h")
		hs.contains("1/")
		hs.keys("c", "c")
		hs.keys("s")
		if !hs.exercise().showSolution {
			t.Fatal("three failed checks unlock the solution")
		}
		hs.golden("solution")
		hs.keys("esc")

		// "Edit": the learner's editor writes the file; returning from it checks it.
		df := filepath.Join(hs.ws, "keep-the-artifact", "Dockerfile")
		sol, _ := os.ReadFile("testdata/course/exercises/keep-the-artifact/solution.Dockerfile")
		os.WriteFile(df, sol, 0o644)
		fc.pass = true
		hs.send(editorDoneMsg{})
		hs.golden("passed")
		hs.contains("✓ Passed")
		hs.contains("reference")
		atts, err := hs.store.Attempts(context.Background(), "ada", "keep-the-artifact")
		if err != nil || len(atts) != 4 || !atts[3].Passed || atts[3].ImageSize != 4_400_000 || !strings.Contains(atts[3].Dockerfile, "--from") {
			t.Fatalf("every check is an attempt with the Dockerfile, size and report; got %d, %v", len(atts), err)
		}

		hs.keys("x")
		hs.golden("reset-confirm")
		hs.keys("y")
		b, _ := os.ReadFile(df)
		if strings.Contains(string(b), "--from") {
			t.Fatal("y resets the Dockerfile to the starter")
		}
		hs.keys("esc")
		hs.contains("passed")
	})
}

type switchChecker struct{ pass bool }

func (s *switchChecker) Check(ctx context.Context, plan check.Plan, sub check.Submission, events chan<- check.Event) (*check.Report, error) {
	return fakeChecker{pass: s.pass}.Check(ctx, plan, sub, events)
}

// Leaving the exercise screen cancels a running check.
func TestLeavingCancelsCheck(t *testing.T) {
	blocked, cancelled := make(chan struct{}), make(chan struct{})
	chk := checkerFunc(func(ctx context.Context) {
		close(blocked)
		<-ctx.Done()
		close(cancelled)
	})
	hs := newHarness(t, "cancel", 80, 24, chk)
	hs.keys("down", "down", "enter")
	var cmd tea.Cmd
	hs.m, cmd = hs.m.Update(tea.KeyPressMsg{Code: 'c', Text: "c"})
	go cmd() // the pump: waits for the check
	<-blocked
	if !hs.exercise().checking {
		t.Fatal("the check is running")
	}
	hs.keys("esc")
	<-cancelled // without the cancel, the test times out here
}

type checkerFunc func(ctx context.Context)

func (f checkerFunc) Check(ctx context.Context, plan check.Plan, sub check.Submission, events chan<- check.Event) (*check.Report, error) {
	f(ctx)
	return nil, ctx.Err()
}

func TestLineDiff(t *testing.T) {
	got := strings.Join(lineDiff("a\nb\nc\n", "a\nx\nc\n"), "|")
	if got != "  a|- b|+ x|  c" {
		t.Fatalf("lineDiff = %q", got)
	}
}
