package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/stagecraft/stagecraft/quiz"
)

// orderInput puts an order question's items in sequence: the cursor picks an item, K/J (or
// [ ]) move it.
type orderInput struct {
	c      *Common
	q      *quiz.Question
	order  quiz.Permutation // item indexes in the learner's current sequence
	cursor int
}

func (in *orderInput) Update(msg tea.Msg) (quiz.Answer, tea.Cmd) {
	kp, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil, nil
	}
	k := in.c.Keys.Quiz
	n := len(in.order)
	switch {
	case key.Matches(kp, k.MoveUp):
		if in.cursor > 0 {
			in.order[in.cursor], in.order[in.cursor-1] = in.order[in.cursor-1], in.order[in.cursor]
			in.cursor--
		}
	case key.Matches(kp, k.MoveDown):
		if in.cursor < n-1 {
			in.order[in.cursor], in.order[in.cursor+1] = in.order[in.cursor+1], in.order[in.cursor]
			in.cursor++
		}
	case key.Matches(kp, k.Up):
		in.cursor = max(in.cursor-1, 0)
	case key.Matches(kp, k.Down):
		in.cursor = min(in.cursor+1, n-1)
	case key.Matches(kp, k.Submit):
		return append(quiz.Permutation(nil), in.order...), nil
	}
	return nil, nil
}

func (in *orderInput) View(w int) string {
	s := in.c.Styles
	var b strings.Builder
	b.WriteString(s.Faint.Render("  put these in order: move the selected item with K/J or [ ]") + "\n\n")
	for pos, it := range in.order {
		b.WriteString(listItem(s, fmt.Sprintf("%d. ", pos+1), in.q.Items[it], pos == in.cursor, w))
	}
	return b.String()
}

func (in *orderInput) Keys(hint key.Binding) []key.Binding {
	k := in.c.Keys.Quiz
	return []key.Binding{k.MoveUp, k.MoveDown, k.Submit, k.Up, k.Down, hint}
}

func (in *orderInput) HintKey() key.Binding { return in.c.Keys.Quiz.Hint }
func (in *orderInput) Typing() bool         { return false }
func (in *orderInput) Focus() tea.Cmd       { return nil }
func (in *orderInput) SetWidth(int)         {}

// lineInput points at the wrong line of a spot_line question's code.
type lineInput struct {
	c      *Common
	q      *quiz.Question
	cursor int // 0-based line
}

func (in *lineInput) Update(msg tea.Msg) (quiz.Answer, tea.Cmd) {
	kp, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil, nil
	}
	k := in.c.Keys.Quiz
	switch {
	case key.Matches(kp, k.Up):
		in.cursor = max(in.cursor-1, 0)
	case key.Matches(kp, k.Down):
		in.cursor = min(in.cursor+1, len(in.q.CodeLines())-1)
	case key.Matches(kp, k.Submit):
		return quiz.Line(in.cursor + 1), nil
	}
	return nil, nil
}

func (in *lineInput) View(int) string {
	s := in.c.Styles
	return s.Faint.Render("  move to the line that is wrong and press enter") + "\n\n" +
		codeBlock(s, in.q.CodeLines(), in.cursor, -1) + "\n"
}

func (in *lineInput) Keys(hint key.Binding) []key.Binding {
	k := in.c.Keys.Quiz
	up, down := k.Up, k.Down
	up.SetHelp("↑/k", "line up")
	down.SetHelp("↓/j", "line down")
	return []key.Binding{up, down, k.Submit, hint}
}

func (in *lineInput) HintKey() key.Binding { return in.c.Keys.Quiz.Hint }
func (in *lineInput) Typing() bool         { return false }
func (in *lineInput) Focus() tea.Cmd       { return nil }
func (in *lineInput) SetWidth(int)         {}
