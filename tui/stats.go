package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/stagecraft/stagecraft/progress"
)

type statsModel struct {
	c    *Common
	sum  progress.Summary
	w, h int
}

func newStats(c *Common) statsModel { return statsModel{c: c} }

func (m *statsModel) SetSize(w, h int)                    { m.w, m.h = w, h }
func (m *statsModel) setSummary(s progress.Summary)       { m.sum = s }
func (m statsModel) load() tea.Cmd                        { return nil }
func (m statsModel) keyMap() bindings                     { return bindings{} }
func (m statsModel) Update(tea.Msg) (statsModel, tea.Cmd) { return m, nil }
func (m statsModel) View() string                         { return " stats" }
