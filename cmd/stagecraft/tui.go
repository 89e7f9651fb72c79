package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"

	"github.com/stagecraft/stagecraft/lessons"
	"github.com/stagecraft/stagecraft/lineui"
	"github.com/stagecraft/stagecraft/progress"
	"github.com/stagecraft/stagecraft/sandbox/check"
	"github.com/stagecraft/stagecraft/tui"
)

// setRootRun makes `stagecraft` with no arguments open the course: the terminal app on a
// terminal, the course map and how to use the CLI otherwise (a pipe, CI).
func setRootRun(root *cobra.Command, f *factory) {
	root.Args = cobra.NoArgs
	root.RunE = func(cmd *cobra.Command, _ []string) error {
		defer f.Close()
		return runCourse(cmd.Context(), f)
	}
}

func runCourse(ctx context.Context, f *factory) error {
	course, err := f.Course()
	if err != nil {
		return err
	}
	// The store is optional for reading: a broken one is reported, and the course still opens.
	st, stErr := f.Store(ctx)
	if stErr != nil {
		st = nil
	}
	svc, err := f.Service(st)
	if err != nil {
		return err
	}
	out, in := f.Out(), f.In()
	if !f.IsTerminal(out) || !f.IsTerminal(in) {
		sum := progress.Summary{}
		if stErr == nil {
			if sum, err = svc.Summary(ctx); err != nil {
				return envErr(err)
			}
		}
		lineui.WriteCourse(out, course, sum)
		return nil
	}
	g := f.g
	if stErr != nil {
		fmt.Fprintf(g.Err, "stagecraft: progress will not be saved: %v\n", stErr)
	}
	ws, err := workspaceDir(svc.Learner())
	if err != nil {
		return err
	}
	// While the app has the screen, what would go to stderr (catalog builds, the managed
	// daemon starting) becomes the activity line above the footer instead.
	activity := make(chan string, 64)
	errOut := g.Err
	g.Err = &activityWriter{ch: activity}
	defer func() { g.Err = errOut }()
	opts := tui.Options{
		Study: svc, Course: course,
		Renderer:     lessons.NewRenderer(),
		WorkspaceDir: ws,
		NoColor:      os.Getenv("NO_COLOR") != "",
		Dark:         true,
		In:           in, Out: out,
		OpenSandbox: func(ctx context.Context) (tui.Checker, error) {
			s, err := f.Sandbox(ctx, sandboxFlags{})
			if err != nil {
				return nil, err // a nil *Sandbox must not become a non-nil Checker
			}
			return check.Checker{Sandbox: s}, nil
		},
		Activity: activity,
		Prepare: func(ctx context.Context) {
			start := time.Now()
			say := func(line string) { fmt.Fprintln(g.Err, line) } // the activity line, never blocking
			say("getting BuildKit and the image catalog ready for the exercises…")
			s, err := f.Sandbox(ctx, sandboxFlags{})
			if err == nil {
				err = s.Warm(ctx)
			}
			if err != nil {
				say("BuildKit is not ready: open an exercise to see why and how to fix it")
				return
			}
			say(fmt.Sprintf("BuildKit and the image catalog are ready (%s): checks start at once", time.Since(start).Round(time.Second)))
		},
		Doctor: func(ctx context.Context) []tui.DoctorLine {
			var lines []tui.DoctorLine
			for _, l := range runDoctor(ctx, g, sandboxFlags{}, false) {
				lines = append(lines, tui.DoctorLine{Name: l.Name, Detail: l.Detail, Fix: l.Fix, OK: l.OK})
			}
			return lines
		},
	}
	// Libraries under the sandbox (containerd's content store, the BuildKit client) log to
	// stderr through logrus; on a full-screen app that would tear the frame.
	logrus.SetOutput(io.Discard)
	defer logrus.SetOutput(g.Err)
	return tui.Run(ctx, opts)
}

// activityWriter turns what is written to it into lines on the app's activity line. It never
// blocks: when the app is behind, lines are dropped (the next one says where things are).
type activityWriter struct {
	mu      sync.Mutex
	ch      chan<- string
	partial string
}

func (w *activityWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	lines := strings.Split(w.partial+string(p), "\n")
	w.partial = lines[len(lines)-1]
	for _, l := range lines[:len(lines)-1] {
		if l = strings.TrimSpace(l); l != "" {
			select {
			case w.ch <- l:
			default:
			}
		}
	}
	return len(p), nil
}

// workspaceDir is where a learner's exercise folders live:
// $XDG_DATA_HOME/stagecraft/workspace/<learner> (~/.local/share/… by default).
func workspaceDir(learner string) (string, error) {
	base := os.Getenv("XDG_DATA_HOME")
	if base == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", envErr(fmt.Errorf("finding the workspace folder: %w", err))
		}
		base = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(base, "stagecraft", "workspace", learner), nil
}

// isTTY reports whether v is a terminal (not merely a character device such as /dev/null).
func isTTY(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}
