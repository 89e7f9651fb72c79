package quiz

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Moodle GIFT export. GIFT has no hints, no points, no difficulty, no regular expressions, no
// ordering and no spot-the-line question, so each question is written as the nearest GIFT type
// and a one-line "// stagecraft: {json}" comment before it keeps what GIFT cannot say; ReadGIFT
// reads that comment back, so an export → import round trip restores the question. An LMS
// ignores comments.
//
//	single      multiple choice, one right answer: {=right ~wrong#feedback}
//	multiple    multiple choice with several right answers: each right option ~%w% with
//	            w = 100/(number right), each wrong one ~%-100%. Moodle gives partial credit for
//	            it; stagecraft scores all-or-nothing.
//	true_false  {TRUE} / {FALSE}
//	short       {=accepted =also accepted}. Moodle compares case-insensitively but does not
//	            collapse spaces; pattern cannot be said in GIFT: it is dropped (a question with a
//	            pattern and no accept list is skipped).
//	order       a matching question "Step 1 -> first item", "Step 2 -> …": the learner picks the
//	            item for each step. Moodle needs 3 pairs or more: a 2-item order is skipped.
//	spot_line   multiple choice over the code's lines ("Line 3: FROM golang:1.22"), the right
//	            line =, each line's feedback kept; the code is also shown under the prompt.
//
// Everywhere: hints are dropped (kept in the comment), the explanation becomes the general
// feedback (####), text is [markdown] with GIFT's special characters escaped and newlines as \n.

// GIFTSkipped is a question ExportGIFT could not write, and why.
type GIFTSkipped struct {
	ID     string
	Reason string
}

// giftMeta is the "// stagecraft: {…}" comment before each exported question.
type giftMeta struct {
	ID         string     `json:"id"`
	Type       Type       `json:"type"`
	Difficulty Difficulty `json:"difficulty,omitempty"`
	Points     int        `json:"points,omitempty"`
	Tags       []string   `json:"tags,omitempty"`
	Hints      []string   `json:"hints,omitempty"`
	Pattern    string     `json:"pattern,omitempty"`
	Quiz       string     `json:"quiz,omitempty"`
	// KeepOrder is shuffle: false (the options' order is pinned). In GIFT a question cannot say
	// so, and Moodle shuffles choices when the quiz is set to.
	KeepOrder bool `json:"keep_order,omitempty"`
}

const giftMetaPrefix = "// stagecraft: "

// GIFTHeader is the comment at the top of every export: what each type becomes.
const GIFTHeader = `// Exported by stagecraft (Moodle GIFT format). What each question type becomes:
//   single     -> multiple choice, one right answer
//   multiple   -> multiple choice, several right answers (Moodle gives partial credit;
//                 stagecraft scores all-or-nothing)
//   true_false -> true/false
//   short      -> short answer with the accepted answers; a regular-expression pattern is
//                 dropped (a question with only a pattern is skipped)
//   order      -> matching "Step N -> item" (orders of fewer than 3 items are skipped)
//   spot_line  -> multiple choice over the code's lines ("Line N: ...")
// Hints, points, difficulty and tags have no GIFT form: each "// stagecraft:" comment keeps
// them so that "stagecraft quiz import" restores the question. The explanation is the general
// feedback.
`

// ExportGIFT writes qs to w as Moodle GIFT, one $CATEGORY per quiz (category/<quiz id>, or just
// the quiz id when category is ""). It returns the questions it skipped.
func ExportGIFT(w io.Writer, qs []*Question, category string) ([]GIFTSkipped, error) {
	bw := bufio.NewWriter(w)
	bw.WriteString(GIFTHeader)
	var skipped []GIFTSkipped
	lastQuiz := "\x00"
	for _, q := range qs {
		body, reason := giftQuestion(q)
		if reason != "" {
			skipped = append(skipped, GIFTSkipped{ID: q.ID, Reason: reason})
			fmt.Fprintf(bw, "\n// skipped %s (%s): %s\n", q.ID, q.Type, reason)
			continue
		}
		if q.Quiz != lastQuiz && q.Quiz != "" {
			cat := q.Quiz
			if category != "" {
				cat = strings.TrimSuffix(category, "/") + "/" + q.Quiz
			}
			fmt.Fprintf(bw, "\n$CATEGORY: %s\n", cat)
			lastQuiz = q.Quiz
		}
		meta := giftMeta{ID: q.ID, Type: q.Type, Difficulty: q.Difficulty, Points: q.Points, Tags: q.Tags, Hints: q.Hints, Quiz: q.Quiz, KeepOrder: q.KeepOrder}
		if q.Type == TypeShort {
			meta.Pattern = q.Pattern
		}
		mj, err := json.Marshal(meta)
		if err != nil {
			return skipped, fmt.Errorf("exporting %s: %w", q.ID, err)
		}
		fmt.Fprintf(bw, "\n%s%s\n%s\n", giftMetaPrefix, mj, body)
	}
	return skipped, bw.Flush()
}

