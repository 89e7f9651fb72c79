package tui

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/moby/buildkit/client"
	digest "github.com/opencontainers/go-digest"

	"github.com/stagecraft/stagecraft/lessons"
	"github.com/stagecraft/stagecraft/progress"
	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/sandbox/check"
	"github.com/stagecraft/stagecraft/sandbox/check/spec"
	"github.com/stagecraft/stagecraft/study"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// testNow is the fixed clock of every screen test.
var testNow = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

var sizes = []struct{ w, h int }{{80, 24}, {120, 40}}

func loadTestCourse(t testing.TB) *lessons.Course {
	t.Helper()
	c, err := lessons.Load(os.DirFS("testdata/course"))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

type harness struct {
	t     *testing.T
	m     tea.Model
	store *progress.Store
	ws    string
	name  string
	w, h  int
}

// newHarness starts the app on the test course at w×h with a fresh store and workspace.
func newHarness(t *testing.T, name string, w, h int, checker Checker) *harness {
	t.Helper()
	course := loadTestCourse(t)
	st, err := progress.Open(context.Background(), filepath.Join(t.TempDir(), "p.db"), progress.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	// A fixed path: it is on screen, and golden files must not depend on a random temp name.
	ws := filepath.Join(os.TempDir(), "stagecraft-tui-test", name)
	os.RemoveAll(ws)
	t.Cleanup(func() { os.RemoveAll(ws) })
	now := func() time.Time { return testNow }
	opts := Options{
		Study:    study.New(study.Config{Course: course, Store: st, Learner: "ada", Now: now, CacheDir: t.TempDir()}),
		Renderer: lessons.NewRenderer(), WorkspaceDir: ws, Dark: true,
		Now: now, manualClock: true,
		Doctor: func(context.Context) []DoctorLine {
			return []DoctorLine{
				{Name: "buildkit", Detail: "unreachable at unix:///nonexistent.sock", Fix: "Check that the daemon is running and the address is right (--buildkit or BUILDKIT_HOST)."},
				{Name: "progress", OK: true, Detail: "/home/ada/.local/share/stagecraft/progress.db"},
			}
		},
	}
	if checker != nil {
		opts.OpenSandbox = func(context.Context) (Checker, error) { return checker, nil }
	} else {
		opts.OpenSandbox = func(context.Context) (Checker, error) {
			return nil, &sandbox.EnvError{What: "cannot reach BuildKit at unix:///nonexistent.sock"}
		}
	}
	hs := &harness{t: t, m: New(context.Background(), opts), store: st, ws: ws, name: name, w: w, h: h}
	hs.run(hs.m.Init())
	hs.send(tea.WindowSizeMsg{Width: w, Height: h})
	return hs
}

// send delivers messages and runs the commands they return, as the program would, until
// nothing is left (commands that would block on a person or a clock are not issued in tests).
func (hs *harness) send(msgs ...tea.Msg) {
	hs.t.Helper()
	for _, msg := range msgs {
		var cmd tea.Cmd
		hs.m, cmd = hs.m.Update(msg)
		hs.run(cmd)
	}
}

func (hs *harness) run(cmd tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for n := 0; len(queue) > 0; n++ {
		if n > 10000 {
			hs.t.Fatal("the commands do not settle")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := c()
		switch msg := msg.(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case tea.QuitMsg:
		default:
			var next tea.Cmd
			hs.m, next = hs.m.Update(msg)
			queue = append(queue, next)
		}
	}
}

// keys sends key presses: "enter", "esc", "down", "ctrl+c" or single characters; a string of
// several characters not naming a key is typed character by character.
func (hs *harness) keys(keys ...string) {
	hs.t.Helper()
	for _, k := range keys {
		for _, msg := range keyMsgs(k) {
			hs.send(msg)
		}
	}
}

func keyMsgs(k string) []tea.Msg {
	special := map[string]rune{"enter": tea.KeyEnter, "esc": tea.KeyEscape, "down": tea.KeyDown, "up": tea.KeyUp,
		"tab": tea.KeyTab, "space": tea.KeySpace, "pgdown": tea.KeyPgDown, "end": tea.KeyEnd, "backspace": tea.KeyBackspace}
	if r, ok := special[k]; ok {
		return []tea.Msg{tea.KeyPressMsg{Code: r}}
	}
	if k == "ctrl+c" {
		return []tea.Msg{tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}}
	}
	var out []tea.Msg
	for _, r := range k {
		out = append(out, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return out
}

func (hs *harness) model() Model { return hs.m.(Model) }

// top is the screen on top: the app's, or the quiz of the quiz-only app.
func (hs *harness) top() Screen {
	if a, ok := hs.m.(quizApp); ok {
		return a.quiz
	}
	return hs.model().top()
}

// onHome: the map is on screen.
func (hs *harness) onHome() bool { _, ok := hs.top().(*homeModel); return ok }

// home is the map at the bottom of the stack.
func (hs *harness) home() *homeModel { return hs.model().stack[0].(*homeModel) }

// The screen on top as its type, or nil when another is on top.
func (hs *harness) lesson() *lessonModel     { s, _ := hs.top().(*lessonModel); return s }
func (hs *harness) quiz() *quizModel         { s, _ := hs.top().(*quizModel); return s }
func (hs *harness) exercise() *exerciseModel { s, _ := hs.top().(*exerciseModel); return s }
func (hs *harness) stats() *statsModel       { s, _ := hs.top().(*statsModel); return s }

// frame is the screen as the ASCII colour profile writes it.
func (hs *harness) frame() string {
	var buf bytes.Buffer
	w := colorprofile.NewWriter(&buf, nil)
	w.Profile = colorprofile.ASCII
	w.WriteString(hs.m.(interface{ Render() string }).Render())
	return buf.String()
}

// golden compares the frame with testdata/golden/<name>-<w>x<h>.golden (-update rewrites it).
func (hs *harness) golden(state string) {
	hs.t.Helper()
	got := hs.frame()
	if n := strings.Count(got, "\n") + 1; n != hs.h {
		hs.t.Errorf("%s: the frame has %d lines, want the window's %d", state, n, hs.h)
	}
	path := filepath.Join("testdata", "golden", hs.name+"-"+state+"-"+itoa(hs.w)+"x"+itoa(hs.h)+".golden")
	if *update {
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			hs.t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		hs.t.Fatalf("%v (run go test ./tui -update to create it)", err)
	}
	if string(want) != got {
		hs.t.Errorf("%s differs from the golden file %s (go test ./tui -update rewrites it):\n--- got\n%s\n--- want\n%s", state, path, got, want)
	}
}

func (hs *harness) contains(s string) {
	hs.t.Helper()
	if f := ansi.Strip(hs.frame()); !strings.Contains(f, s) {
		hs.t.Errorf("the screen does not show %q:\n%s", s, f)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// fakeChecker plays a check: static verdict, a build, dynamic checks and a report.
type fakeChecker struct{ pass bool }

func (f fakeChecker) Check(ctx context.Context, plan check.Plan, sub check.Submission, events chan<- check.Event) (*check.Report, error) {
	t0 := testNow
	t1 := t0.Add(1200 * time.Millisecond)
	static := []check.CheckResult{
		{ID: "two-stages", Kind: "stage_count", Status: check.StatusPass, Points: spec.Whole(10), MaxPoints: spec.Whole(10), Message: "2 stages"},
	}
	events <- check.Event{Static: &check.StaticResult{Checks: static, Stages: []sandbox.StageInfo{{Index: 0, Name: "build"}, {Index: 1}}}}
	events <- check.Event{Phase: "building your Dockerfile"}
	events <- check.Event{Status: &client.SolveStatus{Vertexes: []*client.Vertex{
		{Digest: digest.FromString("a"), Name: "[build 1/2] RUN mkdir /out", Started: &t0, Completed: &t0, Cached: true},
		{Digest: digest.FromString("b"), Name: "[build 2/2] RUN echo hello > /out/greeting.txt", Started: &t0, Completed: &t1},
		{Digest: digest.FromString("c"), Name: "[stage-1 1/1] COPY --from=build /out/greeting.txt /", Started: &t0, Completed: &t1},
	}}}
	size := check.CheckResult{ID: "small", Kind: "size", Status: check.StatusPass, Points: spec.Whole(10), MaxPoints: spec.Whole(10), Message: "the image is at most 5 MB"}
	if !f.pass {
		size.Status, size.Points, size.Message, size.Line = check.StatusFail, 0, "the image is 210 MB, more than 5 MB", 1
	}
	events <- check.Event{Check: &size}
	rep := &check.Report{Schema: check.ReportSchema, Exercise: plan.Exercise, Gradable: true, Passed: f.pass,
		Checks: append(static, size), Score: static[0].Points + size.Points, MaxScore: spec.Whole(20),
		Image: &sandbox.ImageInfo{SizeBytes: 4_400_000, Layers: []sandbox.LayerInfo{
			{SizeBytes: 4_300_000, CreatedBy: "ADD busybox.tar /"},
			{SizeBytes: 100_000, CreatedBy: "COPY --from=build /out/greeting.txt /"}}},
		Starter:   &sandbox.ImageInfo{SizeBytes: 12_800_000},
		Reference: &sandbox.ImageInfo{SizeBytes: 4_350_000},
	}
	if !f.pass {
		// The failing image deletes its sources in a later layer: the bytes stay, as waste.
		rep.Image.SizeBytes = 12_700_000
		rep.Image.Layers[1].WastedBytes = 8_300_000
		rep.Image.Layers = append(rep.Image.Layers, sandbox.LayerInfo{SizeBytes: 1_000, CreatedBy: "RUN rm -rf /src"})
		rep.Image.Waste = &sandbox.WasteInfo{WastedBytes: 8_300_000, TotalBytes: 12_600_000, Efficiency: 4.3 / 12.6,
			Files: []sandbox.WastedFileInfo{{Path: "/src/vendor.tar", Size: 8_000_000, Layer: 1, HiddenBy: 2, How: "deleted"}}}
	}
	return rep, nil
}
