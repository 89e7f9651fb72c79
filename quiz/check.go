package quiz

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Answer is what a learner answered. Each question type takes one kind: Choices (single,
// multiple), Bool (true_false), Text (short), Permutation (order), Line (spot_line).
type Answer interface{ answer() }

// Choices are the 0-based indexes of the options the learner picked.
type Choices []int

// Bool is a true_false answer.
type Bool bool

// Text is a short answer as typed.
type Text string

// Permutation is an order answer: the learner's sequence, each element an index into Items (the
// correct order). The identity permutation is right.
type Permutation []int

// Line is a spot_line answer: the 1-based line of Code the learner picked.
type Line int

func (Choices) answer()     {}
func (Bool) answer()        {}
func (Text) answer()        {}
func (Permutation) answer() {}
func (Line) answer()        {}

// Result is a scored answer.
type Result struct {
	Correct   bool
	Points    int // Points of the question when correct, else 0 (no partial credit)
	MaxPoints int
	// Feedback is what the author wrote for what the learner picked: the feedback of each chosen
	// option (single, multiple), of the chosen line (spot_line), in order; empty ones left out.
	Feedback []string
	// Missed are the correct options the learner did not pick; Wrong the options picked that are
	// not correct (single, multiple), so a screen can show both.
	Missed, Wrong []int
	// Err is set when the answer does not fit the question (another kind, an index out of range,
	// not a permutation): a caller's bug, never the learner's; it scores 0.
	Err error
}

// Check scores an answer.
func (q *Question) Check(a Answer) Result {
	r := Result{MaxPoints: q.Points}
	switch q.Type {
	case TypeSingle, TypeMultiple:
		c, ok := a.(Choices)
		if !ok {
			return r.invalid(q, a)
		}
		r = q.checkChoices(r, c)
	case TypeTrueFalse:
		b, ok := a.(Bool)
		if !ok {
			return r.invalid(q, a)
		}
		r.Correct = bool(b) == q.IsTrue
	case TypeShort:
		t, ok := a.(Text)
		if !ok {
			return r.invalid(q, a)
		}
		r.Correct = q.acceptsShort(string(t))
	case TypeOrder:
		p, ok := a.(Permutation)
		if !ok {
			return r.invalid(q, a)
		}
		if err := checkPermutation(p, len(q.Items)); err != nil {
			r.Err = err
			return r
		}
		r.Correct = true
		for i, j := range p {
			if q.Items[j] != q.Items[i] { // equal texts may swap places
				r.Correct = false
			}
		}
	case TypeSpotLine:
		l, ok := a.(Line)
		if !ok {
			return r.invalid(q, a)
		}
		if n := len(q.CodeLines()); l < 1 || int(l) > n {
			r.Err = fmt.Errorf("line %d is outside the code (lines 1 to %d)", l, n)
			return r
		}
		r.Correct = int(l) == q.AnswerLine
		if fb := q.LineFeedback[int(l)]; fb != "" {
			r.Feedback = append(r.Feedback, fb)
		}
	default:
		r.Err = fmt.Errorf("question %q has no known type", q.ID)
		return r
	}
	if r.Err == nil && r.Correct {
		r.Points = q.Points
	}
	return r
}

func (r Result) invalid(q *Question, a Answer) Result {
	r.Err = fmt.Errorf("a %s question cannot take a %T answer", q.Type, a)
	return r
}

func (q *Question) checkChoices(r Result, c Choices) Result {
	picked := map[int]bool{}
	var order []int
	for _, i := range c {
		if i < 0 || i >= len(q.Options) {
			r.Err = fmt.Errorf("option %d is out of range (the question has %d)", i, len(q.Options))
			return r
		}
		if !picked[i] {
			picked[i] = true
			order = append(order, i)
		}
	}
	if q.Type == TypeSingle && len(order) != 1 {
		r.Err = fmt.Errorf("a single question takes exactly one option, got %d", len(order))
		return r
	}
	for _, i := range order {
		if fb := q.Options[i].Feedback; fb != "" {
			r.Feedback = append(r.Feedback, fb)
		}
		if !q.Options[i].Correct {
			r.Wrong = append(r.Wrong, i)
		}
	}
	for i, o := range q.Options {
		if o.Correct && !picked[i] {
			r.Missed = append(r.Missed, i)
		}
	}
	r.Correct = len(r.Wrong) == 0 && len(r.Missed) == 0
	return r
}

func checkPermutation(p Permutation, n int) error {
	if len(p) != n {
		return fmt.Errorf("the answer orders %d items, the question has %d", len(p), n)
	}
	seen := make([]bool, n)
	for _, i := range p {
		if i < 0 || i >= n || seen[i] {
			return fmt.Errorf("the answer %v is not a permutation of 0..%d", []int(p), n-1)
		}
		seen[i] = true
	}
	return nil
}

// NormalizeShort is how short answers are compared with accept: surrounding space trimmed, runs
// of white space made one space, lower case. "  COPY   --from=build " is "copy --from=build".
func NormalizeShort(s string) string {
	return strings.ToLower(collapseSpace(s))
}

func collapseSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// acceptsShort: an answer is right when it equals an accepted answer after NormalizeShort, or
// when the pattern matches all of it (after trimming and collapsing space, case kept).
func (q *Question) acceptsShort(answer string) bool {
	norm := NormalizeShort(answer)
	if norm == "" {
		return false
	}
	if slices.ContainsFunc(q.Accept, func(a string) bool { return NormalizeShort(a) == norm }) {
		return true
	}
	if q.Pattern == "" {
		return false
	}
	re := q.pattern
	if re == nil { // a Question built in code rather than by Parse
		var err error
		if re, err = compilePattern(q.Pattern); err != nil {
			return false
		}
	}
	return re.MatchString(collapseSpace(answer))
}

// compilePattern anchors the author's pattern so that it must match the whole answer.
func compilePattern(p string) (*regexp.Regexp, error) {
	if _, err := regexp.Compile(p); err != nil {
		return nil, err // report the author's pattern, not the anchored one
	}
	return regexp.Compile(`^(?:` + p + `)$`)
}
