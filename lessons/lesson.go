package lessons

import (
	"strings"

	xansi "github.com/charmbracelet/x/ansi"

	"github.com/stagecraft/stagecraft/quiz"
	"github.com/stagecraft/stagecraft/quiz/yamlpos"
)

// splitFrontMatter splits a lesson file into its front matter (the YAML between a first line
// "---" and the next "---" line) and its body. fmLine and bodyLine are the file lines they start
// on; ok is false when the file does not open with front matter or never closes it.
func splitFrontMatter(data string) (fm string, fmLine int, body string, bodyLine int, ok bool, closed bool) {
	data = strings.TrimPrefix(data, "\ufeff")
	first, rest, _ := strings.Cut(data, "\n")
	if strings.TrimRight(first, " \t\r") != "---" {
		return "", 0, "", 0, false, false
	}
	line := 2
	offset := 0
	for offset <= len(rest) {
		end := strings.IndexByte(rest[offset:], '\n')
		var cur string
		if end < 0 {
			cur = rest[offset:]
		} else {
			cur = rest[offset : offset+end]
		}
		if strings.TrimRight(cur, " \t\r") == "---" {
			body := ""
			if end >= 0 {
				body = rest[offset+end+1:]
			}
			return rest[:offset], 2, body, line + 1, true, true
		}
		if end < 0 {
			break
		}
		offset += end + 1
		line++
	}
	return "", 0, "", 0, true, false
}

// parseLesson reads one lesson file: its front matter and body.
func parseLesson(file string, data []byte) (*Lesson, quiz.ValidationErrors) {
	ls := &Lesson{File: file, pos: map[string]quiz.Pos{}}
	d := &yamlpos.Decoder{File: file}
	fm, fmLine, body, bodyLine, opened, closed := splitFrontMatter(string(data))
	switch {
	case !opened:
		d.ErrorAt(quiz.Pos{Line: 1, Col: 1}, "a lesson starts with front matter: a --- line, YAML (id, title, module, order, …), and another --- line")
		return ls, d.Errs
	case !closed:
		d.ErrorAt(quiz.Pos{Line: 1, Col: 1}, "the front matter opened here is never closed by a --- line")
		return ls, d.Errs
	}
	ls.Body, ls.BodyLine = body, bodyLine
	root := d.Parse([]byte(fm), fmLine)
	if root == nil {
		if len(d.Errs) == 0 {
			d.ErrorAt(quiz.Pos{Line: 1, Col: 1}, "the front matter is empty: a lesson needs id, title, module and order")
		}
		return ls, d.Errs
	}
	keys := d.Map(root, "the front matter", yamlpos.Fields{
		"id":         yamlpos.String(&ls.ID),
		"title":      yamlpos.String(&ls.Title),
		"module":     yamlpos.String(&ls.Module),
		"order":      yamlpos.Int(&ls.Order),
		"minutes":    yamlpos.Int(&ls.Minutes),
		"objectives": yamlpos.Strings(&ls.Objectives),
		"quiz":       yamlpos.String(&ls.Quiz),
		"exercises":  yamlpos.StringsAt(&ls.Exercises, &ls.exercisePos),
	})
	for _, k := range []string{"id", "module", "order", "quiz"} {
		ls.pos[k] = keys.Pos(k)
	}
	for _, req := range []string{"id", "title", "module", "order"} {
		if !keys.Has(req) {
			d.ErrorAt(keys.KeyPos(req), "the lesson needs %q", req)
		}
	}
	quiz.CheckID(d, keys.Pos("id"), "lesson", ls.ID)
	if v, ok := yamlpos.IntValue(keys.Value("order")); ok && v < 1 {
		d.ErrorAt(keys.Pos("order"), "order must be 1 or more, not %d", ls.Order)
	}
	if ls.Minutes < 0 {
		d.ErrorAt(keys.Pos("minutes"), "minutes must not be negative")
	}
	for i, o := range ls.Objectives {
		if strings.TrimSpace(o) == "" {
			d.ErrorAt(keys.Pos("objectives"), "objectives: objective %d is empty", i+1)
		}
	}
	if strings.TrimSpace(ls.Body) == "" {
		d.ErrorAt(quiz.Pos{Line: bodyLine - 1, Col: 1}, "the lesson has no text after its front matter")
	}
	checkCodeWidth(d, ls)
	readSnippets(d, ls)
	return ls, d.Errs
}

// checkCodeWidth keeps every line of the lesson's code blocks within CodeWidth columns, so
// that no terminal from MinWidth up has to re-wrap a Dockerfile or an ASCII diagram.
func checkCodeWidth(d *yamlpos.Decoder, ls *Lesson) {
	var fs fenceScanner
	for i, line := range strings.Split(ls.Body, "\n") {
		line = strings.TrimRight(line, "\r")
		if kind, _ := fs.step(line); kind != codeLine {
			continue
		}
		if w := displayWidth(line); w > CodeWidth {
			d.ErrorAt(quiz.Pos{Line: ls.BodyLine + i, Col: CodeWidth + 1},
				"this code line is %d columns wide; code in lessons must fit in %d so that it is not re-wrapped in a %d-column terminal", w, CodeWidth, MinWidth)
		}
	}
}

// displayWidth is how many terminal columns line takes, tabs going to the next multiple of 8.
func displayWidth(line string) int {
	if !strings.Contains(line, "\t") {
		return xansi.StringWidth(line)
	}
	w := 0
	for i, part := range strings.Split(line, "\t") {
		if i > 0 {
			w += 8 - w%8
		}
		w += xansi.StringWidth(part)
	}
	return w
}
