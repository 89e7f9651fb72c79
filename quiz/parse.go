package quiz

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/goccy/go-yaml/ast"

	"github.com/stagecraft/stagecraft/quiz/yamlpos"
)

// idPattern is what ids look like: they name files and end up in the progress store.
var idPattern = regexp.MustCompile(`^[a-z0-9]+([._-][a-z0-9]+)*$`)

// ValidID reports whether s is a well-formed id: lower-case letters and digits, separated by
// single dashes, dots or underscores (why-images-grow, wig-layers-1).
func ValidID(s string) bool { return idPattern.MatchString(s) }

// CheckID records an error at p when id is not well-formed.
func CheckID(d *yamlpos.Decoder, p Pos, what, id string) {
	if id != "" && !ValidID(id) {
		d.ErrorAt(p, "%s id %q must be lower-case letters and digits separated by dashes (like %s)", what, id, "wig-layers-1")
	}
}

// Parse reads one quiz file. filename is how errors name the file (a path in the course
// folder). It returns every mistake in the file as ValidationErrors. Even then the quiz it
// returns is not nil: it holds what could be read (ids, questions), so a course check can still
// cross-check the rest of the course against it; use it for nothing else when err is not nil.
func Parse(filename string, data []byte) (*Quiz, error) {
	d := &yamlpos.Decoder{File: filename}
	qz := parse(d, data)
	if len(d.Errs) > 0 {
		d.Errs.Sort()
		return qz, d.Errs
	}
	return qz, nil
}

func parse(d *yamlpos.Decoder, data []byte) *Quiz {
	qz := &Quiz{File: d.File, PassPercent: DefaultPassPercent}
	root := d.Parse(data, 1)
	if root == nil {
		if len(d.Errs) == 0 {
			d.ErrorAt(Pos{Line: 1, Col: 1}, "the quiz file is empty")
		}
		return qz
	}
	var questionNodes []ast.Node
	keys := d.Map(root, "the quiz", yamlpos.Fields{
		"id":           yamlpos.String(&qz.ID),
		"title":        yamlpos.String(&qz.Title),
		"lesson":       yamlpos.String(&qz.Lesson),
		"pass_percent": yamlpos.Int(&qz.PassPercent),
		"questions": func(d *yamlpos.Decoder, key string, n ast.Node) {
			questionNodes = d.Seq(key, n)
		},
	})
	qz.IDPos, qz.LessonPos = keys.Pos("id"), keys.Pos("lesson")
	for _, req := range []string{"id", "title", "lesson"} {
		if !keys.Has(req) {
			d.ErrorAt(keys.KeyPos(req), "the quiz needs %q", req)
		}
	}
	CheckID(d, qz.IDPos, "quiz", qz.ID)
	if qz.PassPercent < 0 || qz.PassPercent > 100 {
		d.ErrorAt(keys.Pos("pass_percent"), "pass_percent must be between 0 and 100, not %d", qz.PassPercent)
	}
	if len(questionNodes) == 0 {
		d.ErrorAt(keys.Pos("questions"), "the quiz has no questions")
	}
	seen := map[string]Pos{}
	for _, n := range questionNodes {
		q := parseQuestion(d, n)
		q.Quiz, q.Lesson, q.File = qz.ID, qz.Lesson, d.File
		if q.ID != "" {
			if first, dup := seen[q.ID]; dup {
				d.ErrorAt(q.IDPos, "question id %q is already used at %s:%s", q.ID, d.File, first)
			} else {
				seen[q.ID] = q.IDPos
			}
		}
		qz.Questions = append(qz.Questions, q)
	}
	return qz
}

// typeFields are the fields only some types use; a question of another type may not set them.
var typeFields = map[string][]Type{
	"options":       {TypeSingle, TypeMultiple},
	"answer":        {TypeTrueFalse},
	"accept":        {TypeShort},
	"pattern":       {TypeShort},
	"items":         {TypeOrder},
	"shuffle":       {TypeSingle, TypeMultiple},
	"answer_line":   {TypeSpotLine},
	"line_feedback": {TypeSpotLine},
}

