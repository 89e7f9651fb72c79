package quiz

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"slices"
	"strconv"
	"strings"
)

// ContentHash identifies what a question asks and what counts as right, so the progress store
// can tell that a question changed under an id and stop trusting old answers (or review cards).
// It covers the type, prompt, code, options' text and correctness, answer, accepted answers,
// pattern, items and answer line. It leaves out what only helps or grades differently — hints,
// explanation, feedback, tags, difficulty, points — so fixing a typo in a hint keeps the history.
// Text is compared with line endings and trailing space normalised. 32 hex digits.
func (q *Question) ContentHash() string {
	h := sha256.New()
	field := func(name string, values ...string) {
		writeString(h, name)
		writeInt(h, len(values))
		for _, v := range values {
			writeString(h, v)
		}
	}
	field("v1") // bump when the fields change meaning
	field("type", string(q.Type))
	field("prompt", normText(q.Prompt))
	field("code", normText(q.Code))
	switch q.Type {
	case TypeSingle, TypeMultiple:
		opts := make([]string, 0, 2*len(q.Options))
		for _, o := range q.Options {
			opts = append(opts, normText(o.Text), strconv.FormatBool(o.Correct))
		}
		field("options", opts...)
	case TypeTrueFalse:
		field("answer", strconv.FormatBool(q.IsTrue))
	case TypeShort:
		accept := make([]string, len(q.Accept))
		for i, a := range q.Accept {
			accept[i] = NormalizeShort(a)
		}
		slices.Sort(accept) // the order of accepted answers does not change the question
		field("accept", accept...)
		field("pattern", q.Pattern)
	case TypeOrder:
		items := make([]string, len(q.Items))
		for i, it := range q.Items {
			items[i] = normText(it)
		}
		field("items", items...)
	case TypeSpotLine:
		field("answer_line", strconv.Itoa(q.AnswerLine))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

func writeString(h hash.Hash, s string) {
	writeInt(h, len(s))
	h.Write([]byte(s))
}

func writeInt(h hash.Hash, n int) {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(n))
	h.Write(b[:])
}

// normText makes text that reads the same hash the same: CRLF as LF, no trailing space on a
// line, no leading or trailing blank lines.
func normText(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return strings.Trim(strings.Join(lines, "\n"), "\n")
}
