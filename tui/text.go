package tui

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
)

// Text layout shared by the screens: wrapping course text, hanging lines, lists and code.

// listItem is one option or item of a list: wrapped under its box or number rather than cut,
// since the end of an option is often what tells it from the next one.
func listItem(s Styles, prefix, text string, selected bool, w int) string {
	cur := "  "
	if selected {
		cur = s.Cursor.Render("▸ ")
	}
	pw := lipgloss.Width(prefix)
	lines := strings.Split(wrap(text, w-4-pw), "\n")
	var b strings.Builder
	for i, l := range lines {
		l = strings.TrimRight(l, " ")
		if i == 0 {
			l = prefix + l
		} else {
			cur, l = "  ", strings.Repeat(" ", pw)+l
		}
		if selected {
			l = s.Selected.Render(l)
		}
		b.WriteString(" " + cur + l + "\n")
	}
	return b.String()
}

// hang writes text after a label, its later lines wrapped under the text's first.
func hang(label, text string, w int) string {
	lw := lipgloss.Width(label)
	lines := strings.Split(wrap(text, w-lw-2), "\n")
	for i := range lines {
		lines[i] = strings.TrimRight(lines[i], " ")
		if i > 0 {
			lines[i] = strings.Repeat(" ", lw) + lines[i]
		}
	}
	return label + strings.Join(lines, "\n")
}

// reflow joins the lines of each paragraph of course text: YAML block text keeps the author's
// line breaks, which wrapping at another width would turn into ragged half-lines. Lines that
// are indented or start a list item keep their break, as do blank lines between paragraphs.
func reflow(text string) string {
	lines := strings.Split(strings.TrimSpace(text), "\n")
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			prev := strings.TrimSpace(lines[i-1])
			t := strings.TrimSpace(l)
			if prev == "" || t == "" || l != strings.TrimLeft(l, " \t") || strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* ") || strings.HasPrefix(t, "```") || strings.HasPrefix(prev, "```") {
				b.WriteString("\n")
			} else {
				b.WriteString(" ")
			}
		}
		b.WriteString(strings.TrimRight(l, " \t"))
	}
	return b.String()
}

// codeBlock shows code with line numbers, highlighted as a Dockerfile; cursor and mark (-1:
// none) are the line under the cursor and the line marked wrong.
func codeBlock(s Styles, lines []string, cursor, mark int) string {
	var b strings.Builder
	for i, l := range lines {
		no := s.LineNo.Render(fmt.Sprintf("%3d │ ", i+1))
		text := highlightDockerfile(s, l)
		prefix := "  "
		switch {
		case i == mark:
			prefix = s.Bad.Render("✗ ")
			text = s.LineHL.Render(l)
		case i == cursor:
			prefix = s.Cursor.Render("▸ ")
			text = s.Selected.Render(l)
		}
		b.WriteString(" " + prefix + no + text + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// wrap word-wraps plain text to width.
func wrap(text string, width int) string {
	return lipgloss.NewStyle().Width(max(width, 20)).Render(strings.TrimSpace(text))
}

func indent(s string, n int) string {
	pad := strings.Repeat(" ", n)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = pad + strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}
