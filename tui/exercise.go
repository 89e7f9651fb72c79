package tui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"github.com/fsnotify/fsnotify"

	"github.com/stagecraft/stagecraft/lessons"
	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/sandbox/check"
)

type (
	// checkEventMsg is one event of a running check (the channel pump).
	checkEventMsg struct {
		gen int
		ev  check.Event
	}
	checkDoneMsg struct {
		gen  int
		rep  *check.Report
		err  error
		took time.Duration
	}
	doctorMsg struct{ lines []DoctorLine }
	briefMsg  struct {
		id, out string
		width   int
	}
)

// checkRun is a check in flight: the channels the pump reads.
type checkRun struct {
	events chan check.Event
	done   chan checkDoneMsg
}

// exerciseModel is the exercise workbench.
type exerciseModel struct {
	c  *Common
	ex *lessons.Exercise

	plan       *check.Plan
	dir        string
	dockerfile []byte
	starter    []byte
	solution   []byte
	loadErr    error
	brief      string

	gen      int // bumps with every check, so a cancelled check's late messages are dropped
	checking bool
	cancel   context.CancelFunc
	tracker  *sandbox.StepTracker
	phase    string
	checks   []check.CheckResult
	static   *check.StaticResult
	report   *check.Report
	checkErr error
	checked  []byte // the Dockerfile the result is for
	failures int    // failed checks so far (the solution unlocks after three)
	passed   bool

	doctor   []DoctorLine
	noDaemon bool

	watcher  *fsnotify.Watcher
	watchGen int

	hints        int
	showSolution bool
	confirmReset bool
	notice       string

	// restored: the report on screen is the last attempt's from the store, not a check run here.
	restored bool

	runCh       *checkRun
	resultsLine int // where the results start in the viewport

	vp   viewport.Model
	w, h int
}

func newExercise(c *Common, ex *lessons.Exercise) *exerciseModel {
	vp := viewport.New()
	vp.MouseWheelEnabled = true
	m := &exerciseModel{c: c, ex: ex, vp: vp}
	m.SetSize(c.Width, c.bodyHeight())
	return m
}

func (m exerciseModel) Init() tea.Cmd {
	return tea.Batch(prepareWorkspace(m.c.Opts, m.ex), m.renderBrief(), m.probe())
}

type probeMsg struct {
	id  string
	err error
}

// probe connects to BuildKit as the screen opens, so a missing daemon shows at once with its
// fix rather than after the learner's first edit.
func (m exerciseModel) probe() tea.Cmd {
	o, ctx, id := m.c.Opts, m.c.Ctx, m.ex.ID
	return func() tea.Msg {
		if o.OpenSandbox == nil {
			return probeMsg{id: id, err: &sandbox.EnvError{What: "no BuildKit configured"}}
		}
		pctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		_, err := o.OpenSandbox(pctx)
		return probeMsg{id: id, err: err}
	}
}

// briefWidth is the width the brief is rendered at in a w-column window.
func briefWidth(w int) int { return max(min(w, 100), 20) }

func (m exerciseModel) renderBrief() tea.Cmd {
	r, id, w, st := m.c.Opts.Renderer, m.ex.ID, briefWidth(m.w), lessons.StyleFor(m.c.Styles.Dark, m.c.Opts.NoColor)
	body := m.ex.Brief
	return func() tea.Msg {
		out, err := r.Render(body, w, st)
		if err != nil {
			out = body
		}
		return briefMsg{id: id, out: strings.Trim(out, "\n"), width: w}
	}
}

// SetSize resizes the screen and lays its results out again at the new width, so sizes and
// points are not left clipped at the old one; the brief is rendered again when its width changes.
func (m *exerciseModel) SetSize(w, h int) tea.Cmd {
	old := m.w
	m.w, m.h = w, h
	m.vp.SetWidth(w)
	m.vp.SetHeight(max(h-2, 1))
	if m.ex == nil {
		return nil
	}
	m.refresh()
	if old != w && m.brief != "" {
		return m.renderBrief()
	}
	return nil
}

