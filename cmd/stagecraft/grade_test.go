package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stagecraft/stagecraft/grade"
	"github.com/stagecraft/stagecraft/progress"
	"github.com/stagecraft/stagecraft/sandbox/check"
)

// exampleCourseDir is docs/example-course: its keep-the-artifact exercise is busybox only.
const exampleCourseDir = "../../docs/example-course"

// gradeCmd runs stagecraft with args as main does and returns stdout, stderr and the exit code.
func gradeCmd(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errw bytes.Buffer
	root := newRootCmd(strings.NewReader(""), &out, &errw)
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	code := exitCode(err)
	if err != nil && code == -1 {
		code = exitUsage // cobra's own errors (an unknown flag), as main maps them
	}
	return out.String(), errw.String(), code
}

// gradeDaemon is the test daemon's address (scripts/with-buildkitd.sh), with the catalog cache
// shared between runs. Without one the test skips locally and fails in CI.
func gradeDaemon(t *testing.T) string {
	t.Helper()
	addr := os.Getenv("STAGECRAFT_TEST_BUILDKIT")
	if addr == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but STAGECRAFT_TEST_BUILDKIT is unset: run the tests through `make test`")
		}
		t.Skip("no BuildKit daemon: run `make test` (it starts a private buildkitd) to run this test")
	}
	if cache := os.Getenv("STAGECRAFT_TEST_CACHE"); cache != "" {
		t.Setenv("STAGECRAFT_CACHE", cache)
	} else {
		t.Setenv("STAGECRAFT_CACHE", t.TempDir())
	}
	return addr
}

func readRun(t *testing.T, p string) *grade.Run {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var run grade.Run
	if err := json.Unmarshal(b, &run); err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	return &run
}

