package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/stagecraft/stagecraft/grade"
)

// TestGradeKeepsHostFilesOut grades, on a real BuildKit, a class whose submissions point at a
// root-only host file: alice's Dockerfile is a link to it, bob's greeting.txt (laid over the
// exercise's context) links to it, cy's data/ links to the folder holding it, and dee's
// Dockerfile is a pipe. The run finishes; alice and dee are refused by name; bob and cy are
// built and fail; and the secret is nowhere: not in the JSON, JUnit, CSV, Markdown or text
// outputs, the feedback files, or the progress database's files.
func TestGradeKeepsHostFilesOut(t *testing.T) {
	addr := gradeDaemon(t)
	secretPath, secret := hostSecret(t)
	secretDir := filepath.Dir(secretPath)
	os.WriteFile(filepath.Join(secretDir, "greeting.txt"), []byte("hello "+secret+"\n"), 0o600)

	work := t.TempDir()
	class := filepath.Join(work, "submissions")
	solution, err := os.ReadFile(filepath.Join(exampleCourseDir, "exercises", "keep-the-artifact", "solution.Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"alice", "bob", "cy", "dee"} {
		os.MkdirAll(filepath.Join(class, id), 0o755)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Symlink(secretPath, filepath.Join(class, "alice", "Dockerfile")))
	must(os.WriteFile(filepath.Join(class, "bob", "Dockerfile"), solution, 0o644))
	must(os.Symlink(secretPath, filepath.Join(class, "bob", "greeting.txt")))
	cyDockerfile := strings.Replace(string(solution), "COPY greeting.txt /out/greeting.txt", "COPY data/ /out/\nRUN cat /out/greeting.txt", 1)
	must(os.WriteFile(filepath.Join(class, "cy", "Dockerfile"), []byte(cyDockerfile), 0o644))
	must(os.Symlink(secretDir, filepath.Join(class, "cy", "data")))
	must(syscall.Mkfifo(filepath.Join(class, "dee", "Dockerfile"), 0o644))

	db := filepath.Join(work, "db", "progress.db")
	os.MkdirAll(filepath.Dir(db), 0o700)
	global := []string{"--course", exampleCourseDir, "--db", db, "--buildkit", addr}
	jsonOut, feedback := filepath.Join(work, "run.json"), filepath.Join(work, "feedback")
	text, errw, code := gradeCmd(t, append(slices.Clone(global), "grade", "--exercise", "keep-the-artifact", class,
		"--timeout", "60s", "--format", "json", "--out", jsonOut, "--feedback", feedback)...)
	if code != exitOK {
		t.Fatalf("grade: exit %d, want 0\n%s\n%s", code, text, errw)
	}
	run := readRun(t, jsonOut)
	for _, r := range run.Results {
		switch r.Student {
		case "alice", "dee":
			kind := map[string]string{"alice": "a symbolic link", "dee": "a named pipe"}[r.Student]
			if r.Status != grade.StatusMissing || r.Missing != "submissions/"+r.Student+"/Dockerfile is "+kind+"; the grader reads regular files only" {
				t.Errorf("%s: %s, %q", r.Student, r.Status, r.Missing)
			}
		case "bob", "cy":
			if r.Status != grade.StatusGraded || r.Passed {
				t.Errorf("%s: %s, passed %v; want graded and failed (the link names nothing in the context)", r.Student, r.Status, r.Passed)
			}
		default:
			t.Errorf("unexpected student %s", r.Student)
		}
	}

	outputs := map[string]string{"text": text + errw}
	for _, format := range []string{"junit", "markdown", "text"} {
		out, errw, code := gradeCmd(t, append(slices.Clone(global), "grade", "show", "last", "--format", format)...)
		if code != exitOK {
			t.Fatalf("show %s: exit %d: %s", format, code, errw)
		}
		outputs[format] = out
	}
	for _, style := range []string{grade.CSVGeneric, grade.CSVMoodle, grade.CSVCanvas} {
		out, errw, code := gradeCmd(t, append(slices.Clone(global), "grade", "show", "last", "--format", "csv", "--csv-style", style)...)
		if code != exitOK {
			t.Fatalf("show csv %s: exit %d: %s", style, code, errw)
		}
		outputs["csv "+style] = out
	}
	for _, dir := range []string{feedback, filepath.Dir(db)} {
		files, _ := os.ReadDir(dir)
		if len(files) == 0 {
			t.Fatalf("nothing in %s", dir)
		}
		for _, f := range files {
			b, err := os.ReadFile(filepath.Join(dir, f.Name()))
			if err != nil {
				t.Fatal(err)
			}
			outputs[f.Name()] = string(b)
		}
	}
	b, _ := os.ReadFile(jsonOut)
	outputs["json"] = string(b)
	for name, out := range outputs {
		if strings.Contains(out, secret) {
			t.Errorf("%s holds the host file's secret", name)
		}
		if strings.Contains(out, secretDir) {
			t.Errorf("%s names the host folder the links point to", name)
		}
	}
	if !strings.Contains(outputs["markdown"], "submissions/alice/Dockerfile is a symbolic link") {
		t.Errorf("the Markdown report does not say why alice was not graded:\n%s", outputs["markdown"])
	}
}

// TestCheckContextLinkOut: `check --context` on a folder with a link to a host folder builds
// (BuildKit gets the link as a link) and the secret is in no output.
func TestCheckContextLinkOut(t *testing.T) {
	addr := gradeDaemon(t)
	secretPath, secret := hostSecret(t)
	work := t.TempDir()
	ctxDir := filepath.Join(work, "ctx")
	os.MkdirAll(ctxDir, 0o755)
	if err := os.Symlink(filepath.Dir(secretPath), filepath.Join(ctxDir, "data")); err != nil {
		t.Fatal(err)
	}
	df := filepath.Join(ctxDir, "Dockerfile")
	os.WriteFile(df, []byte("FROM busybox\nCOPY data/ /data/\nRUN cat /data/shadow\n"), 0o644)
	for _, format := range []string{"text", "json", "gradescope"} {
		out, errw, code := gradeCmd(t, "--db", filepath.Join(work, "progress.db"), "--buildkit", addr,
			"check", "-f", df, "--context", ctxDir, "--non-root", "--timeout", "60s", "--format", format)
		if code != exitFailed {
			t.Errorf("%s: exit %d, want 1 (the link names nothing in the context)\n%s%s", format, code, out, errw)
		}
		if strings.Contains(out+errw, secret) || strings.Contains(out+errw, filepath.Dir(secretPath)) {
			t.Errorf("%s: the host file's secret or folder is in the output:\n%s%s", format, out, errw)
		}
	}
}