func (m *exerciseModel) Typing() bool { return false }

// OwnsEsc: esc answers the reset prompt or hides the solution before it leaves.
func (m *exerciseModel) OwnsEsc() bool { return m.confirmReset || m.showSolution }

// Close cancels a running check and the watcher: the learner left the screen.
func (m *exerciseModel) Close() {
	if m.cancel != nil {
		m.cancel()
		m.cancel = nil
	}
	m.checking = false
	if m.watcher != nil {
		m.watcher.Close()
		m.watcher = nil
	}
}

func (m exerciseModel) dockerfilePath() string { return filepath.Join(m.dir, "Dockerfile") }

func (m exerciseModel) solutionUnlocked() bool { return m.passed || m.failures >= 3 }

func (m *exerciseModel) Keys() help.KeyMap {
	k := m.c.Keys.Exercise
	if m.confirmReset {
		return bindings{short: []key.Binding{k.Yes, k.No}, full: [][]key.Binding{{k.Yes, k.No}}}
	}
	ready := m.dir != ""
	edit, check, watch, hint, sol, reset := k.Edit, k.Check, k.Watch, k.Hint, k.Solution, k.Reset
	edit.SetEnabled(ready)
	check.SetEnabled(ready)
	watch.SetEnabled(ready)
	if m.watcher != nil {
		watch.SetHelp("w", "stop watching")
	}
	hint.SetEnabled(m.hints < len(m.ex.Hints))
	sol.SetEnabled(m.solutionUnlocked())
	if m.showSolution {
		sol.SetHelp("s", "hide solution")
	}
	reset.SetEnabled(ready)
	next := k.Next
	next.SetEnabled(m.passed && m.next().id != "")
	// The footer has room for the keys of the loop (edit, check, hint or solution, next); watch
	// and reset are in the full help.
	return bindings{
		short: []key.Binding{next, edit, check, hint, sol, watch, reset},
		full:  [][]key.Binding{{edit, check, watch}, {hint, sol, reset}, {next, k.Down, k.Up}},
	}
}

// next is what follows this exercise in the course (id "" at the end).
func (m exerciseModel) next() place {
	p, _ := nextAfter(m.c.Opts.Course, m.ex.ID)
	return p
}

func (m *exerciseModel) Update(msg tea.Msg) (Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case workspaceReadyMsg:
		if msg.id != m.ex.ID {
			return m, nil
		}
		m.plan, m.dir, m.dockerfile, m.starter, m.solution, m.loadErr = msg.plan, msg.dir, msg.dockerfile, msg.starter, msg.solution, msg.err
		if msg.last != nil && m.report == nil && !m.checking {
			// Reopened: the last result, as it was, until the next check replaces it.
			m.report, m.checks, m.checked, m.passed, m.restored = msg.last, msg.last.Checks, msg.checked, msg.last.Passed, true
			m.notice = "your last check, " + msg.lastAt.Format("2 Jan 15:04") + " · c checks again"
		}
		m.refresh()
		return m, nil
	case briefMsg:
		if msg.id == m.ex.ID && msg.width == briefWidth(m.w) {
			m.brief = msg.out
			m.refresh()
		}
		return m, nil
	case checkEventMsg:
		if msg.gen != m.gen || !m.checking {
			return m, nil
		}
		m.apply(msg.ev)
		m.refresh()
		return m, m.pump()
	case stepTickMsg:
		if msg.gen != m.gen || !m.checking {
			return m, nil
		}
		m.refresh() // a running step's time moves on
		return m, stepTick(m.gen)
	case checkDoneMsg:
		if msg.gen != m.gen {
			return m, nil
		}
		return m.finishCheck(msg)
	case probeMsg:
		if msg.id != m.ex.ID || msg.err == nil || m.checking || (m.report != nil && !m.restored) {
			return m, nil
		}
		m.noDaemon, m.checkErr = true, msg.err
		m.refresh()
		o, ctx := m.c.Opts, m.c.Ctx
		if o.Doctor == nil {
			return m, nil
		}
		return m, func() tea.Msg { return doctorMsg{lines: o.Doctor(ctx)} }
	case doctorMsg:
		m.doctor = msg.lines
		m.refresh()
		return m, nil
	case editorDoneMsg:
		if msg.err != nil {
			m.notice = "the editor exited with: " + msg.err.Error()
		}
		return m.reloadAndCheck(true)
	case fileChangedMsg:
		if msg.gen != m.watchGen || m.watcher == nil {
			return m, nil
		}
		mm, cmd := m.reloadAndCheck(false)
		return mm, tea.Batch(cmd, waitChange(mm.watcher, mm.watchGen))
	case tea.MouseWheelMsg:
		var cmd tea.Cmd
		m.vp, cmd = m.vp.Update(msg)
		return m, cmd
	case tea.KeyPressMsg:
		return m.key(msg)
	}
	return m, nil
}

