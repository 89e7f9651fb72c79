package quiz

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Reading Moodle GIFT into course questions, for authors who keep questions in an LMS. What
// stagecraft has a type for is read: multiple choice (one right answer → single, several →
// multiple), true/false, short answer, and matching questions written by ExportGIFT from order
// questions ("Step 1 -> …"). Numerical, essay, description and other matching questions have no
// stagecraft type and are errors at their line. Partial credit is dropped (stagecraft scores
// all-or-nothing) with a warning. A "// stagecraft: {…}" comment before a question (ExportGIFT
// writes one) restores what GIFT cannot say: id, difficulty, points, tags, hints, pattern, code
// and the spot_line type.

// GIFTImport is what ReadGIFT read.
type GIFTImport struct {
	Questions []*Question
	Category  string // the first $CATEGORY, if any
	// Warnings are what was read but changed on the way (partial credit dropped, HTML kept as
	// text), each at its line.
	Warnings ValidationErrors
	// Lines is the GIFT line each question starts on.
	Lines []int
}

// GIFTOptions tune ReadGIFT.
type GIFTOptions struct {
	// Difficulty for questions without a stagecraft comment; "" means medium.
	Difficulty Difficulty
	// IDPrefix names questions whose title is not a usable id: <prefix>-1, <prefix>-2, …;
	// "" means "imported".
	IDPrefix string
}

// ReadGIFT reads a GIFT file. filename is how errors name it. Every question that cannot be read
// is an error at its line (ValidationErrors, all of them); the import holds the others.
func ReadGIFT(filename string, data []byte, opts GIFTOptions) (*GIFTImport, error) {
	if opts.Difficulty == "" {
		opts.Difficulty = Medium
	}
	if opts.IDPrefix == "" {
		opts.IDPrefix = "imported"
	}
	r := &giftReader{file: filename, opts: opts, ids: map[string]int{}}
	r.read(string(data))
	if len(r.errs) > 0 {
		r.errs.Sort()
		return &r.out, r.errs
	}
	return &r.out, nil
}

type giftReader struct {
	file string
	opts GIFTOptions
	out  GIFTImport
	errs ValidationErrors
	ids  map[string]int // id → line, for duplicates
	n    int            // questions seen, for generated ids
}

// giftBlock is one question's text: lines between blank lines, comments removed.
type giftBlock struct {
	text   string
	lines  []int // GIFT line of each line of text
	starts []int // offset in text where each line of text starts
	meta   *giftMeta
}

// pos turns an offset in b.text into a GIFT line and column. It looks the line up in starts
// rather than counting newlines from the top: a block of many answers gets a warning on each,
// and counting would make reading it quadratic.
func (b giftBlock) pos(off int) Pos {
	off = min(max(off, 0), len(b.text))
	line := max(sort.SearchInts(b.starts, off+1)-1, 0)
	col := off - b.starts[line] + 1
	if line >= len(b.lines) {
		line = len(b.lines) - 1
	}
	return Pos{Line: b.lines[line], Col: col}
}

func (r *giftReader) errAt(p Pos, format string, a ...any) {
	r.errs = append(r.errs, Error{File: r.file, Line: p.Line, Col: p.Col, Msg: fmt.Sprintf(format, a...)})
}

func (r *giftReader) warnAt(p Pos, format string, a ...any) {
	r.out.Warnings = append(r.out.Warnings, Error{File: r.file, Line: p.Line, Col: p.Col, Msg: fmt.Sprintf(format, a...)})
}

func (r *giftReader) read(data string) {
	data = strings.TrimPrefix(data, "\ufeff")
	var cur giftBlock
	// The block's text grows in a Builder: adding each line to a string copied the whole block
	// every time, quadratic in its size (a 7 MB file took 53 s and 2.9 GB).
	var text strings.Builder
	var pending *giftMeta
	flush := func() {
		if text.Len() > 0 {
			cur.text = strings.TrimSuffix(text.String(), "\n")
			r.block(cur)
		}
		cur = giftBlock{}
		text.Reset()
	}
	for i, line := range strings.Split(strings.ReplaceAll(data, "\r\n", "\n"), "\n") {
		n := i + 1
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "":
			flush()
		case strings.HasPrefix(trimmed, "//"):
			if meta, ok := strings.CutPrefix(trimmed, strings.TrimSpace(giftMetaPrefix)); ok {
				var m giftMeta
				if err := json.Unmarshal([]byte(strings.TrimSpace(meta)), &m); err != nil {
					r.warnAt(Pos{Line: n, Col: 1}, "the stagecraft comment is not valid JSON (%v); the question after it is read without it", err)
					continue
				}
				pending = &m
			}
		case text.Len() == 0 && strings.HasPrefix(trimmed, "$CATEGORY:"):
			if r.out.Category == "" {
				r.out.Category = strings.TrimSpace(strings.TrimPrefix(trimmed, "$CATEGORY:"))
			}
		default:
			if text.Len() == 0 {
				cur.meta, pending = pending, nil
			}
			cur.starts = append(cur.starts, text.Len())
			text.WriteString(line)
			text.WriteByte('\n')
			cur.lines = append(cur.lines, n)
		}
	}
	flush()
}

var giftFormat = regexp.MustCompile(`^\[(html|moodle|plain|markdown)\]`)

// block reads one question.
func (r *giftReader) block(b giftBlock) {
	t := b.text
	i := skipSpace(t, 0)
	var title string
	if strings.HasPrefix(t[i:], "::") {
		end := indexUnescaped(t, i+2, "::")
		if end < 0 {
			r.errAt(b.pos(i), "the title opened with :: is never closed (escape a literal colon as \\:)")
			return
		}
		title = strings.TrimSpace(giftUnescape(t[i+2 : end]))
		i = skipSpace(t, end+2)
	}
	if m := giftFormat.FindStringSubmatch(t[i:]); m != nil {
		if m[1] == "html" {
			r.warnAt(b.pos(i), "the question is [html]: its text is kept as written (course prompts are Markdown)")
		}
		i += len(m[0])
	}
	open := indexUnescaped(t, i, "{")
	if open < 0 {
		r.errAt(b.pos(i), "no answers ({…}): a description or a question without answers has no stagecraft type")
		return
	}
	closing := indexUnescaped(t, open+1, "}")
	if closing < 0 {
		r.errAt(b.pos(open), "the answers opened here are never closed with }")
		return
	}
	prompt := strings.TrimSpace(t[i:open])
	if after := strings.TrimSpace(t[closing+1:]); after != "" {
		prompt = strings.TrimSpace(prompt + " _____ " + after) // the missing-word form
	}
	q := &Question{Prompt: giftUnescape(prompt), Points: 1, Difficulty: r.opts.Difficulty}
	if strings.TrimSpace(q.Prompt) == "" {
		q.Prompt = title
	}
	if !r.answers(b, q, open+1, closing) {
		return
	}
	r.applyMeta(b, q, title)
	r.out.Questions = append(r.out.Questions, q)
	r.out.Lines = append(r.out.Lines, b.lines[0])
}
