package quiz

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

func stepNow(start time.Time, step time.Duration) func() time.Time {
	now := start
	return func() time.Time {
		t := now
		now = now.Add(step)
		return t
	}
}

func TestRunPlainCommands(t *testing.T) {
	qs := sessionQuestions(t)
	s := NewSession("Plain", ModePractice, []*Question{qs[0], qs[3], qs[4]}, WithStart(t0), WithSeed(3))
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
	var recorded []Response
	err := RunPlain(context.Background(), s, PlainOptions{In: strings.NewReader(input), Out: &out, Now: stepNow(t0, time.Second), Echo: true,
		Record: func(r Response) error { recorded = append(recorded, r); return nil }})
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
	if len(recorded) != 3 || recorded[0].HintsUsed != 1 || recorded[1].Answer != Text("q") || !recorded[2].Result.Correct {
		t.Errorf("recorded %+v", recorded)
	}
	if !s.Done() {
		t.Error("session not done")
	}
}

func TestRunPlainEnds(t *testing.T) {
	qs := sessionQuestions(t)
	t.Run("input ends", func(t *testing.T) {
		s := NewSession("", ModePractice, qs, WithStart(t0))
		var out bytes.Buffer
		err := RunPlain(context.Background(), s, PlainOptions{In: strings.NewReader("a\n"), Out: &out, Now: stepNow(t0, time.Second)})
		if !errors.Is(err, ErrInputEnded) || !s.Done() || len(s.Responses) != 1 {
			t.Fatalf("err %v, done %v, %d responses", err, s.Done(), len(s.Responses))
		}
		if !strings.Contains(out.String(), "The input ended before the quiz did; the 1 answer given is saved.") {
			t.Errorf("output:\n%s", out.String())
		}
	})
	t.Run("quit", func(t *testing.T) {
		s := NewSession("", ModePractice, qs, WithStart(t0))
		var out bytes.Buffer
		if err := RunPlain(context.Background(), s, PlainOptions{In: strings.NewReader("Q\n"), Out: &out}); err != nil || !s.Done() {
			t.Fatalf("err %v, done %v", err, s.Done())
		}
		if !strings.Contains(out.String(), "Quit; no answer was given.") {
			t.Errorf("output:\n%s", out.String())
		}
	})
	t.Run("save fails", func(t *testing.T) {
		s := NewSession("", ModePractice, qs, WithStart(t0))
		boom := errors.New("disk full")
		err := RunPlain(context.Background(), s, PlainOptions{In: strings.NewReader("a\n"), Out: io.Discard,
			Record: func(Response) error { return boom }})
		if !errors.Is(err, boom) || !strings.Contains(err.Error(), "saving the answer to s-single") {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		s := NewSession("", ModePractice, qs, WithStart(t0))
		pr, pw := io.Pipe() // input that never comes
		defer pw.Close()
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := RunPlain(ctx, s, PlainOptions{In: pr, Out: io.Discard}); !errors.Is(err, context.Canceled) || !s.Done() {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("clock runs out while waiting", func(t *testing.T) {
		s := NewSession("", ModeExam, qs, WithTimeLimit(20*time.Millisecond))
		pr, pw := io.Pipe()
		defer pw.Close()
		var out bytes.Buffer
		if err := RunPlain(context.Background(), s, PlainOptions{In: pr, Out: &out}); err != nil || !s.Done() {
			t.Fatalf("err %v", err)
		}
		if !strings.Contains(out.String(), "Time is up; no answer was given.") || !strings.Contains(out.String(), " left") {
			t.Errorf("output:\n%s", out.String())
		}
	})
}

func TestWritePlainSummaryExamReview(t *testing.T) {
	qs := sessionQuestions(t)
	s := NewSession("Exam", ModeExam, qs[:3], WithStart(t0))
	s.Answer(Choices{1}, 0, t0.Add(time.Second))
	s.Skip(t0.Add(2 * time.Second))
	s.Answer(Bool(true), 0, t0.Add(3*time.Second))
	var out bytes.Buffer
	WritePlainSummary(&out, s, Summarize(s, t0.Add(time.Minute)))
	// s-multiple's right options are its first two as written, listed by the letters shown.
	rightInShownOrder := func(shown Permutation) string {
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
func shownLetter(shown Permutation, i int) string { return OptionLetter(ShownPosition(shown, i)) }
