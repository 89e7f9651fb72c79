package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/stagecraft/stagecraft/lessons"
)

type (
	checkEventMsg  struct{}
	checkDoneMsg   struct{}
	fileChangedMsg struct{}
	editorDoneMsg  struct{}
)

type exerciseModel struct {
	c                          *Common
	ex                         *lessons.Exercise
	confirmReset, showSolution bool
}

func newExercise(c *Common, ex *lessons.Exercise) exerciseModel { return exerciseModel{c: c, ex: ex} }
func (m exerciseModel) Init() tea.Cmd                           { return nil }
func (m *exerciseModel) stop()                                  {}
func (m *exerciseModel) SetSize(w, h int)                       {}
func (m exerciseModel) keyMap() bindings                        { return bindings{} }
func (m exerciseModel) Update(tea.Msg) (exerciseModel, tea.Cmd) { return m, nil }
func (m exerciseModel) View() string                            { return " exercise" }
