package tui

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/fsnotify/fsnotify"

	"github.com/stagecraft/stagecraft/lessons"
	"github.com/stagecraft/stagecraft/sandbox/check"
)

// The learner's exercise folder: a copy of the build context and their Dockerfile (the
// starter at first). They may open it with anything; the screen reads it back from disk.

type workspaceReadyMsg struct {
	id         string
	plan       *check.Plan
	dir        string
	dockerfile []byte
	starter    []byte
	solution   []byte
	err        error
	// last is the report of the learner's last gradable attempt, shown again on reopening; at is
	// when it was made and checked the Dockerfile it checked.
	last    *check.Report
	lastAt  time.Time
	checked []byte
}

// prepareWorkspace makes <WorkspaceDir>/<exercise>/ on first use and reads the Dockerfile.
func prepareWorkspace(o *Options, ex *lessons.Exercise) tea.Cmd {
	return func() tea.Msg {
		msg := workspaceReadyMsg{id: ex.ID}
		var err error
		if msg.starter, err = fs.ReadFile(o.Course.FS, ex.Starter); err != nil {
			msg.err = err
			return msg
		}
		msg.solution, _ = fs.ReadFile(o.Course.FS, ex.Solution)
		if msg.plan, err = o.Study.PlanExercise(ex); err != nil {
			msg.err = err
			return msg
		}
		if o.WorkspaceDir == "" {
			msg.err = errors.New("no workspace folder")
			return msg
		}
		msg.dir = filepath.Join(o.WorkspaceDir, ex.ID)
		df := filepath.Join(msg.dir, "Dockerfile")
		if _, err := os.Stat(df); errors.Is(err, fs.ErrNotExist) {
			if err := os.MkdirAll(msg.dir, 0o755); err != nil {
				msg.err = err
				return msg
			}
			if msg.plan.ContextDir != "" {
				if err := copyDir(msg.plan.ContextDir, msg.dir); err != nil {
					msg.err = err
					return msg
				}
			}
			if err := os.WriteFile(df, msg.starter, 0o644); err != nil {
				msg.err = err
				return msg
			}
		}
		msg.dockerfile, msg.err = os.ReadFile(df)
		// The brief next to the folder, not in it: inside, it would enter the build context
		// and could change what COPY . copies and what the checks see.
		brief := "# " + ex.Title + "\n\n" + strings.TrimSpace(ex.Brief) + "\n"
		if err := os.WriteFile(briefPath(o, ex), []byte(brief), 0o644); err != nil && msg.err == nil {
			msg.err = err
		}
		msg.last, msg.lastAt, msg.checked = lastReport(o, ex.ID)
		return msg
	}
}

// briefPath is where the exercise's brief is written for the learner's editor.
func briefPath(o *Options, ex *lessons.Exercise) string {
	return filepath.Join(o.WorkspaceDir, ex.ID+".brief.md")
}

// lastReport is the learner's last gradable attempt at an exercise, from the store.
func lastReport(o *Options, id string) (*check.Report, time.Time, []byte) {
	rep, at, dockerfile, _ := o.Study.LastReport(context.Background(), id)
	return rep, at, dockerfile
}

func copyDir(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if rel == "Dockerfile" {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
}

// editorCommand is the learner's editor: Options.Editor, $VISUAL, $EDITOR, then nano or vi.
func editorCommand(o *Options, file string) *exec.Cmd {
	line := o.Editor
	for _, v := range []string{"VISUAL", "EDITOR"} {
		if line == "" {
			line = os.Getenv(v)
		}
	}
	if line == "" {
		for _, e := range []string{"nano", "vi"} {
			if p, err := exec.LookPath(e); err == nil {
				line = p
				break
			}
		}
	}
	if line == "" {
		line = "vi"
	}
	parts := strings.Fields(line)
	return exec.Command(parts[0], append(parts[1:], file)...)
}

type editorDoneMsg struct{ err error }

func openEditor(o *Options, file string) tea.Cmd {
	return tea.ExecProcess(editorCommand(o, file), func(err error) tea.Msg { return editorDoneMsg{err: err} })
}

// fileChangedMsg: the Dockerfile changed on disk (watch mode), after the debounce.
type fileChangedMsg struct{ gen int }

// watchDebounce is how long the watcher waits for an editor's burst of writes to settle.
const watchDebounce = 250 * time.Millisecond

// startWatch watches the workspace folder (not the file: editors that save by writing a new
// file and renaming it over the old one replace the inode a file watch would follow).
func startWatch(dir string) (*fsnotify.Watcher, error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	if err := w.Add(dir); err != nil {
		w.Close()
		return nil, err
	}
	return w, nil
}

// waitChange is the watcher's pump: it returns one message per settled change of Dockerfile.
func waitChange(w *fsnotify.Watcher, gen int) tea.Cmd {
	return func() tea.Msg {
		relevant := func(ev fsnotify.Event) bool {
			return filepath.Base(ev.Name) == "Dockerfile" && ev.Op&(fsnotify.Write|fsnotify.Create|fsnotify.Rename) != 0
		}
		for {
			select {
			case ev, ok := <-w.Events:
				if !ok {
					return nil
				}
				if !relevant(ev) {
					continue
				}
				timer := time.NewTimer(watchDebounce)
			settle:
				for {
					select {
					case _, ok := <-w.Events:
						if !ok {
							return nil
						}
						if !timer.Stop() {
							<-timer.C
						}
						timer.Reset(watchDebounce)
					case <-timer.C:
						break settle
					}
				}
				return fileChangedMsg{gen: gen}
			case _, ok := <-w.Errors:
				if !ok {
					return nil
				}
			}
		}
	}
}

// lineDiff is a unified-style diff of two texts, line by line (longest common subsequence):
// each line prefixed with "  ", "- " (only in a) or "+ " (only in b).
func lineDiff(a, b string) []string {
	x := strings.Split(strings.TrimRight(a, "\n"), "\n")
	y := strings.Split(strings.TrimRight(b, "\n"), "\n")
	n, m := len(x), len(y)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []string
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && x[i] == y[j]:
			out = append(out, "  "+x[i])
			i++
			j++
		case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
			out = append(out, "+ "+y[j])
			j++
		default:
			out = append(out, "- "+x[i])
			i++
		}
	}
	// Within each run of changes, removed lines come before the lines that replace them, as
	// diff prints them.
	for a := 0; a < len(out); {
		if strings.HasPrefix(out[a], "  ") {
			a++
			continue
		}
		b := a
		for b < len(out) && !strings.HasPrefix(out[b], "  ") {
			b++
		}
		sort.SliceStable(out[a:b], func(p, q int) bool { return out[a+p][0] == '-' && out[a+q][0] == '+' })
		a = b
	}
	return out
}

func sameBytes(a, b []byte) bool { return bytes.Equal(a, b) }