// giftQuestion is q in GIFT, or why it cannot be.
func giftQuestion(q *Question) (string, string) {
	var b strings.Builder
	fmt.Fprintf(&b, "::%s:: [markdown]", giftEscape(q.ID))
	prompt := strings.TrimRight(q.Prompt, "\n")
	if q.Code != "" {
		prompt += "\n\n```dockerfile\n" + strings.TrimRight(q.Code, "\n") + "\n```"
	}
	b.WriteString(giftEscape(prompt))
	b.WriteString(" {\n")
	switch q.Type {
	case TypeSingle:
		for _, o := range q.Options {
			mark := "~"
			if o.Correct {
				mark = "="
			}
			writeGIFTAnswer(&b, mark, o.Text, o.Feedback)
		}
	case TypeMultiple:
		weight := giftWeight(len(q.CorrectOptions()))
		for _, o := range q.Options {
			mark := "~%-100%"
			if o.Correct {
				mark = "~%" + weight + "%"
			}
			writeGIFTAnswer(&b, mark, o.Text, o.Feedback)
		}
	case TypeTrueFalse:
		if q.IsTrue {
			b.WriteString("\tTRUE\n")
		} else {
			b.WriteString("\tFALSE\n")
		}
	case TypeShort:
		if len(q.Accept) == 0 {
			return "", "GIFT has no regular expressions and the question has no accept list"
		}
		for _, a := range q.Accept {
			writeGIFTAnswer(&b, "=", a, "")
		}
	case TypeOrder:
		if len(q.Items) < 3 {
			return "", fmt.Sprintf("an order question becomes a matching question, and Moodle needs 3 pairs or more (it has %d items)", len(q.Items))
		}
		for i, it := range q.Items {
			fmt.Fprintf(&b, "\t=%s -> %s\n", giftEscape(giftStep(i+1)), giftEscape(it))
		}
	case TypeSpotLine:
		for i, line := range q.CodeLines() {
			mark := "~"
			if i+1 == q.AnswerLine {
				mark = "="
			}
			writeGIFTAnswer(&b, mark, giftLineOption(i+1, line), q.LineFeedback[i+1])
		}
	default:
		return "", fmt.Sprintf("type %q has no GIFT form", q.Type)
	}
	if e := strings.TrimSpace(q.Explanation); e != "" {
		fmt.Fprintf(&b, "\t####%s\n", giftEscape(e))
	}
	b.WriteString("}\n")
	return b.String(), ""
}

func writeGIFTAnswer(b *strings.Builder, mark, text, feedback string) {
	fmt.Fprintf(b, "\t%s%s", mark, giftEscape(text))
	if f := strings.TrimSpace(feedback); f != "" {
		fmt.Fprintf(b, " #%s", giftEscape(f))
	}
	b.WriteString("\n")
}

// giftWeight is 100/n as Moodle writes its grade fractions (5 decimals, no trailing zeros).
func giftWeight(n int) string {
	if n <= 0 {
		n = 1
	}
	return strconv.FormatFloat(float64(int(1e7/float64(n)+0.5))/1e5, 'f', -1, 64)
}

func giftStep(n int) string { return "Step " + strconv.Itoa(n) }

// giftLineOption is how a spot_line line reads as an option; a blank line still needs text.
func giftLineOption(n int, line string) string {
	if strings.TrimSpace(line) == "" {
		return fmt.Sprintf("Line %d: (blank)", n)
	}
	return fmt.Sprintf("Line %d: %s", n, line)
}

// giftEscape escapes GIFT's special characters (~ = # { } :), the backslash, and writes
// newlines as \n, so that text never ends a question or an answer early.
func giftEscape(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '~', '=', '#', '{', '}', ':':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
