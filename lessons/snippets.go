package lessons

import (
	"strings"

	"github.com/stagecraft/stagecraft/quiz"
	"github.com/stagecraft/stagecraft/quiz/yamlpos"
)

// Snippet is a Dockerfile code block of a lesson that its fence marks complete
// (```dockerfile complete): a whole Dockerfile that builds offline with the image catalog, in
// an empty build context or in the context of the exercise it names (context=<exercise-id>).
// The course's content check builds every one, so the Dockerfiles a lesson shows keep working.
type Snippet struct {
	Lesson     string // the lesson's id
	File       string // the lesson file in the course FS
	Line       int    // the file line of the opening fence; the Dockerfile's line 1 is Line+1
	Dockerfile []byte
	// Context is the id of the exercise whose build context the snippet builds in; "" builds
	// it in an empty context.
	Context string

	contextCol int // where context= is on the fence line, for errors
}

// Snippet attributes: words after the language on a Dockerfile fence. Only these are known,
// so a typo ("compelte") is an error instead of a snippet silently left unbuilt.
const (
	attrComplete = "complete"
	attrContext  = "context="
)

// Snippets returns the lesson's complete Dockerfile snippets, in file order.
func (l *Lesson) Snippets() []Snippet { return l.snippets }

// Snippets returns every complete Dockerfile snippet of the course, lesson by lesson in course
// order.
func (c *Course) Snippets() []Snippet {
	var out []Snippet
	for _, l := range c.Lessons {
		out = append(out, l.snippets...)
	}
	return out
}

// readSnippets finds the lesson's Dockerfile code blocks, checks the attributes on their fences
// and keeps the complete ones. Attributes on fences of other languages are the author's own
// business: Markdown gives them no meaning, and neither does stagecraft.
func readSnippets(d *yamlpos.Decoder, ls *Lesson) {
	var (
		fs   fenceScanner
		cur  *Snippet // the complete snippet being read
		body strings.Builder
	)
	for i, line := range strings.Split(ls.Body, "\n") {
		line = strings.TrimRight(line, "\r")
		fileLine := ls.BodyLine + i
		kind, m := fs.step(line)
		switch kind {
		case fenceOpening:
			if !dockerfileLangs[strings.ToLower(m[3])] {
				continue
			}
			cur = fenceAttrs(d, ls, fileLine, len(line)-len(m[4])+1, m[4])
			body.Reset()
		case codeLine:
			if cur != nil {
				body.WriteString(line)
				body.WriteByte('\n')
			}
		case fenceClosing:
			if cur != nil {
				cur.Dockerfile = []byte(body.String())
				if strings.TrimSpace(body.String()) == "" {
					d.ErrorAt(quiz.Pos{Line: cur.Line, Col: 1}, "this snippet is marked complete but is empty")
				} else {
					ls.snippets = append(ls.snippets, *cur)
				}
				cur = nil
			}
		}
	}
	if cur != nil {
		d.ErrorAt(quiz.Pos{Line: cur.Line, Col: 1}, "this complete snippet's code block is never closed")
	}
}

// fenceAttrs reads the words after a Dockerfile fence's language (rest, starting at column
// col of the file line). It returns the snippet they declare, or nil when the block is not
// marked complete.
func fenceAttrs(d *yamlpos.Decoder, ls *Lesson, line, col int, rest string) *Snippet {
	sn := &Snippet{Lesson: ls.ID, File: ls.File, Line: line}
	complete, hasContext := false, false
	off := 0
	for _, word := range strings.Fields(rest) {
		at := strings.Index(rest[off:], word) + off
		off = at + len(word)
		pos := quiz.Pos{Line: line, Col: col + at}
		switch {
		case word == attrComplete:
			complete = true
		case strings.HasPrefix(word, attrContext):
			id := strings.TrimPrefix(word, attrContext)
			if id == "" {
				d.ErrorAt(pos, "context= needs an exercise id: context=<exercise-id> builds the snippet in that exercise's build context")
				continue
			}
			sn.Context, sn.contextCol, hasContext = id, pos.Col, true
		default:
			d.ErrorAt(pos, "unknown snippet attribute %q: a Dockerfile fence takes %q and %q%s", word, attrComplete, attrContext+"<exercise-id>",
				suggest(word, []string{attrComplete, attrContext}))
		}
	}
	if hasContext && !complete {
		d.ErrorAt(quiz.Pos{Line: line, Col: sn.contextCol}, "context= is only for snippets marked complete (```dockerfile complete context=%s)", sn.Context)
	}
	if !complete {
		return nil
	}
	return sn
}

// checkSnippetContexts makes sure every context= names an exercise that has a build context.
func (l *loader) checkSnippetContexts(c *Course, exerciseIDs []string) {
	for _, ls := range c.lessons {
		for _, sn := range ls.snippets {
			if sn.Context == "" {
				continue
			}
			pos := quiz.Pos{Line: sn.Line, Col: sn.contextCol}
			switch ex := c.exercises[sn.Context]; {
			case ex == nil:
				l.at(ls.File, pos, "context=%s: exercise %q does not exist (no exercises/%s/exercise.yaml)%s", sn.Context, sn.Context, sn.Context, suggest(sn.Context, exerciseIDs))
			case ex.Context == "":
				l.at(ls.File, pos, "context=%s: exercise %q has no build context (its exercise.yaml sets no context:)", sn.Context, sn.Context)
			}
		}
	}
}
