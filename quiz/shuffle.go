package quiz

import (
	"math/rand/v2"
	"strings"
)

// ShownOrder is the order to show a question's choices in, as indexes into what the author
// wrote: the options of a single or multiple question (shuffled unless the author pinned them
// with shuffle: false), the items of an order question (ShuffledItems); nil for other types.
// The same seed gives the same order, so a replay shows the same screen. It is the one place
// that decides what a learner sees where, so that no answer can be guessed from the position
// the author happened to write it at: the terminal UI, plain mode and exams all ask it through
// Session.ShownOrder.
func (q *Question) ShownOrder(seed uint64) Permutation {
	switch q.Type {
	case TypeSingle, TypeMultiple:
		p := identity(len(q.Options))
		if !q.KeepOrder {
			// A stream of its own: the questions drawn with the same seed (Draw, Shuffle) must not
			// tell where the first question's right option is.
			r := rand.New(rand.NewPCG(seed, 0x0b7e5a1f))
			r.Shuffle(len(p), func(i, j int) { p[i], p[j] = p[j], p[i] })
		}
		return p
	case TypeOrder:
		return q.ShuffledItems(seed)
	}
	return nil
}

// ShownPosition is where the author's option (or item) i is in shown: its 0-based position on
// the screen. Without a shown order (nil) it is i.
func ShownPosition(shown Permutation, i int) int {
	for pos, j := range shown {
		if j == i {
			return pos
		}
	}
	return i
}

// AnswerText is an answer in the words the learner saw, whatever order they were shown in: the
// texts of the picked options, the items in the learner's sequence, true or false, the text, the
// line number. It is for people (feedback, summaries, reports); FormatAnswer is what is stored.
func AnswerText(q *Question, a Answer) string {
	switch v := a.(type) {
	case Choices:
		parts := make([]string, 0, len(v))
		for _, c := range v {
			if c >= 0 && c < len(q.Options) {
				parts = append(parts, firstLine(q.Options[c].Text))
			}
		}
		return strings.Join(parts, "; ")
	case Permutation:
		parts := make([]string, 0, len(v))
		for _, i := range v {
			if i >= 0 && i < len(q.Items) {
				parts = append(parts, firstLine(q.Items[i]))
			}
		}
		return strings.Join(parts, " → ")
	}
	return FormatAnswer(q, a)
}
