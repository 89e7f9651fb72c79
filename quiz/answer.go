package quiz

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// The typed answer syntax of the plain line mode (`stagecraft quiz --plain`), also how answers
// are written into the progress store and reports (FormatAnswer). Typed letters and numbers name
// positions in the order shown; stored ones name the author's order:
//
//	single      a letter or an option number:          B   or 2
//	multiple    letters or numbers, commas or spaces:  A, C   or 1 3   or AC
//	true_false  t, f, true, false, yes, no, y, n       (any case)
//	short       the text (leading and trailing space is dropped)
//	order       the shown item numbers in the right order:  3 1 2 4
//	spot_line   a line number of the code:            5

// AnswerSyntax says in a few words what ParseAnswer expects for q's type, for a prompt or an
// error message.
func AnswerSyntax(q *Question) string {
	switch q.Type {
	case TypeSingle:
		return fmt.Sprintf("one option: a letter %s or a number 1–%d", letterRange(len(q.Options)), len(q.Options))
	case TypeMultiple:
		return fmt.Sprintf("every right option: letters %s or numbers 1–%d, separated by commas or spaces (e.g. A, C)", letterRange(len(q.Options)), len(q.Options))
	case TypeTrueFalse:
		return "true or false (t, f, yes, no)"
	case TypeShort:
		return "your answer as text"
	case TypeOrder:
		n := len(q.Items)
		return fmt.Sprintf("the %d item numbers in the right order, e.g. %s", n, exampleOrder(n))
	case TypeSpotLine:
		return fmt.Sprintf("a line number 1–%d", len(q.CodeLines()))
	}
	return "an answer"
}

func letterRange(n int) string {
	if n <= 1 {
		return "A"
	}
	return fmt.Sprintf("A–%c", rune('A'+min(n, 26)-1))
}

func exampleOrder(n int) string {
	nums := make([]string, n)
	for i := range n {
		nums[i] = strconv.Itoa(n - i)
	}
	return strings.Join(nums, " ")
}

// OptionLetter is the letter an option is shown with: A for 0, B for 1, …
func OptionLetter(i int) string {
	if i >= 0 && i < 26 {
		return string(rune('A' + i))
	}
	return strconv.Itoa(i + 1)
}

// ParseAnswer reads a typed answer to q in the syntax above. shown is the order q's options or
// items were shown in (Session.ShownOrder): the learner types letters or numbers of positions in
// it, and the Answer names the author's options and items, so that it scores and is stored the
// same whatever order was shown. A nil shown is the author's order. The error says what was
// expected; it is the learner's mistake, to ask again.
func ParseAnswer(q *Question, input string, shown Permutation) (Answer, error) {
	in := strings.TrimSpace(input)
	if in == "" {
		return nil, fmt.Errorf("no answer: type %s", AnswerSyntax(q))
	}
	if (q.Type == TypeSingle || q.Type == TypeMultiple) && len(shown) != len(q.Options) {
		shown = nil // not an order of these options: the author's
	}
	switch q.Type {
	case TypeSingle:
		toks := splitTokens(in)
		if len(toks) != 1 {
			return nil, fmt.Errorf("%q: pick only one option, a letter %s or a number 1–%d", in, letterRange(len(q.Options)), len(q.Options))
		}
		i, err := optionIndex(toks[0], len(q.Options))
		if err != nil {
			return nil, fmt.Errorf("%v: type %s", err, AnswerSyntax(q))
		}
		return Choices{authored(shown, i)}, nil
	case TypeMultiple:
		var c Choices
		for _, tok := range splitTokens(in) {
			i, err := optionIndex(tok, len(q.Options))
			if err != nil {
				return nil, fmt.Errorf("%v: type %s", err, AnswerSyntax(q))
			}
			c = append(c, authored(shown, i))
		}
		return c, nil
	case TypeTrueFalse:
		switch strings.ToLower(in) {
		case "t", "true", "y", "yes":
			return Bool(true), nil
		case "f", "false", "n", "no":
			return Bool(false), nil
		}
		return nil, fmt.Errorf("%q is not true or false: type %s", in, AnswerSyntax(q))
	case TypeShort:
		return Text(in), nil
	case TypeOrder:
		n := len(q.Items)
		if len(shown) != n {
			shown = identity(n)
		}
		toks := splitTokens(in)
		if len(toks) != n {
			return nil, fmt.Errorf("%q names %d items, there are %d: type %s", in, len(toks), n, AnswerSyntax(q))
		}
		p := make(Permutation, n)
		seen := make([]bool, n)
		for k, tok := range toks {
			v, err := strconv.Atoi(tok)
			if err != nil || v < 1 || v > n {
				return nil, fmt.Errorf("%q is not an item number 1–%d: type %s", tok, n, AnswerSyntax(q))
			}
			if seen[v-1] {
				return nil, fmt.Errorf("item %d is named twice: type %s", v, AnswerSyntax(q))
			}
			seen[v-1] = true
			p[k] = shown[v-1]
		}
		return p, nil
	case TypeSpotLine:
		n := len(q.CodeLines())
		v, err := strconv.Atoi(in)
		if err != nil || v < 1 || v > n {
			return nil, fmt.Errorf("%q is not a line of the code: type %s", in, AnswerSyntax(q))
		}
		return Line(v), nil
	}
	return nil, fmt.Errorf("question %q has no known type", q.ID)
}

