package quiz

import (
	"strconv"
	"strings"
)

// The =/~ answers of one GIFT question block, and how they become a question type.

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
