package main

import (
	"context"
	"strings"
	"testing"

	"github.com/stagecraft/stagecraft/progress"
	"github.com/stagecraft/stagecraft/quiz"
)

// TestQuizPlainShuffledAnswerStored answers a question whose options were shuffled by the
// letter shown, through the CLI into a real progress file: the answer saved names the author's
// option and is scored by it; typing "A" (the author's right option, shown elsewhere) is wrong.
// The same --seed shows the same order again.
func TestQuizPlainShuffledAnswerStored(t *testing.T) {
	probe := newQuizEnv(t, "")
	q := probe.course.Question("st-single")
	right := q.CorrectOptions()[0]
	var seed uint64
	for s := uint64(1); s < 100; s++ {
		if quiz.ShownPosition(q.ShownOrder(s), right) != 0 { // st-single is the first question
			seed = s
			break
		}
	}
	if seed == 0 {
		t.Fatal("no seed in 1–99 moves the right option of st-single off A")
	}
	shown := q.ShownOrder(seed)
	rightLetter := quiz.OptionLetter(quiz.ShownPosition(shown, right))

	run := func(input string) (*quizEnvT, []progress.Answer, string) {
		e := newQuizEnv(t, input+"\nq\n")
		o := e.options()
		o.Lessons, o.Seed, o.SeedSet = []string{"stages"}, seed, true
		if err := runQuiz(context.Background(), o); err != nil {
			t.Fatalf("%v\n%s", err, e.out)
		}
		answers, err := e.store(t).Answers(context.Background(), "ann", "st-single")
		if err != nil {
			t.Fatal(err)
		}
		return e, answers, e.out.String()
	}

	_, answers, out1 := run(strings.ToLower(rightLetter))
	if len(answers) != 1 || !answers[0].Correct || answers[0].Given != quiz.OptionLetter(right) || answers[0].Points != progress.PointsOf(1) {
		t.Fatalf("typed the shown letter %s of the right option: saved %+v, want correct, given %q\n%s", rightLetter, answers, quiz.OptionLetter(right), out1)
	}
	if !strings.Contains(out1, "  "+rightLetter+") FROM\n") || !strings.Contains(out1, "Right. +1") {
		t.Errorf("the right option is not shown as %s, or not scored right:\n%s", rightLetter, out1)
	}

	_, answers, out2 := run("A")
	if len(answers) != 1 || answers[0].Correct || answers[0].Given != quiz.OptionLetter(shown[0]) {
		t.Fatalf("typed A, shown as %q: saved %+v, want wrong, given %q\n%s", q.Options[shown[0]].Text, answers, quiz.OptionLetter(shown[0]), out2)
	}
	if want := "Not right. The answer: " + rightLetter + ") FROM"; !strings.Contains(out2, want) {
		t.Errorf("output lacks %q:\n%s", want, out2)
	}

	// --seed replays: the first question reads the same both times.
	if a, b := firstQuestion(out1), firstQuestion(out2); a == "" || a != b {
		t.Errorf("the same seed showed the first question differently:\n%s\n---\n%s", a, b)
	}
}

// firstQuestion is the text of plain mode's first question, header to prompt line.
func firstQuestion(out string) string {
	start := strings.Index(out, "Question 1 of")
	if start < 0 {
		return ""
	}
	end := strings.Index(out[start:], "\nAnswer with")
	if end < 0 {
		return ""
	}
	return out[start : start+end]
}
