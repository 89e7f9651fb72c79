package tui

import (
	"context"
	"os"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/sandbox/check"
)

// Running a check from the exercise screen: the check runs in a goroutine and its events come
// back one message at a time (the pump); the result is saved as an attempt.

// reloadAndCheck reads the Dockerfile back and checks it (always when force, else only if it
// changed since the last check).
func (m *exerciseModel) reloadAndCheck(force bool) (*exerciseModel, tea.Cmd) {
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
func (m *exerciseModel) startCheck() (*exerciseModel, tea.Cmd) {
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

func (m *exerciseModel) finishCheck(msg checkDoneMsg) (*exerciseModel, tea.Cmd) {
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
		if err := o.Study.RecordAttempt(ctx, checked, rep); err != nil {
			return statusMsg("saving the attempt: " + err.Error())
		}
		return progressChangedMsg{}
	}
}
