package quiz

import (
	"fmt"
	"math"
)

// Answer-position skew: when most right options are the first one written, or most true_false
// statements are false, a learner can score without knowing anything. stagecraft shuffles options
// when it asks them (ShownOrder), but a GIFT export, a printout and a pinned order show them as
// written, and nothing can shuffle true or false. SkewWarnings finds both in a course, so that
// `stagecraft content check` can tell the author.

const (
	// SkewMargin is how far above chance, in percentage points, a blind strategy may score
	// before a course is said to be skewed.
	SkewMargin = 10
	// skewMinQuestions is how many questions of a kind a course needs before their share is
	// worth a warning: with three, one question more one way is already 17 points.
	skewMinQuestions = 5
)

// SkewWarnings returns the warnings about answer-position skew in qs (a whole course), each at a
// question's file:line:col:
//   - the right option is the first one written in more single and multiple questions than
//     chance + SkewMargin: one warning per quiz file with such questions, at its first one;
//   - a question pinned with shuffle: false whose first option is right;
//   - one of true and false is the answer of more than 50% + SkewMargin of the true_false
//     questions: one warning per quiz file with questions of that answer, at its first one.
func SkewWarnings(qs []*Question) ValidationErrors {
	var out ValidationErrors
	warn := func(q *Question, format string, a ...any) {
		out = append(out, Error{File: q.File, Line: q.IDPos.Line, Col: q.IDPos.Col, Msg: fmt.Sprintf(format, a...)})
	}

	// Which option is right, by the order written.
	var choice, firstRight []*Question
	chance := 0.0
	for _, q := range qs {
		if (q.Type != TypeSingle && q.Type != TypeMultiple) || len(q.Options) == 0 {
			continue
		}
		choice = append(choice, q)
		chance += float64(len(q.CorrectOptions())) / float64(len(q.Options))
		if q.Options[0].Correct {
			firstRight = append(firstRight, q)
			if q.KeepOrder {
				warn(q, "shuffle: false keeps the right option first, where a learner who always picks the first option finds it; put it elsewhere or let the options shuffle")
			}
		}
	}
	if n := len(choice); n >= skewMinQuestions {
		share, expected := percent(len(firstRight), n), chance*100/float64(n)
		if share > expected+SkewMargin {
			for _, group := range byFile(firstRight) {
				warn(group[0], "the right option is written first in %d of the course's %d single and multiple questions (%s; about %s by chance), %d of them here: stagecraft shuffles options when it asks them, but exports and shuffle: false keep the written order; vary where the right option goes",
					len(firstRight), n, pct(share), pct(expected), len(group))
			}
		}
	}

	// true_false: how many statements are true.
	var truths, falsehoods []*Question
	for _, q := range qs {
		if q.Type != TypeTrueFalse {
			continue
		}
		if q.IsTrue {
			truths = append(truths, q)
		} else {
			falsehoods = append(falsehoods, q)
		}
	}
	if n := len(truths) + len(falsehoods); n >= skewMinQuestions {
		major, answer, other := falsehoods, "false", "true"
		if len(truths) > len(falsehoods) {
			major, answer, other = truths, "true", "false"
		}
		if share := percent(len(major), n); share > 50+SkewMargin {
			for _, group := range byFile(major) {
				warn(group[0], "%d of the course's %d true_false statements are %s (%s), %d of them here: a learner who always answers %s scores %s; make about half of them %s",
					len(major), n, answer, pct(share), len(group), answer, pct(share), other)
			}
		}
	}
	out.Sort()
	return out
}

func byFile(qs []*Question) map[string][]*Question {
	m := map[string][]*Question{}
	for _, q := range qs {
		m[q.File] = append(m[q.File], q)
	}
	return m
}

func percent(k, n int) float64 { return float64(k) * 100 / float64(n) }

func pct(p float64) string { return fmt.Sprintf("%d%%", int(math.Round(p))) }
