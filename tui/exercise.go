package tui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

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
	attemptSaved struct{ err error }
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

func newExercise(c *Common, ex *lessons.Exercise) exerciseModel {
	vp := viewport.New()
	vp.MouseWheelEnabled = true
	m := exerciseModel{c: c, ex: ex, vp: vp}
	m.SetSize(c.Width, max(c.Height-2, 3))
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

// stop cancels a running check and the watcher: the learner left the screen.
func (m *exerciseModel) stop() {
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

func (m exerciseModel) keyMap() bindings {
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

func (m exerciseModel) Update(msg tea.Msg) (exerciseModel, tea.Cmd) {
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
	case attemptSaved:
		if msg.err != nil {
			return m, msgCmd(statusMsg("saving the attempt: " + msg.err.Error()))
		}
		return m, msgCmd(progressChangedMsg{})
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

func (m exerciseModel) key(msg tea.KeyPressMsg) (exerciseModel, tea.Cmd) {
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

// reloadAndCheck reads the Dockerfile back and checks it (always when force, else only if it
// changed since the last check).
func (m exerciseModel) reloadAndCheck(force bool) (exerciseModel, tea.Cmd) {
	b, err := os.ReadFile(m.dockerfilePath())
	if err != nil {
		m.notice = "reading the Dockerfile: " + err.Error()
		m.refresh()
		return m, nil
	}
	m.dockerfile = b
	if !force && m.checked != nil && sameBytes(b, m.checked) {
		m.refresh()
		return m, nil
	}
	return m.startCheck()
}

// startCheck cancels any running check and starts one on the current Dockerfile.
func (m exerciseModel) startCheck() (exerciseModel, tea.Cmd) {
	if m.plan == nil {
		return m, nil
	}
	if m.cancel != nil {
		m.cancel()
	}
	if m.noDaemon && m.c.Opts.OpenSandbox == nil {
		return m, nil
	}
	m.gen++
	ctx, cancel := context.WithCancel(m.c.Ctx)
	m.cancel, m.checking = cancel, true
	m.tracker = sandbox.NewStepTracker()
	m.phase, m.checks, m.static, m.report, m.checkErr = "connecting to BuildKit", nil, nil, nil, nil
	m.checked = append([]byte(nil), m.dockerfile...)
	m.notice = ""
	run := &checkRun{events: make(chan check.Event, 16), done: make(chan checkDoneMsg, 1)}
	o, plan, gen := m.c.Opts, *m.plan, m.gen
	sub := check.Submission{Dockerfile: m.checked, Filename: "Dockerfile", ContextDir: m.dir}
	go func() {
		start := time.Now()
		var rep *check.Report
		var err error
		if o.OpenSandbox == nil {
			err = &sandbox.EnvError{What: "no BuildKit configured"}
		} else {
			var chk Checker
			if chk, err = o.OpenSandbox(ctx); err == nil {
				rep, err = chk.Check(ctx, plan, sub, run.events)
			}
		}
		close(run.events)
		run.done <- checkDoneMsg{gen: gen, rep: rep, err: err, took: time.Since(start)}
	}()
	m.runCh = run
	m.refresh()
	if m.c.Opts.manualClock {
		return m, m.pump()
	}
	return m, tea.Batch(m.pump(), stepTick(m.gen))
}

// stepTickMsg redraws a running check once a second, so a running step shows its time.
type stepTickMsg struct{ gen int }

func stepTick(gen int) tea.Cmd {
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return stepTickMsg{gen: gen} })
}

// pump waits for the next event of the running check.
func (m exerciseModel) pump() tea.Cmd {
	run, gen := m.runCh, m.gen
	if run == nil {
		return nil
	}
	return func() tea.Msg {
		if ev, ok := <-run.events; ok {
			return checkEventMsg{gen: gen, ev: ev}
		}
		return <-run.done
	}
}

func (m *exerciseModel) apply(ev check.Event) {
	switch {
	case ev.Static != nil:
		m.static = ev.Static
		m.checks = append([]check.CheckResult(nil), ev.Static.Checks...)
		m.phase = "checking your Dockerfile"
	case ev.Phase != "":
		m.phase = ev.Phase
		if strings.Contains(ev.Phase, "your") {
			m.tracker = sandbox.NewStepTracker()
		}
	case ev.Status != nil:
		if strings.Contains(m.phase, "your") || m.phase == "checking your Dockerfile" {
			m.tracker.Update(ev.Status)
		}
	case ev.Check != nil:
		for i, c := range m.checks {
			if c.ID == ev.Check.ID {
				m.checks[i] = *ev.Check
				return
			}
		}
		m.checks = append(m.checks, *ev.Check)
	}
}

func (m exerciseModel) finishCheck(msg checkDoneMsg) (exerciseModel, tea.Cmd) {
	m.checking = false
	if m.cancel != nil {
		m.cancel()
		m.cancel = nil
	}
	m.runCh = nil
	m.report, m.checkErr = msg.rep, msg.err
	if msg.err != nil && (msg.rep == nil || !msg.rep.Gradable) {
		if sandbox.IsEnvError(msg.err) || msg.rep == nil {
			m.noDaemon = true
			m.refresh()
			o, ctx := m.c.Opts, m.c.Ctx
			if o.Doctor == nil {
				return m, nil
			}
			return m, func() tea.Msg { return doctorMsg{lines: o.Doctor(ctx)} }
		}
	}
	m.noDaemon = false
	rep := msg.rep
	if rep == nil {
		m.refresh()
		return m, nil
	}
	m.checks = rep.Checks
	if rep.Passed {
		m.passed = true
	} else if rep.Gradable {
		m.failures++
	}
	m.refresh()
	m.vp.GotoTop()
	m.vp.SetYOffset(m.resultsLine)
	return m, m.saveAttempt(rep)
}

// saveAttempt keeps the check as the study service keeps every attempt, from either face.
func (m exerciseModel) saveAttempt(rep *check.Report) tea.Cmd {
	o, ctx := m.c.Opts, m.c.Ctx
	if !o.Study.Saves() {
		return nil
	}
	checked := m.checked
	return func() tea.Msg {
		return attemptSaved{err: o.Study.RecordAttempt(ctx, checked, rep)}
	}
}

func (m exerciseModel) View() string {
	s := m.c.Styles
	head := s.Title.Render(m.ex.Title)
	right := s.Faint.Render(fmt.Sprintf("%s · %d pts", m.ex.Difficulty, m.ex.Points))
	line := " " + spread(truncateStyled(head, m.w-20), right, m.w-2)
	status := ""
	switch {
	case m.confirmReset:
		status = s.Warn.Render("Reset the Dockerfile to the starter? Your version is lost. y/n")
	case m.checking:
		status = s.Accent.Render("● "+m.phase+"…") + s.Faint.Render("  esc cancels")
	case m.notice != "":
		status = s.Faint.Render(m.notice)
	case m.passed && !m.showSolution && m.next().id != "":
		status = s.OK.Render("✓ passed") + s.Faint.Render(" · n: next — "+m.next().title)
	case m.watcher != nil:
		status = s.Accent.Render("◉ watching " + m.dir)
	case m.dir != "":
		status = s.Faint.Render("your files: " + m.dir)
	}
	return line + "\n" + m.vp.View() + "\n " + truncateStyled(status, m.w-2)
}

// refresh rebuilds the viewport content from the state.
func (m *exerciseModel) refresh() {
	content, results := m.body()
	off := m.vp.YOffset()
	m.vp.SetContent(content)
	m.vp.SetYOffset(off)
	m.resultsLine = results
}

var _ = fsnotify.Write