// splitTokens splits on commas and white space; a run of letters only ("AC") is one token per
// letter, so "AC" reads as A and C.
func splitTokens(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || unicode.IsSpace(r) }) {
		if len(f) > 1 && isLetters(f) {
			for _, r := range f {
				out = append(out, string(r))
			}
			continue
		}
		out = append(out, f)
	}
	return out
}

func isLetters(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// optionIndex reads "B", "b" or "2" as option index 1.
func optionIndex(tok string, n int) (int, error) {
	if len(tok) == 1 && isLetters(tok) {
		i := int(unicode.ToUpper(rune(tok[0])) - 'A')
		if i < n {
			return i, nil
		}
		return 0, fmt.Errorf("there is no option %s", strings.ToUpper(tok))
	}
	v, err := strconv.Atoi(tok)
	if err != nil {
		return 0, fmt.Errorf("%q is not an option", tok)
	}
	if v < 1 || v > n {
		return 0, fmt.Errorf("there is no option %d", v)
	}
	return v - 1, nil
}

// authored is the author's index of what is shown at position pos (pos itself without a shown
// order that covers it).
func authored(shown Permutation, pos int) int {
	if pos >= 0 && pos < len(shown) {
		return shown[pos]
	}
	return pos
}

func identity(n int) Permutation {
	p := make(Permutation, n)
	for i := range p {
		p[i] = i
	}
	return p
}

// FormatAnswer writes an answer the way the progress store keeps it and reports show it, by
// identity, never by where it was shown: options as letters of the author's order ("A, C" is
// the first and third option in the file, whatever letters the learner saw), true/false, the
// text, an order as the author's item numbers in the learner's sequence ("2 1 3 4": the
// identity "1 2 3 4" is right), a line number. ParseAnswer with a nil shown order reads it back.
// A nil answer (skipped) is "". AnswerText says the same in the words the learner saw.
func FormatAnswer(q *Question, a Answer) string {
	switch v := a.(type) {
	case Choices:
		parts := make([]string, len(v))
		for i, c := range v {
			parts[i] = OptionLetter(c)
		}
		return strings.Join(parts, ", ")
	case Bool:
		return strconv.FormatBool(bool(v))
	case Text:
		return string(v)
	case Permutation:
		parts := make([]string, len(v))
		for i, p := range v {
			parts[i] = strconv.Itoa(p + 1)
		}
		return strings.Join(parts, " ")
	case Line:
		return strconv.Itoa(int(v))
	}
	return ""
}
