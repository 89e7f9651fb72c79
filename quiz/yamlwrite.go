package quiz

import (
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// MarshalYAML writes a quiz in the course format (docs/course-format.md), fields in the order the
// format documents them, Markdown as block scalars, so that an author can edit the result. Parse
// reads it back to an equal quiz. It is how `stagecraft quiz import` writes what it read.
func MarshalYAML(qz *Quiz) []byte {
	data, _ := marshalQuiz(qz)
	return data
}

// marshalQuiz also returns the 1-based line where each question starts.
func marshalQuiz(qz *Quiz) ([]byte, []int) {
	w := &yamlWriter{}
	w.field(0, "id", qz.ID)
	w.field(0, "title", qz.Title)
	w.field(0, "lesson", qz.Lesson)
	if qz.PassPercent != DefaultPassPercent {
		w.line(0, "pass_percent: "+strconv.Itoa(qz.PassPercent))
	}
	w.line(0, "questions:")
	starts := make([]int, len(qz.Questions))
	for i, q := range qz.Questions {
		if i > 0 {
			w.line(0, "")
		}
		starts[i] = w.lines + 1
		w.question(q)
	}
	return []byte(w.b.String()), starts
}

type yamlWriter struct {
	b     strings.Builder
	lines int
	item  bool // the next line starts a list item ("- ")
}

func (w *yamlWriter) line(indent int, s string) {
	if s == "" {
		w.b.WriteString("\n")
		w.lines++
		return
	}
	if w.item {
		w.b.WriteString(strings.Repeat(" ", indent-2) + "- ")
		w.item = false
	} else {
		w.b.WriteString(strings.Repeat(" ", indent))
	}
	w.b.WriteString(s)
	w.b.WriteString("\n")
	w.lines++
}

// field writes key: value, as a block scalar when value has several lines.
func (w *yamlWriter) field(indent int, key, value string) {
	if !strings.Contains(value, "\n") || !blockSafe(value) {
		w.line(indent, key+": "+yamlScalar(value, false))
		return
	}
	w.line(indent, key+": "+blockHeader(value))
	for _, l := range blockLines(value) {
		if l == "" {
			w.line(0, "")
		} else {
			w.b.WriteString(strings.Repeat(" ", indent+2) + l + "\n")
			w.lines++
		}
	}
}

func (w *yamlWriter) list(indent int, key string, values []string) {
	if len(values) == 0 {
		return
	}
	if !slices.ContainsFunc(values, func(v string) bool { return !flowSafe(v) }) {
		w.line(indent, key+": ["+strings.Join(values, ", ")+"]")
		return
	}
	w.line(indent, key+":")
	for _, v := range values {
		w.item = true
		if strings.Contains(v, "\n") && blockSafe(v) {
			w.line(indent+4, blockHeader(v))
			for _, l := range blockLines(v) {
				if l == "" {
					w.line(0, "")
				} else {
					w.b.WriteString(strings.Repeat(" ", indent+4) + l + "\n")
					w.lines++
				}
			}
			continue
		}
		w.line(indent+4, yamlScalar(v, false))
	}
}

func (w *yamlWriter) question(q *Question) {
	const in = 4
	w.item = true
	w.field(in, "id", q.ID)
	w.field(in, "type", string(q.Type))
	w.field(in, "difficulty", string(q.Difficulty))
	if q.Points > 1 {
		w.line(in, "points: "+strconv.Itoa(q.Points))
	}
	w.list(in, "tags", q.Tags)
	w.field(in, "prompt", q.Prompt)
	if q.Code != "" {
		w.field(in, "code", q.Code)
	}
	switch q.Type {
	case TypeSingle, TypeMultiple:
		if q.KeepOrder {
			w.line(in, "shuffle: false")
		}
		w.line(in, "options:")
		for _, o := range q.Options {
			w.item = true
			w.field(in+4, "text", o.Text)
			if o.Correct {
				w.line(in+4, "correct: true")
			}
			if o.Feedback != "" {
				w.field(in+4, "feedback", o.Feedback)
			}
		}
	case TypeTrueFalse:
		w.line(in, "answer: "+strconv.FormatBool(q.IsTrue))
	case TypeShort:
		w.list(in, "accept", q.Accept)
		if q.Pattern != "" {
			w.line(in, "pattern: "+yamlScalar(q.Pattern, true))
		}
	case TypeOrder:
		w.list(in, "items", q.Items)
	case TypeSpotLine:
		w.line(in, "answer_line: "+strconv.Itoa(q.AnswerLine))
		if len(q.LineFeedback) > 0 {
			w.line(in, "line_feedback:")
			for _, n := range slices.Sorted(maps.Keys(q.LineFeedback)) {
				w.field(in+2, strconv.Itoa(n), q.LineFeedback[n])
			}
		}
	}
	w.list(in, "hints", q.Hints)
	if q.Explanation != "" {
		w.field(in, "explanation", q.Explanation)
	}
}

// plainSafe: a scalar that YAML reads back as this exact string without quotes.
var plainSafe = regexp.MustCompile(`^[A-Za-z0-9_./(][^\t\n\r#"'\\]*$`)

// plainSpecial are plain scalars YAML would read as something other than a string.
var plainSpecial = regexp.MustCompile(`(?i)^(true|false|yes|no|on|off|y|n|null|~|[-+]?(\.inf|\.nan|[0-9][0-9_.:eExXoObB+-]*))$`)

func isPlain(s string) bool {
	return plainSafe.MatchString(s) && !plainSpecial.MatchString(s) && !strings.Contains(s, ": ") &&
		!strings.HasSuffix(s, ":") && strings.TrimSpace(s) == s
}

func flowSafe(s string) bool { return isPlain(s) && !strings.ContainsAny(s, ",[]{}") }

// yamlScalar quotes s when it must be: single quotes for patterns (no escapes to think about),
// double quotes with escapes otherwise.
func yamlScalar(s string, preferSingle bool) string {
	if isPlain(s) {
		return s
	}
	if preferSingle && !strings.ContainsAny(s, "\n\r\t") {
		return "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	return strconv.Quote(s) // Go's escapes are a subset of YAML's double-quoted ones
}

// blockSafe: text a literal block scalar keeps exactly (no control characters, no space-only
// lines that indentation would eat, no trailing spaces on the last line).
func blockSafe(s string) bool {
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		if strings.TrimSpace(l) == "" && l != "" {
			return false
		}
		for _, r := range l {
			if r < 0x20 && r != '\t' || r == 0x7f || r == '\r' {
				return false
			}
		}
	}
	return strings.TrimRight(s, "\n") != ""
}

// blockHeader is | with the chomping (and indentation) indicator that keeps s exact.
func blockHeader(s string) string {
	h := "|"
	if strings.HasPrefix(s, " ") || strings.HasPrefix(s, "\t") {
		h += "2"
	}
	switch {
	case !strings.HasSuffix(s, "\n"):
		h += "-"
	case strings.HasSuffix(s, "\n\n"):
		h += "+"
	}
	return h
}

// blockLines are the lines of a block scalar's body; with |+ the trailing empty ones are kept.
func blockLines(s string) []string {
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}
