package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/stagecraft/stagecraft/quiz"
)

// answerInput is the answer field of one question type, a small component of the quiz screen:
// it takes the keys while its question is open, draws itself and hands over the answer when the
// learner submits one. The quiz screen keeps hints, scoring, feedback and saving.
type answerInput interface {
	// Update takes a key (or a text field's own message); a non-nil answer is submitted.
	Update(msg tea.Msg) (quiz.Answer, tea.Cmd)
	// View draws the input for a screen w columns wide.
	View(w int) string
	// Keys are the footer's keys for this input, with the hint key where it fits best.
	Keys(hint key.Binding) []key.Binding
	// HintKey is the key that asks for the next hint (h; tab while typing).
	HintKey() key.Binding
	// Typing: a text field has the keys.
	Typing() bool
	// Focus gives a text field its cursor.
	Focus() tea.Cmd
	SetWidth(w int)
}

// newAnswerInput is the input for q's type; shown is the session's order of its options or items.
func newAnswerInput(c *Common, q *quiz.Question, shown quiz.Permutation) answerInput {
	switch q.Type {
	case quiz.TypeSingle, quiz.TypeMultiple, quiz.TypeTrueFalse:
		return &choiceInput{c: c, q: q, shown: shown, picked: map[int]bool{}}
	case quiz.TypeShort:
		return newTextAnswer(c)
	case quiz.TypeOrder:
		return &orderInput{c: c, q: q, order: append(quiz.Permutation(nil), shown...)}
	case quiz.TypeSpotLine:
		return &lineInput{c: c, q: q}
	}
	return &lineInput{c: c, q: q} // the loader accepts no other type
}

// choiceInput picks options of a single, multiple or true_false question, by letter, number or
// the cursor. Positions are on the screen; the answer names the author's options.
type choiceInput struct {
	c      *Common
	q      *quiz.Question
	shown  quiz.Permutation // the author's option at each position on the screen
	cursor int
	picked map[int]bool // by position on the screen
}

func (in *choiceInput) multiple() bool { return in.q.Type == quiz.TypeMultiple }

func (in *choiceInput) Update(msg tea.Msg) (quiz.Answer, tea.Cmd) {
	kp, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil, nil
	}
	k := in.c.Keys.Quiz
	n := len(options(in.q, in.shown))
	if i, ok := choiceIndex(kp.String(), n, in.q.Type == quiz.TypeTrueFalse); ok {
		in.cursor = i
		if in.multiple() {
			in.picked[i] = !in.picked[i]
		} else {
			in.picked = map[int]bool{i: true}
		}
		return nil, nil
	}
	switch {
	case key.Matches(kp, k.Up):
		in.cursor = max(in.cursor-1, 0)
	case key.Matches(kp, k.Down):
		in.cursor = min(in.cursor+1, n-1)
	case key.Matches(kp, k.Toggle) && in.multiple():
		in.picked[in.cursor] = !in.picked[in.cursor]
	case key.Matches(kp, k.Submit):
		switch in.q.Type {
		case quiz.TypeMultiple:
			var c quiz.Choices
			for pos := 0; pos < n; pos++ {
				if in.picked[pos] {
					c = append(c, in.authored(pos))
				}
			}
			if len(c) == 0 {
				return nil, msgCmd(statusMsg("pick at least one option (letters or space), then enter"))
			}
			return c, nil
		case quiz.TypeTrueFalse:
			return quiz.Bool(in.cursor == 0), nil
		default:
			return quiz.Choices{in.authored(in.cursor)}, nil
		}
	}
	return nil, nil
}

// authored is the author's option at position pos on the screen.
func (in *choiceInput) authored(pos int) int {
	if pos >= 0 && pos < len(in.shown) {
		return in.shown[pos]
	}
	return pos
}

