package tui

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// shell is what both roots (the app and the quiz on its own) draw around a screen: the line of
// background work, the footer with the screen's keys or a status, and the full help on ?.
type shell struct {
	c        *Common
	help     help.Model
	showHelp bool
	status   string
	activity string // the latest line of background work
}

func newShell(c *Common) shell {
	h := help.New()
	h.Styles = help.DefaultStyles(c.Styles.Dark)
	return shell{c: c, help: h}
}

func (sh *shell) setWidth(w int) { sh.help.SetWidth(w) }

// setDark follows the terminal's background; it reports whether the styles changed.
func (sh *shell) setDark(dark bool) bool {
	if dark == sh.c.Styles.Dark {
		return false
	}
	sh.c.Opts.Dark = dark
	sh.c.Styles = DefaultStyles(dark, sh.c.Opts.NoColor)
	sh.help.Styles = help.DefaultStyles(dark)
	return true
}

// key handles the keys every root shares: ctrl+c quits, ? opens the full help (unless a text
// field has the keys) and any key closes it. used: the key is spent; quit: the app ends.
func (sh *shell) key(msg tea.KeyPressMsg, typing bool) (used, quit bool) {
	sh.status = ""
	keys := sh.c.Keys.Global
	switch {
	case key.Matches(msg, keys.Quit):
		return true, true
	case sh.showHelp:
		if key.Matches(msg, keys.Help, keys.Back) || msg.String() == "q" {
			sh.showHelp = false
		}
		return true, false
	case key.Matches(msg, keys.Help) && !typing:
		sh.showHelp = true
		return true, false
	}
	return false, false
}

// keys are the screen's bindings with the global ones after them: esc (when there is somewhere
// to go back to) and ?.
func (sh shell) keys(s Screen, canBack bool) help.KeyMap {
	km := s.Keys()
	g := sh.c.Keys.Global
	back := g.Back
	back.SetEnabled(canBack)
	short := append(append([]key.Binding{}, km.ShortHelp()...), back, g.Help)
	full := append(append([][]key.Binding{}, km.FullHelp()...), []key.Binding{back, g.Help, g.Quit})
	return bindings{short: short, full: full}
}

// render draws s (or the full help) over the window less two lines, then the activity line and
// the footer.
func (sh shell) render(s Screen, canBack bool) string {
	km := sh.keys(s, canBack)
	body := ""
	if sh.showHelp {
		body = sh.fullHelp(s, km)
	} else {
		body = s.View()
	}
	body = fitHeight(body, sh.c.bodyHeight())
	w := sh.c.Width
	whole := sh.help
	whole.SetWidth(0) // measured uncut: the help model's own cut hides esc and ? first
	footer := sh.help.ShortHelpView(fitShort(km.ShortHelp(), 2, w-1, whole.ShortHelpView))
	if sh.status != "" {
		footer = sh.c.Styles.Warn.Render(truncate(sh.status, w-2))
	}
	// Background work shows on the line between the screen and the footer.
	activity := ""
	if sh.activity != "" {
		activity = " " + sh.c.Styles.Faint.Render(truncate(sh.activity, w-2))
	}
	return body + "\n" + activity + "\n" + lipgloss.NewStyle().PaddingLeft(1).Render(footer)
}

func (sh shell) fullHelp(s Screen, km help.KeyMap) string {
	st := sh.c.Styles
	title := st.Header.Render("Keys on this screen")
	hm := sh.help
	hm.ShowAll = true
	more := ""
	if l, ok := s.(legend); ok {
		more = "\n\n" + l.Legend()
	}
	return title + "\n\n" + lipgloss.NewStyle().PaddingLeft(2).Render(hm.FullHelpView(km.FullHelp())) + more +
		"\n\n" + st.Faint.PaddingLeft(2).Render("press ? or esc to close")
}

// fitShort drops a screen's least important keys (the last ones) until the footer fits w
// columns, keeping the last keep bindings (esc, ?) always: a cut footer hid exactly those.
func fitShort(bs []key.Binding, keep int, w int, view func([]key.Binding) string) []key.Binding {
	for len(bs) > keep && lipgloss.Width(view(bs)) > w {
		cut := len(bs) - keep - 1
		if cut < 0 {
			break
		}
		bs = append(append([]key.Binding{}, bs[:cut]...), bs[cut+1:]...)
	}
	return bs
}

// fitHeight pads or cuts s to exactly h lines.
func fitHeight(s string, h int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

func truncate(s string, w int) string {
	if w < 1 {
		return ""
	}
	if lipgloss.Width(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && lipgloss.Width(string(r)) > w-1 {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// fullScreen is how both roots present a frame: the alternate screen, mouse motion, the title.
func fullScreen(frame string) tea.View {
	v := tea.NewView(frame)
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "stagecraft"
	return v
}
