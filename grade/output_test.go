package grade

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/sandbox/check"
	"github.com/stagecraft/stagecraft/sandbox/check/spec"
)

// sampleRun has one student of each kind: full marks, a failed build with skipped checks, a
// parse error, missing, not graded, and one whose id and messages need escaping.
func sampleRun() *Run {
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	result := func(id, kind, status string, pts, max int64, msg string, line int) check.CheckResult {
		return check.CheckResult{ID: id, Kind: kind, Status: status, Points: spec.Whole(pts), MaxPoints: spec.Whole(max), Message: msg, Line: line}
	}
	full := &check.Report{Schema: check.ReportSchema, Exercise: "ex", Gradable: true, Checks: []check.CheckResult{
		result("two-stages", spec.KindStageCount, check.StatusPass, 10, 10, "2 stages", 0),
		result("builds", spec.KindBuilds, check.StatusPass, 10, 10, "built", 0),
		result("small", spec.KindImageSize, check.StatusPass, 20, 20, "1.6 MiB", 0),
	}, Image: &sandbox.ImageInfo{SizeBytes: 1 << 21, CompressedBytes: 1 << 20}}
	totals(full)
	broken := &check.Report{Schema: check.ReportSchema, Exercise: "ex", Gradable: true, Checks: []check.CheckResult{
		result("two-stages", spec.KindStageCount, check.StatusPass, 10, 10, "2 stages", 0),
		result("builds", spec.KindBuilds, check.StatusFail, 0, 10, "The Dockerfile must build — \"go build\" failed <&>", 5),
		result("small", spec.KindImageSize, check.StatusSkipped, 0, 20, `skipped: needs "builds" to pass first`, 0),
	}, Build: &sandbox.BuildInfo{FailedStep: "[build 3/3] RUN go build", LogTail: []string{"main.go:3: syntax error\x1b[0m"},
		Failure: &sandbox.Failure{Kind: "run", Line: 5, Message: `"go build" failed with exit code 1`}}}
	totals(broken)
	parse := &check.Report{Schema: check.ReportSchema, Exercise: "ex", Gradable: true, Checks: []check.CheckResult{
		result("dockerfile-parses", "parse", check.StatusFail, 0, 0, "unknown instruction: COPPY", 3),
		result("two-stages", spec.KindStageCount, check.StatusSkipped, 0, 10, "not checked: the Dockerfile does not parse", 0),
		result("builds", spec.KindBuilds, check.StatusSkipped, 0, 10, "not checked: the Dockerfile does not parse", 0),
		result("small", spec.KindImageSize, check.StatusSkipped, 0, 20, "not checked: the Dockerfile does not parse", 0),
	}}
	totals(parse)
	plan := check.Plan{Exercise: "ex", Checks: []spec.Check{
		{ID: "two-stages", Kind: spec.KindStageCount, Points: spec.Whole(10)},
		{ID: "builds", Kind: spec.KindBuilds, Points: spec.Whole(10)},
		{ID: "small", Kind: spec.KindImageSize, Points: spec.Whole(20)},
	}}
	graded := func(id, name string, rep *check.Report) Result {
		return Result{Student: id, Name: name, Email: id + "@uni.example", Status: StatusGraded, Score: rep.Score, MaxScore: rep.MaxScore,
			Passed: rep.Passed, Worker: "unix:///run/bk.sock", Attempts: 1, DurationMS: 4200, GradedAt: at, Hash: "sha256:" + id, Report: rep}
	}
	missing := MissingResult(plan, Student{ID: "dora", Name: "Dora", Missing: "no submission"})
	missing.GradedAt = at
	run := &Run{Schema: RunSchema, UID: "run1", Exercise: "ex", Title: "An exercise", Checks: ChecksOf(plan), Started: at,
		Hints: []string{"Name the first stage `build`."},
		Results: []Result{
			graded("ada", "Ada Lovelace", full),
			graded("bob", "Bob", broken),
			graded("cy <&> \"q\"", "", parse),
			missing,
			{Student: "eve", Status: StatusNotGraded, MaxScore: spec.Whole(40), Attempts: 2, GradedAt: at,
				Error:  "BuildKit at tcp://bk-1:1234 does not answer: connection refused\nCheck that the daemon is running",
				Report: &check.Report{Schema: check.ReportSchema, Gradable: false, Checks: []check.CheckResult{}}},
		}}
	run.Summarize()
	return run
}

func TestSummarize(t *testing.T) {
	s := sampleRun().Summary
	if s.Students != 5 || s.Graded != 3 || s.Passed != 1 || !slices.Equal(s.Missing, []string{"dora"}) || !slices.Equal(s.NotGraded, []string{"eve"}) {
		t.Errorf("summary %+v", s)
	}
	// Mean and median over the graded and the missing: 40, 10, 0, 0 → mean 12.5, median 5.
	if s.Mean != spec.Points(1250) || s.Median != spec.Whole(5) || s.MaxScore != spec.Whole(40) {
		t.Errorf("mean %s median %s max %s; want 12.5, 5, 40", s.Mean, s.Median, s.MaxScore)
	}
}