func (in *choiceInput) View(w int) string {
	s := in.c.Styles
	var b strings.Builder
	for i, o := range options(in.q, in.shown) {
		box := "( )"
		if in.multiple() {
			box = "[ ]"
			if in.picked[i] {
				box = "[x]"
			}
		} else if in.picked[i] {
			box = "(•)"
		}
		b.WriteString(listItem(s, fmt.Sprintf("%s %s  ", box, quiz.OptionLetter(i)), o, i == in.cursor, w))
	}
	if in.multiple() {
		b.WriteString("\n" + s.Faint.Render("  pick every option that applies, then enter") + "\n")
	}
	return b.String()
}

// Keys: the hint comes before the moves between options: when the footer is short of room, the
// last keys are the ones left out.
func (in *choiceInput) Keys(hint key.Binding) []key.Binding {
	k := in.c.Keys.Quiz
	if in.multiple() {
		pick := k.Pick
		pick.SetHelp("a-f", "toggle")
		return []key.Binding{pick, hint, k.Submit, k.Toggle, k.Up, k.Down}
	}
	return []key.Binding{k.Pick, hint, k.Up, k.Down, k.Submit}
}

func (in *choiceInput) HintKey() key.Binding { return in.c.Keys.Quiz.Hint }
func (in *choiceInput) Typing() bool         { return false }
func (in *choiceInput) Focus() tea.Cmd       { return nil }
func (in *choiceInput) SetWidth(int)         {}

// options are the choices of a single, multiple or true_false question, in the order shown
// (shown: the author's option at each position; nil for the author's order).
func options(q *quiz.Question, shown quiz.Permutation) []string {
	if q.Type == quiz.TypeTrueFalse {
		return []string{"True", "False"}
	}
	out := make([]string, len(q.Options))
	for pos := range q.Options {
		i := pos
		if len(shown) == len(q.Options) {
			i = shown[pos]
		}
		out[pos] = q.Options[i].Text
	}
	return out
}

// choiceIndex maps a, b, … or 1, 2, … (and t/f for true_false) to an option.
func choiceIndex(s string, n int, tf bool) (int, bool) {
	if len(s) != 1 {
		return 0, false
	}
	ch := s[0]
	if tf {
		switch ch {
		case 't':
			return 0, true
		case 'f':
			return 1, true
		}
	}
	var i int
	switch {
	case ch >= 'a' && ch <= 'z':
		i = int(ch - 'a')
	case ch >= '1' && ch <= '9':
		i = int(ch - '1')
	default:
		return 0, false
	}
	return i, i < n
}

// textAnswer is a short answer's text field; tab asks for a hint, since h is a letter.
type textAnswer struct {
	c    *Common
	text textinput.Model
}

func newTextAnswer(c *Common) *textAnswer {
	ti := newTextInput()
	ti.Prompt = "› "
	ti.Placeholder = "type your answer"
	ti.Focus()
	return &textAnswer{c: c, text: ti}
}

func (in *textAnswer) Update(msg tea.Msg) (quiz.Answer, tea.Cmd) {
	if kp, ok := msg.(tea.KeyPressMsg); ok && kp.String() == "enter" {
		if strings.TrimSpace(in.text.Value()) == "" {
			return nil, nil
		}
		return quiz.Text(in.text.Value()), nil
	}
	var cmd tea.Cmd
	in.text, cmd = in.text.Update(msg)
	return nil, cmd
}

func (in *textAnswer) View(int) string { return "  " + in.text.View() + "\n" }

func (in *textAnswer) Keys(hint key.Binding) []key.Binding {
	return []key.Binding{in.c.Keys.Quiz.Submit, hint}
}

func (in *textAnswer) HintKey() key.Binding {
	hint := in.c.Keys.Quiz.Hint
	hint.SetKeys("tab")
	hint.SetHelp("tab", "hint")
	return hint
}

func (in *textAnswer) Typing() bool   { return true }
func (in *textAnswer) Focus() tea.Cmd { return in.text.Focus() }
func (in *textAnswer) SetWidth(w int) { in.text.SetWidth(max(w-10, 10)) }