func (m *exerciseModel) key(msg tea.KeyPressMsg) (*exerciseModel, tea.Cmd) {
	k := m.c.Keys.Exercise
	if m.confirmReset {
		switch {
		case key.Matches(msg, k.Yes):
			m.confirmReset = false
			if err := os.WriteFile(m.dockerfilePath(), m.starter, 0o644); err != nil {
				m.notice = "reset: " + err.Error()
				m.refresh()
				return m, nil
			}
			m.dockerfile = append([]byte(nil), m.starter...)
			m.report, m.checks, m.static, m.checkErr, m.checked = nil, nil, nil, nil, nil
			m.notice = "Dockerfile reset to the starter"
		case key.Matches(msg, k.No):
			m.confirmReset = false
		}
		m.refresh()
		return m, nil
	}
	if msg.String() == "esc" && m.showSolution {
		m.showSolution = false
		m.refresh()
		return m, nil
	}
	if key.Matches(msg, k.Next) && m.passed && m.next().id != "" {
		return m, msgCmd(openNextMsg{From: m.ex.ID})
	}
	if m.dir == "" {
		return m, nil
	}
	switch {
	case key.Matches(msg, k.Edit):
		return m, openEditor(m.c.Opts, m.dockerfilePath())
	case key.Matches(msg, k.Check):
		return m.reloadAndCheck(true)
	case key.Matches(msg, k.Watch):
		if m.watcher != nil {
			m.watcher.Close()
			m.watcher = nil
			m.notice = "watch mode off"
			m.refresh()
			return m, nil
		}
		w, err := startWatch(m.dir)
		if err != nil {
			m.notice = "watch mode: " + err.Error()
			m.refresh()
			return m, nil
		}
		m.watcher = w
		m.watchGen++
		m.notice = "watch mode: every save of the Dockerfile is checked"
		m.refresh()
		return m, waitChange(w, m.watchGen)
	case key.Matches(msg, k.Hint):
		if m.hints < len(m.ex.Hints) {
			m.hints++
			m.refresh()
			m.vp.GotoBottom()
		}
	case key.Matches(msg, k.Solution):
		if !m.solutionUnlocked() {
			m.notice = fmt.Sprintf("the solution unlocks when you pass, or after three checks that do not (%d to go)", 3-m.failures)
			m.refresh()
			break
		}
		m.showSolution = !m.showSolution
		m.refresh()
		if m.showSolution {
			m.vp.GotoBottom()
		}
	case key.Matches(msg, k.Reset):
		m.confirmReset = true
		m.refresh()
	case key.Matches(msg, k.Down):
		if msg.String() == "space" || msg.String() == "pgdown" {
			m.vp.PageDown()
		} else {
			m.vp.ScrollDown(1)
		}
	case key.Matches(msg, k.Up):
		if msg.String() == "pgup" {
			m.vp.PageUp()
		} else {
			m.vp.ScrollUp(1)
		}
	}
	return m, nil
}