func parseQuestion(d *yamlpos.Decoder, n ast.Node) *Question {
	q := &Question{Points: 1}
	var (
		typ, difficulty string
		answer          *bool
		shuffle         = true
		optionNodes     []ast.Node
		lineFeedback    = map[int]Pos{}
	)
	keys := d.Map(n, "a question", yamlpos.Fields{
		"id":          yamlpos.String(&q.ID),
		"type":        yamlpos.String(&typ),
		"difficulty":  yamlpos.String(&difficulty),
		"points":      yamlpos.Int(&q.Points),
		"tags":        yamlpos.Strings(&q.Tags),
		"prompt":      yamlpos.String(&q.Prompt),
		"code":        yamlpos.String(&q.Code),
		"hints":       yamlpos.Strings(&q.Hints),
		"explanation": yamlpos.String(&q.Explanation),
		"options": func(d *yamlpos.Decoder, key string, n ast.Node) {
			optionNodes = d.Seq(key, n)
		},
		"answer":      yamlpos.BoolPtr(&answer),
		"shuffle":     yamlpos.Bool(&shuffle),
		"accept":      yamlpos.Strings(&q.Accept),
		"pattern":     yamlpos.String(&q.Pattern),
		"items":       yamlpos.Strings(&q.Items),
		"answer_line": yamlpos.Int(&q.AnswerLine),
		"line_feedback": func(d *yamlpos.Decoder, key string, n ast.Node) {
			pairs, ok := yamlpos.Pairs(n)
			if !ok {
				d.Errorf(n, "line_feedback must be a mapping of line number: feedback")
				return
			}
			q.LineFeedback = map[int]string{}
			for _, kv := range pairs {
				line, ok := yamlpos.IntValue(kv.Key)
				if !ok {
					d.Errorf(kv.Key, "line_feedback keys are line numbers of code, not %q", kv.Key.String())
					continue
				}
				text, ok := yamlpos.ScalarText(kv.Value)
				if !ok {
					d.Errorf(kv.Value, "line_feedback for line %d must be text", line)
					continue
				}
				q.LineFeedback[line] = text
				lineFeedback[line] = yamlpos.PosOf(kv.Key)
			}
		},
	})
	q.IDPos = keys.Pos("id")
	name := "the question"
	if q.ID != "" {
		name = fmt.Sprintf("question %q", q.ID)
	}
	for _, req := range []string{"id", "type", "difficulty", "prompt"} {
		if !keys.Has(req) {
			d.ErrorAt(keys.KeyPos(req), "%s needs %q", name, req)
		}
	}
	CheckID(d, q.IDPos, "question", q.ID)
	q.Type = Type(typ)
	if typ != "" && !slices.Contains(Types(), q.Type) {
		d.ErrorAt(keys.Pos("type"), "type %q is not one of %s%s", typ, joinTypes(), suggest(typ, typeNames()))
		q.Type = ""
	}
	q.Difficulty = Difficulty(difficulty)
	if difficulty != "" && q.Difficulty.Rank() < 0 {
		d.ErrorAt(keys.Pos("difficulty"), "difficulty %q is not one of easy, medium, hard%s", difficulty, suggest(difficulty, []string{"easy", "medium", "hard"}))
	}
	if keys.Has("points") && q.Points < 1 {
		d.ErrorAt(keys.Pos("points"), "points must be at least 1, not %d", q.Points)
	}
	for i, h := range q.Hints {
		if strings.TrimSpace(h) == "" {
			d.ErrorAt(keys.Pos("hints"), "hints: hint %d is empty", i+1)
		}
	}
	for i, t := range q.Tags {
		if strings.TrimSpace(t) == "" {
			d.ErrorAt(keys.Pos("tags"), "tags: tag %d is empty", i+1)
		}
	}
	if q.Type == "" {
		return q // without a type, the type-specific checks would only add noise
	}
	for field, types := range typeFields {
		if keys.Value(field) != nil && !slices.Contains(types, q.Type) {
			d.ErrorAt(keys.KeyPos(field), "%s is not used by %s questions (it belongs to %s)", field, q.Type, joinOf(types))
		}
	}
	switch q.Type {
	case TypeSingle, TypeMultiple:
		q.Options = parseOptions(d, optionNodes)
		q.KeepOrder = !shuffle
		checkOptions(d, q, keys, optionNodes)
	case TypeTrueFalse:
		if answer == nil {
			if !keys.Has("answer") {
				d.ErrorAt(yamlpos.PosOf(keys.Node), "%s is true_false: it needs \"answer: true\" or \"answer: false\"", name)
			}
		} else {
			q.IsTrue = *answer
		}
	case TypeShort:
		if !keys.Has("accept") && !keys.Has("pattern") {
			d.ErrorAt(yamlpos.PosOf(keys.Node), "%s is short: it needs \"accept\" (accepted answers) or \"pattern\" (a regular expression), or both", name)
		}
		if keys.Has("accept") && len(q.Accept) == 0 {
			d.ErrorAt(keys.Pos("accept"), "accept lists no answers")
		}
		for i, a := range q.Accept {
			if NormalizeShort(a) == "" {
				d.ErrorAt(keys.Pos("accept"), "accept: answer %d is empty", i+1)
			}
		}
		if q.Pattern != "" {
			re, err := compilePattern(q.Pattern)
			if err != nil {
				d.ErrorAt(keys.Pos("pattern"), "pattern is not a valid Go regular expression: %v", err)
			}
			q.pattern = re
		}
	case TypeOrder:
		if len(q.Items) < 2 {
			d.ErrorAt(keys.Pos("items"), "%s is order: it needs at least 2 items, has %d", name, len(q.Items))
		}
	case TypeSpotLine:
		lines := len(q.CodeLines())
		if lines == 0 {
			d.ErrorAt(keys.Pos("code"), "%s is spot_line: it needs \"code\" (the lines to choose from)", name)
		}
		if !keys.Has("answer_line") {
			d.ErrorAt(yamlpos.PosOf(keys.Node), "%s is spot_line: it needs \"answer_line\" (the 1-based line of code that is wrong)", name)
		} else if lines > 0 && (q.AnswerLine < 1 || q.AnswerLine > lines) {
			d.ErrorAt(keys.Pos("answer_line"), "answer_line %d is outside code (lines 1 to %d)", q.AnswerLine, lines)
		}
		for line, p := range lineFeedback {
			if lines > 0 && (line < 1 || line > lines) {
				d.ErrorAt(p, "line_feedback for line %d: code has lines 1 to %d", line, lines)
			}
		}
	}
	return q
}

