package lineui

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stagecraft/stagecraft/quiz"
)

func sessionQuestions(t testing.TB) []*quiz.Question {
	t.Helper()
	// The quiz package's session fixture: one question of each type.
	data, err := os.ReadFile("../quiz/testdata/session.yaml")
	if err != nil {
		t.Fatal(err)
	}
	qz, err := quiz.Parse("session.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	return qz.Questions
}

var t0 = time.Date(2025, 5, 1, 10, 0, 0, 0, time.UTC)

func stepNow(start time.Time, step time.Duration) func() time.Time {
	now := start
	return func() time.Time {
		t := now
		now = now.Add(step)
		return t
	}
}

func TestRunQuizCommands(t *testing.T) {
	qs := sessionQuestions(t)
	s := quiz.NewSession("Plain", quiz.ModePractice, []*quiz.Question{qs[0], qs[3], qs[4]}, quiz.WithStart(t0), quiz.WithSeed(3))
	order := qs[4].ShownOrder(3 + 2)
	first := strings.ToLower(shownLetter(qs[0].ShownOrder(3), 0)) // the right option, as shown
	right := make([]string, len(order))
	for k, item := range order {
		right[item] = string(rune('1' + k))
	}
	input := strings.Join([]string{
		"h", "h", // one hint, then no more
		"?",   // the question again
		"C",   // no option C
		first, // right
		`\q`,  // a short answer "q", not quit: wrong
		strings.Join(right, " "),
	}, "\n") + "\n"
	var out bytes.Buffer
	var recorded []quiz.Response
	err := RunQuiz(context.Background(), s, QuizOptions{In: strings.NewReader(input), Out: &out, Now: stepNow(t0, time.Second), Echo: true,
		Record: func(r quiz.Response) error { recorded = append(recorded, r); return nil }})
	if err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, want := range []string{
		"Question 1 of 3 · one answer · easy · 1 point",
		"> h\nHint 1 of 1: Look at the first line.",
		"> h\nNo more hints.",
		"> C\nThere is no option C: type one option: a letter A–B or a number 1–2",
		"> " + first + "\nRight. +1",
		"Answer with your answer as text. (? repeat, s skip, q quit)",
		`> \q` + "\nNot right. The answer: --from",
		"Question 3 of 3 · put in order · hard · 3 points",
		"Right. +3",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q\n%s", want, text)
		}
	}
	if strings.Count(text, "Question 1 of 3") != 2 {
		t.Error("? did not show the question again")
	}
	if len(recorded) != 3 || recorded[0].HintsUsed != 1 || recorded[1].Answer != quiz.Text("q") || !recorded[2].Result.Correct {
		t.Errorf("recorded %+v", recorded)
	}
	if !s.Done() {
		t.Error("session not done")
	}
}