func failedChecks(rep *check.Report) []string {
	var ids []string
	if rep == nil {
		return ids
	}
	for _, c := range rep.Checks {
		if c.Status == check.StatusFail || c.Status == check.StatusError {
			ids = append(ids, c.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

// gradedFixture is a fixture class of testdata, copied to a temp folder, graded through the
// command on the test daemon: what TestGradeClass and TestGradeNodeClass share.
type gradedFixture struct {
	class, work, db string
	global          []string // --db and --buildkit, for the commands that follow
	run             *grade.Run
	out             string // the text summary on stdout
}

// gradeFixture grades testdata/<fixture> against exercise with args, writing the run as JSON,
// and fails the test unless every submission was graded (exit 0). With roster, the class's
// roster.csv is given too.
func gradeFixture(t *testing.T, fixture, exercise string, roster bool, args ...string) gradedFixture {
	t.Helper()
	addr := gradeDaemon(t)
	f := gradedFixture{class: filepath.Join(t.TempDir(), fixture), work: t.TempDir()}
	if err := os.CopyFS(f.class, os.DirFS(filepath.Join("testdata", fixture))); err != nil {
		t.Fatal(err)
	}
	f.db = filepath.Join(f.work, "progress.db")
	f.global = []string{"--db", f.db, "--buildkit", addr}
	jsonOut := filepath.Join(f.work, "run.json")
	cmd := append(slices.Clone(f.global), "grade", "--exercise", exercise, f.class)
	if roster {
		cmd = append(cmd, "--roster", filepath.Join(f.class, "roster.csv"))
	}
	cmd = append(append(cmd, args...), "--format", "json", "--out", jsonOut)
	out, errw, code := gradeCmd(t, cmd...)
	if code != exitOK {
		t.Fatalf("grade: exit %d, want 0 (every submission graded)\n%s\n%s", code, out, errw)
	}
	f.run, f.out = readRun(t, jsonOut), out
	return f
}

// checkVerdicts fails the test for every student of run whose verdict is not the one want gives.
func checkVerdicts(t *testing.T, run *grade.Run, want map[string]classVerdict) {
	t.Helper()
	if len(run.Results) != len(want) {
		t.Errorf("%d results, want %d", len(run.Results), len(want))
	}
	for _, r := range run.Results {
		want, ok := want[r.Student]
		if !ok {
			t.Errorf("unexpected student %s", r.Student)
			continue
		}
		got := failedChecks(r.Report)
		if r.Status != want.status || !slices.Equal(got, want.fail) {
			t.Errorf("%s: %s failing %v, want %s failing %v (%s)", r.Student, r.Status, got, want.status, want.fail, grade.Note(&r))
		}
		if len(want.fail) == 0 && (!r.Passed || r.Score != r.MaxScore) {
			t.Errorf("%s: %s/%s, want full marks", r.Student, r.Score, r.MaxScore)
		}
		if want.failure != "" {
			if b := r.Report.Build; b == nil || b.Failure == nil || b.Failure.Kind != want.failure {
				t.Errorf("%s: build failure %+v, want kind %s", r.Student, r.Report.Build, want.failure)
			}
		}
		if r.Status == grade.StatusGraded && (r.Report == nil || !r.Report.Gradable || r.Attempts != 1) {
			t.Errorf("%s: graded after %d attempts, report gradable %v", r.Student, r.Attempts, r.Report != nil && r.Report.Gradable)
		}
	}
}

// classVerdict is what a student of testdata/class must get.
type classVerdict struct {
	status  string
	fail    []string // the checks that fail (skipped ones aside); none means full marks
	failure string   // the kind of build failure, if the build fails
}

var allGoMultistage = []string{"build-stage", "builds", "copies-from-build", "no-toolchain", "refs-valid", "runs-version",
	"smaller-than-starter", "two-stages", "under-20mb"}

// classVerdicts is every student of testdata/class (and its roster) and the verdict it must get.
var classVerdicts = map[string]classVerdict{
	"ada-reference":        {status: grade.StatusGraded},
	"ben-scratch":          {status: grade.StatusGraded},
	"cat-scratch-bin":      {status: grade.StatusGraded},
	"dan-busybox-cmd":      {status: grade.StatusGraded},
	"deb-arg-base":         {status: grade.StatusGraded},
	"eli-distroless":       {status: grade.StatusGraded},
	"eve-lint-casing":      {status: grade.StatusGraded},
	"fay-user":             {status: grade.StatusGraded},
	"gus-workdir":          {status: grade.StatusGraded},
	"hal-index-ref":        {status: grade.StatusGraded},
	"ivy-three-stages":     {status: grade.StatusGraded},
	"jay-twin":             {status: grade.StatusGraded},
	"kim-twin":             {status: grade.StatusGraded},
	"lea-labels":           {status: grade.StatusGraded},
	"max-dockerignore":     {status: grade.StatusGraded}, // its own .dockerignore over the exercise's context
	"ned-single-stage":     {status: grade.StatusGraded, fail: []string{"build-stage", "copies-from-build", "no-toolchain", "smaller-than-starter", "two-stages", "under-20mb"}},
	"ola-from-builder":     {status: grade.StatusGraded, fail: []string{"builds", "copies-from-build", "refs-valid"}, failure: "image"},
	"pam-casing":           {status: grade.StatusGraded, fail: []string{"build-stage"}},
	"quinn-final-golang":   {status: grade.StatusGraded, fail: []string{"no-toolchain", "smaller-than-starter", "under-20mb"}},
	"ray-wrong-path":       {status: grade.StatusGraded, fail: []string{"runs-version"}},
	"abe-shell-form":       {status: grade.StatusGraded, fail: []string{"runs-version"}},
	"zoe-no-entrypoint":    {status: grade.StatusGraded, fail: []string{"runs-version"}},
	"sue-cgo":              {status: grade.StatusGraded, fail: []string{"builds"}, failure: "run"},
	"tom-run-fails":        {status: grade.StatusGraded, fail: []string{"builds"}, failure: "run"},
	"yui-ignores-go":       {status: grade.StatusGraded, fail: []string{"builds"}}, // its .dockerignore drops the sources
	"vic-sleeps":           {status: grade.StatusGraded, fail: []string{"builds"}, failure: "timeout"},
	"uma-parse-error":      {status: grade.StatusGraded, fail: []string{"dockerfile-parses"}},
	"cal-empty-dockerfile": {status: grade.StatusGraded, fail: []string{"dockerfile-parses"}},
	"wes-huge":             {status: grade.StatusGraded, fail: []string{"dockerfile-parses"}}, // 2 MiB: over the 1 MiB limit
	"xan-empty-folder":     {status: grade.StatusMissing, fail: allGoMultistage},
	"fox-nothing":          {status: grade.StatusMissing, fail: allGoMultistage}, // on the roster, no folder
	"gil-nothing":          {status: grade.StatusMissing, fail: allGoMultistage},
}

// TestGradeClass grades the fixture class against the course's go-multistage end to end on a
// real BuildKit: every verdict, the outputs (JSON, JUnit, CSV, feedback) and the store; then
// re-grades it unchanged through --regrade (nothing is built: the daemon given does not even
// exist). What a re-grade checks again and keeps is the session's, tested in package grade.
func TestGradeClass(t *testing.T) {
	feedback := filepath.Join(t.TempDir(), "feedback")
	f := gradeFixture(t, "class", "go-multistage", true, "--jobs", "4", "--timeout", "45s", "--feedback", feedback)
	work, db, global, run, out := f.work, f.db, f.global, f.run, f.out
	t.Logf("grade:\n%s", out)
	checkVerdicts(t, run, classVerdicts)
	s := run.Summary
	if !slices.Equal(s.Missing, []string{"fox-nothing", "gil-nothing", "xan-empty-folder"}) || len(s.NotGraded) != 0 ||
		!slices.Equal(s.OffRoster, []string{"eve-lint-casing"}) || s.Students != 32 || s.Checked != 29 {
		t.Errorf("summary: missing %v, not graded %v, off roster %v, %d students, %d checked", s.Missing, s.NotGraded, s.OffRoster, s.Students, s.Checked)
	}
	if !slices.ContainsFunc(s.Similar, func(p grade.Similarity) bool { return p.A == "jay-twin" && p.B == "kim-twin" && p.Identical }) {
		t.Errorf("similar %+v: want jay-twin ~ kim-twin, identical", s.Similar)
	}
	if len(s.Similar) > 3 {
		t.Errorf("similar %+v: too many pairs for a hint", s.Similar)
	}
	if !slices.Contains(s.LikeGiven, "ada-reference") || !slices.Contains(s.LikeGiven, "ned-single-stage") {
		t.Errorf("like the given material: %v", s.LikeGiven)
	}
	if wes := resultOf(run, "wes-huge"); !strings.Contains(wes.Report.Checks[0].Message, "2.0 MiB") {
		t.Errorf("wes-huge: %q, want the size named", wes.Report.Checks[0].Message)
	}
	for _, want := range []string{"STUDENT", "vic-sleeps", "build failed (timeout)", "missing: no submission", "jay-twin ~ kim-twin", "json written to"} {
		if !strings.Contains(out, want) {
			t.Errorf("the text summary lacks %q", want)
		}
	}
	if files, _ := filepath.Glob(filepath.Join(feedback, "*.md")); len(files) != 32 {
		t.Errorf("%d feedback files, want 32", len(files))
	}

	// The store has the run; show prints it again, in every format, without building.
	st, err := progress.Open(context.Background(), db, progress.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := st.GradingResults(context.Background(), run.UID)
	st.Close()
	if err != nil || len(rows) != 32 {
		t.Fatalf("the store has %d results of run %s (%v), want 32", len(rows), run.UID, err)
	}
	junit := filepath.Join(work, "run.xml")
	if _, errw, code := gradeCmd(t, append(slices.Clone(global), "grade", "show", run.UID, "--format", "junit", "--out", junit)...); code != exitOK {
		t.Fatalf("show junit: exit %d: %s", code, errw)
	}
	jf, _ := os.Open(junit)
	if err := grade.ValidateJUnit(jf); err != nil {
		t.Errorf("the JUnit does not validate: %v", err)
	}
	jf.Close()
	for style, header := range map[string][]string{
		grade.CSVGeneric: append(slices.Clone(grade.GenericColumns), "check:two-stages", "check:build-stage", "check:copies-from-build",
			"check:refs-valid", "check:builds", "check:no-toolchain", "check:under-20mb", "check:smaller-than-starter", "check:runs-version", "check:dockerfile-parses"),
		grade.CSVMoodle: {"ID number", "Email address", "Full name", "Shrink a Go web server with a multi-stage build (Real)", "Shrink a Go web server with a multi-stage build (Feedback)"},
		grade.CSVCanvas: {"Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Shrink a Go web server with a multi-stage build"},
	} {
		out, errw, code := gradeCmd(t, append(slices.Clone(global), "grade", "show", "last", "--format", "csv", "--csv-style", style)...)
		if code != exitOK {
			t.Fatalf("show csv %s: exit %d: %s", style, code, errw)
		}
		recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatalf("csv %s does not read: %v", style, err)
		}
		if !slices.Equal(recs[0], header) {
			t.Errorf("csv %s header %q\nwant %q", style, recs[0], header)
		}
		if rows := len(recs) - 1; rows < 32 || rows > 33 {
			t.Errorf("csv %s: %d rows", style, rows)
		}
	}

	// Re-grade, nothing changed: nothing is checked, so no daemon is even needed.
	regrade := filepath.Join(work, "regrade.json")
	nowhere := []string{"--db", db, "--buildkit", "unix:///nonexistent/buildkitd.sock"}
	out, errw, code := gradeCmd(t, append(nowhere, "grade", "--regrade", run.UID, "--format", "json", "--out", regrade)...)
	if code != exitOK {
		t.Fatalf("regrade unchanged: exit %d\n%s\n%s", code, out, errw)
	}
	again := readRun(t, regrade)
	if again.UID != run.UID || again.Summary.Checked != 0 || again.Summary.Kept != 29 {
		t.Errorf("regrade unchanged: run %s, %d checked, %d kept; want %s, 0, 29", again.UID, again.Summary.Checked, again.Summary.Kept, run.UID)
	}
	for _, r := range again.Results {
		if before := resultOf(run, r.Student); r.Score != before.Score || r.Status != before.Status {
			t.Errorf("%s: %s %s after an unchanged re-grade, was %s %s", r.Student, r.Status, r.Score, before.Status, before.Score)
		}
	}
}

func resultOf(run *grade.Run, id string) grade.Result {
	for _, r := range run.Results {
		if r.Student == id {
			return r
		}
	}
	return grade.Result{}
}

// TestGradeBadInput: what is wrong with the command line is exit 2, before any build.
func TestGradeBadInput(t *testing.T) {
	work := t.TempDir()
	class := filepath.Join("testdata", "class")
	badRoster := filepath.Join(work, "roster.csv")
	os.WriteFile(badRoster, []byte("name,email\nAda,ada@x\n"), 0o644)
	db := []string{"--db", filepath.Join(work, "progress.db"), "--buildkit", "unix:///nonexistent.sock"}
	for name, args := range map[string][]string{
		"unknown exercise": {"grade", "--exercise", "no-such-exercise", class},
		"missing folder":   {"grade", "--exercise", "go-multistage", filepath.Join(work, "nothing-here")},
		"bad roster":       {"grade", "--exercise", "go-multistage", class, "--roster", badRoster},
		"no exercise":      {"grade", class},
		"no submissions":   {"grade", "--exercise", "go-multistage"},
		"bad format":       {"grade", "--exercise", "go-multistage", class, "--format", "xml"},
		"bad csv style":    {"grade", "--exercise", "go-multistage", class, "--csv-style", "blackboard"},
		"unknown run":      {"grade", "--regrade", "0123abcd"},
		"show unknown run": {"grade", "show", "0123abcd"},
		"show no run yet":  {"grade", "show", "last"},
		"bad address":      {"--buildkit", "localhost:1234", "grade", "--exercise", "go-multistage", class},
	} {
		out, errw, code := gradeCmd(t, append(slices.Clone(db), args...)...)
		if code != exitUsage {
			t.Errorf("%s: exit %d, want 2\n%s%s", name, code, out, errw)
		}
	}
}

// TestGradeUnreachableDaemon: a BuildKit that cannot be reached leaves every submission not
// graded (exit 3), never scored; students with nothing to grade are still missing.
func TestGradeUnreachableDaemon(t *testing.T) {
	work := t.TempDir()
	t.Setenv("STAGECRAFT_CACHE", filepath.Join(work, "cache"))
	class := filepath.Join(work, "class")
	for _, id := range []string{"ann", "ben"} {
		os.MkdirAll(filepath.Join(class, id), 0o755)
		os.WriteFile(filepath.Join(class, id, "Dockerfile"), []byte("FROM scratch\nCOPY hello /hello\n"), 0o644)
	}
	os.MkdirAll(filepath.Join(class, "cy"), 0o755)
	jsonOut := filepath.Join(work, "run.json")
	out, errw, code := gradeCmd(t, "--db", filepath.Join(work, "progress.db"), "--images", "registry", "--buildkit", "unix://"+filepath.Join(work, "none.sock"),
		"grade", "--exercise", "go-multistage", class, "--format", "json", "--out", jsonOut)
	if code != exitEnviron {
		t.Fatalf("exit %d, want 3\n%s\n%s", code, out, errw)
	}
	run := readRun(t, jsonOut)
	if !slices.Equal(run.Summary.NotGraded, []string{"ann", "ben"}) || !slices.Equal(run.Summary.Missing, []string{"cy"}) {
		t.Errorf("not graded %v, missing %v", run.Summary.NotGraded, run.Summary.Missing)
	}
	for _, r := range run.Results[:2] {
		if r.Score != 0 || r.Report.Gradable || !strings.Contains(r.Error, "none.sock") {
			t.Errorf("%s: score %s, gradable %v, error %q", r.Student, r.Score, r.Report.Gradable, r.Error)
		}
	}
	if !strings.Contains(errw, "is down") || !strings.Contains(errw, "could not be graded") {
		t.Errorf("stderr does not say what happened:\n%s", errw)
	}
}

// TestGradeSeveralWorkers: every --buildkit address is a worker of the run (here the test daemon
// twice, over the example course's small busybox exercise): both grade, and the summary says so.
func TestGradeSeveralWorkers(t *testing.T) {
	addr := gradeDaemon(t)
	work := t.TempDir()
	class := filepath.Join(work, "class")
	solution, err := os.ReadFile(filepath.Join(exampleCourseDir, "exercises", "keep-the-artifact", "solution.Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 8 {
		dir := filepath.Join(class, fmt.Sprintf("s%d", i))
		os.MkdirAll(dir, 0o755)
		df := strings.Replace(string(solution), "FROM busybox\n", fmt.Sprintf("FROM busybox\nLABEL student=s%d\n", i), 1)
		os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(df), 0o644)
	}
	jsonOut := filepath.Join(work, "run.json")
	out, errw, code := gradeCmd(t, "--course", exampleCourseDir, "--db", filepath.Join(work, "progress.db"), "--buildkit", addr, "--buildkit", addr,
		"grade", "--exercise", "keep-the-artifact", class, "--format", "json", "--out", jsonOut)
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errw)
	}
	run := readRun(t, jsonOut)
	ws := run.Summary.Workers
	if len(ws) != 2 || ws[0].Graded+ws[1].Graded != 8 || ws[0].Graded == 0 || ws[1].Graded == 0 {
		t.Errorf("workers %+v: want both to grade, 8 in all", ws)
	}
	// The same submission, give or take a label, gets the same verdict on either worker.
	for _, r := range run.Results {
		if r.Status != grade.StatusGraded || r.Score != run.Results[0].Score || !slices.Equal(failedChecks(r.Report), failedChecks(run.Results[0].Report)) {
			t.Errorf("%s on %s: %s %s/%s, failing %v; %s: %s, failing %v", r.Student, r.Worker, r.Status, r.Score, r.MaxScore, failedChecks(r.Report),
				run.Results[0].Student, run.Results[0].Score, failedChecks(run.Results[0].Report))
		}
	}
	if !strings.Contains(out, "workers:") || strings.Count(out, addr+": graded") != 2 {
		t.Errorf("the summary does not list both workers:\n%s", out)
	}
}
