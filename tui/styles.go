package tui

import (
	"charm.land/lipgloss/v2"
)

// Styles is every look of the app, built once for a background by DefaultStyles.
type Styles struct {
	Title, Subtitle, Faint, Bold lipgloss.Style
	Selected, Cursor             lipgloss.Style
	OK, Bad, Warn, Accent        lipgloss.Style
	Header, Footer               lipgloss.Style
	Box                          lipgloss.Style
	BarFull, BarEmpty            lipgloss.Style
	LineNo, LineHL               lipgloss.Style
	Keyword                      lipgloss.Style
	Heat                         [5]lipgloss.Style
	Dark, NoColor                bool
}

// DefaultStyles returns the styles for a dark or light background; noColor drops every colour
// (NO_COLOR) but keeps bold and reverse so the cursor and titles still show.
func DefaultStyles(isDark, noColor bool) Styles {
	ld := lipgloss.LightDark(isDark)
	c := func(light, dark string) lipgloss.Style {
		if noColor {
			return lipgloss.NewStyle()
		}
		return lipgloss.NewStyle().Foreground(ld(lipgloss.Color(light), lipgloss.Color(dark)))
	}
	s := Styles{Dark: isDark, NoColor: noColor}
	s.Title = c("#5A3FC0", "#B8A4FF").Bold(true)
	s.Subtitle = c("#444444", "#CCCCCC").Bold(true)
	s.Faint = c("#777777", "#888888")
	s.Bold = lipgloss.NewStyle().Bold(true)
	s.Selected = c("#5A3FC0", "#D7CCFF").Bold(true)
	s.Cursor = s.Selected
	s.OK = c("#107A2A", "#5FD787")
	s.Bad = c("#B3261E", "#FF6B6B")
	s.Warn = c("#8A5A00", "#FFD166")
	s.Accent = c("#00609A", "#6CC4FF")
	s.Header = s.Title.PaddingLeft(1)
	s.Footer = c("#777777", "#777777").PaddingLeft(1)
	s.Box = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).Padding(0, 1)
	if !noColor {
		s.Box = s.Box.BorderForeground(ld(lipgloss.Color("#BBBBBB"), lipgloss.Color("#555555")))
	}
	s.BarFull = c("#5A3FC0", "#9D84FF")
	s.BarEmpty = c("#CCCCCC", "#444444")
	s.LineNo = s.Faint
	s.LineHL = c("#B3261E", "#FF6B6B").Bold(true)
	if !noColor {
		s.LineHL = s.LineHL.Reverse(true)
	} else {
		s.LineHL = lipgloss.NewStyle().Reverse(true)
	}
	s.Keyword = c("#00609A", "#6CC4FF").Bold(true)
	heat := []string{"#DDDDDD", "#B7E4C7", "#74C69D", "#40916C", "#1B4332"}
	heatDark := []string{"#333333", "#0E4429", "#006D32", "#26A641", "#39D353"}
	for i := range s.Heat {
		s.Heat[i] = c(heat[i], heatDark[i])
	}
	return s
}
