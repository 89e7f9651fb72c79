package quiz

import (
	"fmt"
	"strconv"
	"strings"
)

// RightAnswer says what the right answer is, in the words a learner sees: option texts (after
// the letters they were shown with, when shown, the order they were shown in, is given), true
// or false, an accepted answer, the items in order, a line number.
func RightAnswer(q *Question, shown Permutation) string {
	switch q.Type {
	case TypeSingle, TypeMultiple:
		if len(shown) != len(q.Options) {
			var parts []string
			for _, i := range q.CorrectOptions() {
				parts = append(parts, firstLine(q.Options[i].Text))
			}
			return strings.Join(parts, "; ")
		}
		var parts []string
		for pos, i := range shown { // in the order shown: A before C
			if q.Options[i].Correct {
				parts = append(parts, OptionLetter(pos)+") "+firstLine(q.Options[i].Text))
			}
		}
		return strings.Join(parts, "; ")
	case TypeTrueFalse:
		return strconv.FormatBool(q.IsTrue)
	case TypeShort:
		if len(q.Accept) > 0 {
			return q.Accept[0]
		}
		return "text matching " + q.Pattern
	case TypeOrder:
		parts := make([]string, len(q.Items))
		for i, it := range q.Items {
			parts[i] = firstLine(it)
		}
		return strings.Join(parts, " → ")
	case TypeSpotLine:
		lines := q.CodeLines()
		if q.AnswerLine >= 1 && q.AnswerLine <= len(lines) {
			return fmt.Sprintf("line %d (%s)", q.AnswerLine, strings.TrimSpace(lines[q.AnswerLine-1]))
		}
		return fmt.Sprintf("line %d", q.AnswerLine)
	}
	return ""
}

// FormatPercent writes a score's percentage the way every report does: whole percentages as
// such, others with one decimal, truncated (69.96% is never shown as a pass mark of 70%).
func FormatPercent(p float64) string { return formatPercent(p) }

// DifficultiesIn lists the difficulties of a summary's tallies in report order: easy, medium,
// hard, then any others by name.
func DifficultiesIn(m map[Difficulty]Tally) []Difficulty { return sortedDifficulties(m) }

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}