func parseOptions(d *yamlpos.Decoder, nodes []ast.Node) []Option {
	opts := make([]Option, len(nodes))
	for i, n := range nodes {
		o := &opts[i]
		keys := d.Map(n, fmt.Sprintf("option %d", i+1), yamlpos.Fields{
			"text":     yamlpos.String(&o.Text),
			"correct":  yamlpos.Bool(&o.Correct),
			"feedback": yamlpos.String(&o.Feedback),
		})
		if !keys.Has("text") {
			d.ErrorAt(keys.KeyPos("text"), "option %d needs %q", i+1, "text")
		}
	}
	return opts
}

func checkOptions(d *yamlpos.Decoder, q *Question, keys yamlpos.Keys, nodes []ast.Node) {
	if len(q.Options) < 2 {
		d.ErrorAt(keys.Pos("options"), "a %s question needs at least 2 options, has %d", q.Type, len(q.Options))
		return
	}
	correct := q.CorrectOptions()
	switch {
	case len(correct) == 0 && q.Type == TypeSingle:
		d.ErrorAt(keys.Pos("options"), "no option is marked correct: true (a single question has exactly one)")
	case len(correct) == 0:
		d.ErrorAt(keys.Pos("options"), "no option is marked correct: true (a multiple question needs at least one)")
	case len(correct) > 1 && q.Type == TypeSingle:
		first := yamlpos.PosOf(nodes[correct[0]])
		for _, i := range correct[1:] {
			d.ErrorAt(yamlpos.PosOf(yamlpos.ValueOf(nodes[i], "correct")), "option %d is also correct: a single question has exactly one correct option (option %d, line %d); use type: multiple for more",
				i+1, correct[0]+1, first.Line)
		}
	}
	seen := map[string]int{}
	for i, o := range q.Options {
		t := strings.TrimSpace(o.Text)
		if j, dup := seen[t]; dup && t != "" {
			d.ErrorAt(yamlpos.PosOf(nodes[i]), "option %d has the same text as option %d", i+1, j+1)
		}
		seen[t] = i
	}
}

func typeNames() []string {
	names := make([]string, 0, len(Types()))
	for _, t := range Types() {
		names = append(names, string(t))
	}
	return names
}

func joinTypes() string { return strings.Join(typeNames(), ", ") }

func joinOf(types []Type) string {
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = string(t)
	}
	return strings.Join(names, " and ")
}

// suggest returns ` (did you mean "x"?)` when s is a near miss of a candidate.
func suggest(s string, candidates []string) string {
	if c := yamlpos.Closest(s, candidates); c != "" {
		return fmt.Sprintf(" (did you mean %q?)", c)
	}
	return ""
}
