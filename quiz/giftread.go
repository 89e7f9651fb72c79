package quiz

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
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

// giftAnswer is one =/~ answer of a block.
type giftAnswer struct {
	full     bool    // marked =, or weight 100
	tilde    bool    // marked ~
	weight   float64 // percent; = without a weight is 100
	text     string
	feedback string
	match    string // the right side of "left -> right" in a matching question
	isMatch  bool
	whole    string // the text before splitting at -> (an option may contain "->")
	off      int    // offset in the block text, for errors
}

// answers reads the answer block t[from:to] into q; false when it is an error.
func (r *giftReader) answers(b giftBlock, q *Question, from, to int) bool {
	t := b.text
	body := t[from:to]
	general := indexUnescaped(body, 0, "####")
	if general >= 0 {
		q.Explanation = strings.TrimSpace(giftUnescape(body[general+4:]))
		body = body[:general]
	}
	trimmed := strings.TrimSpace(body)
	switch {
	case trimmed == "":
		r.errAt(b.pos(from-1), "an essay question ({}) has no stagecraft type")
		return false
	case strings.HasPrefix(trimmed, "#"):
		r.errAt(b.pos(from-1), "a numerical question ({#…}) has no stagecraft type; write it as short with the accepted answers")
		return false
	}
	word := trimmed
	if h := indexUnescaped(word, 0, "#"); h >= 0 {
		word = strings.TrimSpace(word[:h])
	}
	switch strings.ToUpper(word) {
	case "T", "TRUE", "F", "FALSE":
		q.Type = TypeTrueFalse
		q.IsTrue = strings.HasPrefix(strings.ToUpper(word), "T")
		if word != trimmed {
			r.warnAt(b.pos(from), "true/false feedback has no place in stagecraft (use the explanation, ####); dropped")
		}
		return true
	}
	ans, ok := r.splitAnswers(b, from, body)
	if !ok {
		return false
	}
	var eq, tilde, matches int
	for _, a := range ans {
		if a.isMatch {
			matches++
		}
		if a.full {
			eq++
		}
		if a.tilde {
			tilde++
		}
	}
	if matches > 0 && matches < len(ans) { // "->" inside the text of an ordinary answer
		for i := range ans {
			ans[i].text, ans[i].isMatch = ans[i].whole, false
		}
		matches = 0
	}
	switch {
	case matches > 0:
		return r.order(b, q, from, ans)
	case tilde == 0:
		q.Type = TypeShort
		for _, a := range ans {
			if a.weight < 100 {
				r.warnAt(b.pos(a.off), "answer %q gives %g%% credit: stagecraft has no partial credit, so it is not accepted", a.text, a.weight)
				continue
			}
			q.Accept = append(q.Accept, a.text)
		}
		return true
	}
	positive := 0
	for _, a := range ans {
		if a.weight > 0 {
			positive++
		}
	}
	switch {
	case positive == 0:
		r.errAt(b.pos(from-1), "no answer is right: mark one with = (or a positive %%weight%%)")
		return false
	case eq == 1 || positive == 1:
		q.Type = TypeSingle
		for _, a := range ans {
			right := a.full || (eq == 0 && a.weight > 0)
			if a.weight > 0 && !right {
				r.warnAt(b.pos(a.off), "answer %q gives %g%% credit: stagecraft has no partial credit, so it counts as wrong", a.text, a.weight)
			}
			q.Options = append(q.Options, Option{Text: a.text, Correct: right, Feedback: a.feedback})
		}
	default:
		q.Type = TypeMultiple
		for _, a := range ans {
			q.Options = append(q.Options, Option{Text: a.text, Correct: a.weight > 0, Feedback: a.feedback})
		}
	}
	return true
}

// splitAnswers splits an answer block at each unescaped = or ~.
func (r *giftReader) splitAnswers(b giftBlock, from int, body string) ([]giftAnswer, bool) {
	var ans []giftAnswer
	start := -1
	end := func(to int) bool {
		if start < 0 {
			if s := strings.TrimSpace(body[:to]); s != "" {
				r.errAt(b.pos(from+skipSpace(body, 0)), "%q: each answer starts with = (right) or ~ (wrong)", s)
				return false
			}
			return true
		}
		a, ok := r.answer(b, from+start, body[start:to])
		if ok {
			ans = append(ans, a)
		}
		return ok
	}
	for i := 0; i < len(body); i++ {
		switch body[i] {
		case '\\':
			i++
		case '=', '~':
			if !end(i) {
				return nil, false
			}
			start = i
		}
	}
	if !end(len(body)) {
		return nil, false
	}
	return ans, true
}

// answer reads one answer, "=text#feedback", "~%50%text", "=left -> right".
func (r *giftReader) answer(b giftBlock, off int, raw string) (giftAnswer, bool) {
	a := giftAnswer{off: off, full: raw[0] == '=', tilde: raw[0] == '~'}
	if a.full {
		a.weight = 100
	}
	s := raw[1:]
	if strings.HasPrefix(s, "%") {
		end := strings.Index(s[1:], "%")
		w, err := strconv.ParseFloat(s[1:max(end+1, 1)], 64)
		if end < 0 || err != nil {
			r.errAt(b.pos(off), "the weight of an answer is written %%50%% (a percentage between percent signs)")
			return a, false
		}
		a.weight, a.full = w, w >= 100
		s = s[end+2:]
	}
	if h := indexUnescaped(s, 0, "#"); h >= 0 {
		a.feedback = strings.TrimSpace(giftUnescape(s[h+1:]))
		s = s[:h]
	}
	a.whole = strings.TrimSpace(giftUnescape(s))
	a.text = a.whole
	if left, right, ok := strings.Cut(s, "->"); ok && a.full {
		a.isMatch, a.match = true, strings.TrimSpace(giftUnescape(right))
		a.text = strings.TrimSpace(giftUnescape(left))
	}
	if a.whole == "" {
		r.errAt(b.pos(off), "an answer has no text")
		return a, false
	}
	return a, true
}

// order reads a matching question written from an order question: "Step 1 -> first item", ….
func (r *giftReader) order(b giftBlock, q *Question, from int, ans []giftAnswer) bool {
	for i, a := range ans {
		if !a.isMatch || a.text != giftStep(i+1) {
			r.errAt(b.pos(from-1), "a matching question has no stagecraft type (only one exported from an order question, =Step 1 -> … =Step 2 -> …, is read)")
			return false
		}
		q.Items = append(q.Items, a.match)
	}
	q.Type = TypeOrder
	return true
}

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