func TestRunQuizEnds(t *testing.T) {
	qs := sessionQuestions(t)
	t.Run("input ends", func(t *testing.T) {
		s := quiz.NewSession("", quiz.ModePractice, qs, quiz.WithStart(t0))
		var out bytes.Buffer
		err := RunQuiz(context.Background(), s, QuizOptions{In: strings.NewReader("a\n"), Out: &out, Now: stepNow(t0, time.Second)})
		if !errors.Is(err, ErrInputEnded) || !s.Done() || len(s.Responses) != 1 {
			t.Fatalf("err %v, done %v, %d responses", err, s.Done(), len(s.Responses))
		}
		if !strings.Contains(out.String(), "The input ended before the quiz did; the 1 answer given is saved.") {
			t.Errorf("output:\n%s", out.String())
		}
	})
	t.Run("quit", func(t *testing.T) {
		s := quiz.NewSession("", quiz.ModePractice, qs, quiz.WithStart(t0))
		var out bytes.Buffer
		if err := RunQuiz(context.Background(), s, QuizOptions{In: strings.NewReader("Q\n"), Out: &out}); err != nil || !s.Done() {
			t.Fatalf("err %v, done %v", err, s.Done())
		}
		if !strings.Contains(out.String(), "Quit; no answer was given.") {
			t.Errorf("output:\n%s", out.String())
		}
	})
	t.Run("save fails", func(t *testing.T) {
		s := quiz.NewSession("", quiz.ModePractice, qs, quiz.WithStart(t0))
		boom := errors.New("disk full")
		err := RunQuiz(context.Background(), s, QuizOptions{In: strings.NewReader("a\n"), Out: io.Discard,
			Record: func(quiz.Response) error { return boom }})
		if !errors.Is(err, boom) || !strings.Contains(err.Error(), "saving the answer to s-single") {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		s := quiz.NewSession("", quiz.ModePractice, qs, quiz.WithStart(t0))
		pr, pw := io.Pipe() // input that never comes
		defer pw.Close()
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := RunQuiz(ctx, s, QuizOptions{In: pr, Out: io.Discard}); !errors.Is(err, context.Canceled) || !s.Done() {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("clock runs out while waiting", func(t *testing.T) {
		s := quiz.NewSession("", quiz.ModeExam, qs, quiz.WithTimeLimit(20*time.Millisecond))
		pr, pw := io.Pipe()
		defer pw.Close()
		var out bytes.Buffer
		if err := RunQuiz(context.Background(), s, QuizOptions{In: pr, Out: &out}); err != nil || !s.Done() {
			t.Fatalf("err %v", err)
		}
		if !strings.Contains(out.String(), "Time is up; no answer was given.") || !strings.Contains(out.String(), " left") {
			t.Errorf("output:\n%s", out.String())
		}
	})
}

func TestWriteSummaryExamReview(t *testing.T) {
	qs := sessionQuestions(t)
	s := quiz.NewSession("Exam", quiz.ModeExam, qs[:3], quiz.WithStart(t0))
	s.Answer(quiz.Choices{1}, 0, t0.Add(time.Second))
	s.Skip(t0.Add(2 * time.Second))
	s.Answer(quiz.Bool(true), 0, t0.Add(3*time.Second))
	var out bytes.Buffer
	WriteSummary(&out, s, quiz.Summarize(s, t0.Add(time.Minute)))
	// s-multiple's right options are its first two as written, listed by the letters shown.
	rightInShownOrder := func(shown quiz.Permutation) string {
		a, b := shownLetter(shown, 0)+") COPY --from=build /a /a", shownLetter(shown, 1)+") COPY --from=0 /a /a"
		if b < a {
			a, b = b, a
		}
		return a + "; " + b
	}
	for _, want := range []string{
		"Exam: 1/4 points (25%), not passed (pass mark 70%).",
		"2 of 3 answered, 1 right. Time 0:03.",
		"By difficulty: easy 1/2, medium 0/1.",
		"1. Which instruction starts a stage?\n   You answered RUN. The answer: " + shownLetter(s.Responses[0].Shown, 0) + ") FROM",
		"2. Which copy from another stage?\n   Skipped. The answer: " + rightInShownOrder(s.Responses[1].Shown),
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary lacks %q\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "3. The final stage") {
		t.Error("a right answer is listed as missed")
	}
}

// shownLetter is the letter the author's option i was shown with.
func shownLetter(shown quiz.Permutation, i int) string {
	return quiz.OptionLetter(quiz.ShownPosition(shown, i))
}

// TestRunQuizShuffledOptions answers by the letters on the screen and checks that the answer
// recorded names the author's options.
func TestRunQuizShuffledOptions(t *testing.T) {
	qs := sessionQuestions(t)
	single, multi := qs[0], qs[1]
	moved := 0
	for seed := range uint64(12) {
		s := quiz.NewSession("", quiz.ModePractice, []*quiz.Question{single, multi}, quiz.WithStart(t0), quiz.WithSeed(seed))
		shownSingle, shownMulti := single.ShownOrder(seed), multi.ShownOrder(seed+1)
		if shownSingle[0] != 0 {
			moved++
		}
		input := shownLetter(shownSingle, 0) + "\n" + shownLetter(shownMulti, 1) + ", " + shownLetter(shownMulti, 0) + "\n"
		var out bytes.Buffer
		var recorded []quiz.Response
		err := RunQuiz(context.Background(), s, QuizOptions{In: strings.NewReader(input), Out: &out, Now: stepNow(t0, time.Second),
			Record: func(r quiz.Response) error { recorded = append(recorded, r); return nil }})
		if err != nil {
			t.Fatal(err)
		}
		if len(recorded) != 2 || !recorded[0].Result.Correct || !recorded[1].Result.Correct {
			t.Fatalf("seed %d: answers by the shown letters %q scored %+v\n%s", seed, input, recorded, out.String())
		}
		if got := quiz.FormatAnswer(single, recorded[0].Answer); got != "A" {
			t.Errorf("seed %d: stored %q for the author's first option", seed, got)
		}
		if got := quiz.FormatAnswer(multi, recorded[1].Answer); got != "B, A" {
			t.Errorf("seed %d: stored %q for the author's options B and A", seed, got)
		}
		// The screen lists the options in the shown order.
		text := out.String()
		var at []int
		for _, i := range shownMulti {
			at = append(at, strings.Index(text, ") "+multi.Options[i].Text+"\n"))
		}
		if !slices.IsSorted(at) || at[0] < 0 {
			t.Errorf("seed %d: options printed out of the shown order %v:\n%s", seed, shownMulti, text)
		}
	}
	if moved == 0 {
		t.Error("no seed moved the right option from the top")
	}
}