func TestWriteJUnitValidates(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJUnit(&b, sampleRun()); err != nil {
		t.Fatal(err)
	}
	if err := ValidateJUnit(bytes.NewReader(b.Bytes())); err != nil {
		t.Fatalf("the JUnit does not validate: %v\n%s", err, b.String())
	}
	out := b.String()
	for _, want := range []string{
		`<testsuite name="bob" package="ex" id="1"`,
		`tests="3" failures="1" errors="0" skipped="1"`,
		`<property name="points.builds" value="0/10"></property>`,
		`<failure message="line 5: The Dockerfile must build — &#34;go build&#34; failed &lt;&amp;&gt;" type="builds">`,
		`[build 3/3] RUN go build`,
		`<skipped message="skipped: needs &#34;builds&#34; to pass first"></skipped>`,
		`<testsuite name="eve" package="ex" id="4"`,
		`<error message="BuildKit at tcp://bk-1:1234 does not answer: connection refused" type="environment">`,
		`name="cy &lt;&amp;&gt; &#34;q&#34;"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("JUnit lacks %s", want)
		}
	}
	if strings.Contains(out, "\x1b") {
		t.Error("the JUnit carries a raw escape character (invalid in XML 1.0)")
	}
}

func TestValidateJUnitCatchesWhatTheSchemaForbids(t *testing.T) {
	good := `<testsuites><testsuite name="a" package="p" id="0" timestamp="2026-03-01T10:00:00" hostname="h" tests="1" failures="1" errors="0" time="1.5">` +
		`<properties><property name="score" value="0"/></properties>` +
		`<testcase name="c" classname="p.a" time="0"><failure type="x" message="m">body</failure></testcase>` +
		`<system-out/><system-err/></testsuite></testsuites>`
	if err := ValidateJUnit(strings.NewReader(good)); err != nil {
		t.Fatalf("a valid document: %v", err)
	}
	bad := map[string]func(string) string{
		"no hostname":          func(s string) string { return strings.Replace(s, ` hostname="h"`, "", 1) },
		"zoned timestamp":      func(s string) string { return strings.Replace(s, `10:00:00"`, `10:00:00Z"`, 1) },
		"failure without type": func(s string) string { return strings.Replace(s, `type="x" `, "", 1) },
		"wrong failure count":  func(s string) string { return strings.Replace(s, `failures="1"`, `failures="0"`, 1) },
		"no properties": func(s string) string {
			return strings.Replace(s, `<properties><property name="score" value="0"/></properties>`, "", 1)
		},
		"no system-err":      func(s string) string { return strings.Replace(s, `<system-err/>`, "", 1) },
		"id not from 0":      func(s string) string { return strings.Replace(s, `id="0"`, `id="1"`, 1) },
		"two outcomes":       func(s string) string { return strings.Replace(s, `</failure>`, `</failure><skipped/>`, 1) },
		"attribute on root":  func(s string) string { return strings.Replace(s, `<testsuites>`, `<testsuites name="x">`, 1) },
		"testcase sans time": func(s string) string { return strings.Replace(s, ` time="0"`, "", 1) },
		"not xml":            func(s string) string { return s[:40] },
	}
	for name, mutate := range bad {
		if err := ValidateJUnit(strings.NewReader(mutate(good))); err == nil {
			t.Errorf("%s: validates, want an error", name)
		}
	}
}

func TestWriteCSV(t *testing.T) {
	run := sampleRun()
	read := func(style string) [][]string {
		t.Helper()
		var b bytes.Buffer
		if err := WriteCSV(&b, run, style); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&b).ReadAll()
		if err != nil {
			t.Fatalf("%s: the CSV does not read back: %v", style, err)
		}
		return rows
	}
	rows := read(CSVGeneric)
	wantHeader := append(append([]string{}, GenericColumns...), "check:two-stages", "check:builds", "check:small", "check:dockerfile-parses")
	if !slices.Equal(rows[0], wantHeader) {
		t.Errorf("header %q\nwant   %q", rows[0], wantHeader)
	}
	if len(rows) != 6 {
		t.Fatalf("%d rows, want a header and 5 students", len(rows))
	}
	col := func(row []string, name string) string { return row[slices.Index(rows[0], name)] }
	byID := map[string][]string{}
	for _, r := range rows[1:] {
		byID[r[0]] = r
	}
	if r := byID["ada"]; col(r, "score") != "40" || col(r, "percent") != "100.0" || col(r, "passed") != "true" || col(r, "checks_passed") != "3" || col(r, "image_bytes") != "2097152" || col(r, "check:small") != "20" {
		t.Errorf("ada: %q", r)
	}
	if r := byID["dora"]; col(r, "status") != "missing" || col(r, "score") != "0" || col(r, "note") != "missing: no submission" {
		t.Errorf("dora: %q", r)
	}
	if r := byID["eve"]; col(r, "status") != "not_graded" || col(r, "score") != "" || col(r, "passed") != "" {
		t.Errorf("eve: %q — a student not graded has no score, not 0", r)
	}
	if r := byID[`cy <&> "q"`]; col(r, "checks_total") != "3" || col(r, "check:dockerfile-parses") != "0" {
		t.Errorf("cy: %q — the parse check is not one of the exercise's checks", r)
	}
	if r := byID["bob"]; col(r, "note") != "build failed (run) at line 5" || col(r, "seconds") != "4.200" {
		t.Errorf("bob: %q", r)
	}

	moodle := read(CSVMoodle)
	if !slices.Equal(moodle[0], []string{"ID number", "Email address", "Full name", "An exercise (Real)", "An exercise (Feedback)"}) {
		t.Errorf("moodle header %q", moodle[0])
	}
	canvas := read(CSVCanvas)
	if !slices.Equal(canvas[0], []string{"Student", "ID", "SIS User ID", "SIS Login ID", "Section", "An exercise"}) || canvas[1][0] != "    Points Possible" || canvas[1][5] != "40" {
		t.Errorf("canvas header %q, %q", canvas[0], canvas[1])
	}
	if canvas[2][0] != "Ada Lovelace" || canvas[2][2] != "ada" || canvas[2][3] != "ada@uni.example" || canvas[2][5] != "40" {
		t.Errorf("canvas row %q", canvas[2])
	}
	if err := WriteCSV(&bytes.Buffer{}, run, "blackboard"); err == nil {
		t.Error("an unknown style writes")
	}
}

func TestWriteTextAndMarkdown(t *testing.T) {
	run := sampleRun()
	run.Summary.Similar = []Similarity{{A: "ada", B: "bob", Similarity: 1, Identical: true}}
	run.Summary.Workers = []WorkerInfo{{Address: "tcp://bk-0:1234", Graded: 3, WarmMS: 12000}, {Address: "tcp://bk-1:1234", Faults: 2, Down: "does not answer\nmore"}}
	var b bytes.Buffer
	WriteText(&b, run)
	out := b.String()
	for _, want := range []string{
		"ex — An exercise", "STUDENT", "ada", "40/40", "3/3", "2.0 MiB", "4.2s",
		"0/40", "build failed (run) at line 5", "does not parse at line 3", "missing: no submission", "not graded",
		"graded 3 of 5 (1 pass every check), missing 1, not graded 1; mean 12.5, median 5 of 40",
		"--regrade run1", "ada ~ bob  identical", "tcp://bk-1:1234: graded 0", "2 environment faults", "down: does not answer",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
	b.Reset()
	WriteMarkdown(&b, run)
	md := b.String()
	for _, want := range []string{"# Grades: An exercise (ex)", "| ada | 40/40 | 3/3 | 2.0 MiB |  |", `| cy &lt;&&gt; "q" |`, "**Not graded**", "- ada ~ bob: identical"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
}

func TestWriteFeedback(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "feedback")
	files, err := WriteFeedback(dir, sampleRun())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, filepath.Base(f))
	}
	want := []string{"ada.md", "bob.md", "cy_q.md", "dora.md", "eve.md"}
	if !slices.Equal(names, want) {
		t.Errorf("files %q, want %q", names, want)
	}
	bob, _ := os.ReadFile(filepath.Join(dir, "bob.md"))
	for _, want := range []string{"feedback for Bob (bob)", "**Score: 10/40**", "| ❌ | `builds` | 0/10 |", "(line 5)", "## Why the build failed", "main.go:3: syntax error", "## A hint", "Name the first stage"} {
		if !strings.Contains(string(bob), want) {
			t.Errorf("bob.md lacks %q:\n%s", want, bob)
		}
	}
	eve, _ := os.ReadFile(filepath.Join(dir, "eve.md"))
	if !strings.Contains(string(eve), "Not graded yet") || strings.Contains(string(eve), "Score") {
		t.Errorf("eve.md:\n%s", eve)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	run := sampleRun()
	var b bytes.Buffer
	if err := WriteJSON(&b, run); err != nil {
		t.Fatal(err)
	}
	var back Run
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back.Schema != RunSchema || len(back.Results) != 5 || back.Results[0].Report.Checks[2].Points != spec.Whole(20) || back.Summary.Mean != run.Summary.Mean {
		t.Errorf("round trip: %+v", back.Summary)
	}
	if !strings.Contains(b.String(), `"not_graded": [`) || !strings.Contains(b.String(), `"similar": []`) {
		t.Errorf("JSON summary lacks its lists:\n%s", b.String()[:400])
	}
}
