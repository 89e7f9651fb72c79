package quiz

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

var giftLineOptionRE = regexp.MustCompile(`^Line ([0-9]+): (.*)$`)

// applyMeta sets the id and, from a stagecraft comment, what GIFT does not carry.
func (r *giftReader) applyMeta(b giftBlock, q *Question, title string) {
	m := b.meta
	id := title
	if m != nil && m.ID != "" {
		id = m.ID
	}
	if !ValidID(id) {
		id = slug(id)
	}
	r.n++
	if !ValidID(id) || len(id) > 64 {
		id = fmt.Sprintf("%s-%d", r.opts.IDPrefix, r.n)
	}
	if first, dup := r.ids[id]; dup {
		r.warnAt(b.pos(0), "question id %q is already used by the question at line %d; this one is %s-%d", id, first, id, r.n)
		id = fmt.Sprintf("%s-%d", id, r.n)
	}
	r.ids[id] = b.lines[0]
	q.ID = id
	if m == nil {
		return
	}
	if m.Difficulty.Rank() >= 0 {
		q.Difficulty = m.Difficulty
	}
	q.KeepOrder = m.KeepOrder && (q.Type == TypeSingle || q.Type == TypeMultiple)
	if m.Points > 0 {
		q.Points = m.Points
	}
	q.Tags, q.Hints = m.Tags, m.Hints
	if q.Type == TypeShort {
		q.Pattern = m.Pattern
	}
	// ExportGIFT shows the code under the prompt in a fenced block: take it back out.
	if p, code, ok := splitCodeFence(q.Prompt); ok {
		q.Prompt, q.Code = p, code
	}
	switch {
	case m.Type == TypeSpotLine && q.Type == TypeSingle:
		r.spotLine(q)
	case m.Type == TypeMultiple && q.Type == TypeSingle: // one right option weighs 100%
		q.Type = TypeMultiple
	}
}

// spotLine turns a single question over "Line N: …" options back into spot_line.
func (r *giftReader) spotLine(q *Question) {
	lines := make([]string, len(q.Options))
	feedback := map[int]string{}
	answer := 0
	for i, o := range q.Options {
		m := giftLineOptionRE.FindStringSubmatch(o.Text)
		if m == nil || m[1] != strconv.Itoa(i+1) {
			return // edited in the LMS: keep it a single question
		}
		lines[i] = m[2]
		if lines[i] == "(blank)" {
			lines[i] = ""
		}
		if o.Correct {
			answer = i + 1
		}
		if o.Feedback != "" {
			feedback[i+1] = o.Feedback
		}
	}
	q.Type, q.Options, q.AnswerLine = TypeSpotLine, nil, answer
	q.Code = strings.Join(lines, "\n") + "\n"
	if len(feedback) > 0 {
		q.LineFeedback = feedback
	}
}

var codeFence = regexp.MustCompile("(?s)^(.*?)\n*\n```dockerfile\n(.*\n)```$")

func splitCodeFence(prompt string) (string, string, bool) {
	m := codeFence.FindStringSubmatch(prompt)
	if m == nil {
		return prompt, "", false
	}
	return m[1], m[2], true
}

var nonID = regexp.MustCompile(`[^a-z0-9]+`)

// slug makes an id of a title: "Q1: Stages" → "q1-stages".
func slug(s string) string {
	return strings.Trim(nonID.ReplaceAllString(strings.ToLower(s), "-"), "-")
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n') {
		i++
	}
	return i
}

// indexUnescaped finds sub in s at or after from, skipping backslash escapes.
func indexUnescaped(s string, from int, sub string) int {
	for i := from; i < len(s); i++ {
		if s[i] == '\\' {
			i++
			continue
		}
		if strings.HasPrefix(s[i:], sub) {
			return i
		}
	}
	return -1
}

// giftUnescape undoes giftEscape: \~ \= \# \{ \} \: \\ are the characters, \n a newline; a
// backslash before anything else stays.
func giftUnescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			switch c := s[i+1]; c {
			case '~', '=', '#', '{', '}', ':', '\\':
				b.WriteByte(c)
				i++
				continue
			case 'n':
				b.WriteByte('\n')
				i++
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// QuizFromGIFT makes a quiz of imported questions and checks it as the course loader would: the
// YAML it marshals to must Parse. Errors are reported at the GIFT line of their question.
func QuizFromGIFT(filename string, imp *GIFTImport, id, title, lesson string) (*Quiz, []byte, error) {
	qz := &Quiz{ID: id, Title: title, Lesson: lesson, PassPercent: DefaultPassPercent, Questions: imp.Questions}
	data, starts := marshalQuiz(qz)
	if _, err := Parse(filename+".yaml", data); err != nil {
		var verrs ValidationErrors
		if !errors.As(err, &verrs) {
			return qz, data, err
		}
		var out ValidationErrors
		for _, e := range verrs {
			line, what := 0, "the quiz"
			// The question whose YAML starts last at or before the error: a binary search, as a
			// file of many questions may have an error in each.
			if i := sort.SearchInts(starts, e.Line+1) - 1; i >= 0 {
				line, what = imp.Lines[i], fmt.Sprintf("question %q", imp.Questions[i].ID)
			}
			out = append(out, Error{File: filename, Line: line, Col: 1, Msg: what + ": " + e.Msg})
		}
		return qz, data, out
	}
	return qz, data, nil
}
