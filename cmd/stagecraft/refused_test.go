package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stagecraft/stagecraft/sandbox/check"
)

// hostSecret writes a root-only file holding a string that must never reach any output.
func hostSecret(t *testing.T) (path, secret string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "host")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	secret = "HOST-SECRET-7f3a9c"
	path = filepath.Join(dir, "shadow")
	if err := os.WriteFile(path, []byte("root:"+secret+":19000:0:99999:7:::\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, secret
}

// TestCheckRefusesDockerfileLink: a Dockerfile that is a link to a host file is refused, in
// every format, with a report naming the file as given and nothing of what it points to; the
// submission fails (exit 1). No daemon is needed: nothing is built.
func TestCheckRefusesDockerfileLink(t *testing.T) {
	secretPath, secret := hostSecret(t)
	work := t.TempDir()
	link := filepath.Join(work, "Dockerfile")
	if err := os.Symlink(secretPath, link); err != nil {
		t.Fatal(err)
	}
	base := []string{"--db", filepath.Join(work, "progress.db"), "--buildkit", "unix:///nonexistent/buildkitd.sock", "check", "-f", link, "--non-root"}
	for _, format := range []string{"text", "json", "gradescope"} {
		out, errw, code := gradeCmd(t, append(base, "--format", format)...)
		if code != exitFailed {
			t.Errorf("%s: exit %d, want 1\n%s%s", format, code, out, errw)
		}
		if strings.Contains(out+errw, secret) || strings.Contains(out+errw, secretPath) {
			t.Errorf("%s: the host file or its path is in the output:\n%s%s", format, out, errw)
		}
		if !strings.Contains(out, "is a symbolic link; the grader reads regular files only") {
			t.Errorf("%s: the output does not say the Dockerfile is a link:\n%s", format, out)
		}
	}
}

// TestCheckOversizedDockerfileReport: a Dockerfile over 1 MiB gets a report in json and
// gradescope formats (not an empty stdout), with the size, and exit 1.
func TestCheckOversizedDockerfileReport(t *testing.T) {
	work := t.TempDir()
	df := filepath.Join(work, "Dockerfile")
	big := "FROM busybox\n" + strings.Repeat("# padding line for an oversized Dockerfile\n", 50000)
	if err := os.WriteFile(df, []byte(big), 0o644); err != nil {
		t.Fatal(err)
	}
	base := []string{"--db", filepath.Join(work, "progress.db"), "--buildkit", "unix:///nonexistent/buildkitd.sock", "check", "-f", df, "--non-root"}

	out, errw, code := gradeCmd(t, append(base, "--format", "json")...)
	if code != exitFailed {
		t.Fatalf("json: exit %d, want 1\n%s%s", code, out, errw)
	}
	var rep check.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("json: no report on stdout (%v):\n%q", err, out)
	}
	// As in grade: the parse check fails and names the size; the other checks are not run.
	if !rep.Gradable || rep.Passed || len(rep.Checks) != 2 || rep.Checks[0].Status != check.StatusFail ||
		!strings.Contains(rep.Checks[0].Message, "2.1 MiB") || !strings.Contains(rep.Checks[0].Message, "1 MiB") {
		t.Errorf("json report: gradable %v, passed %v, checks %+v", rep.Gradable, rep.Passed, rep.Checks)
	}

	out, errw, code = gradeCmd(t, append(base, "--format", "gradescope")...)
	if code != exitFailed {
		t.Fatalf("gradescope: exit %d, want 1\n%s%s", code, out, errw)
	}
	var gs gradescopeResults
	if err := json.Unmarshal([]byte(out), &gs); err != nil {
		t.Fatalf("gradescope: no results.json on stdout (%v):\n%q", err, out)
	}
	if gs.Score != 0 || len(gs.Tests) != 2 || gs.Tests[0].Status != "failed" || !strings.Contains(gs.Tests[0].Output, "2.1 MiB") {
		t.Errorf("gradescope: %+v", gs)
	}
}

// TestCheckOversizedContext: a context over 200 MiB is the submission's failure (exit 1, a
// report), and the message says "more than 200 MiB", not a rounded size equal to the limit.
// A sparse file makes it without writing 200 MiB.
func TestCheckOversizedContext(t *testing.T) {
	work := t.TempDir()
	ctxDir := filepath.Join(work, "ctx")
	os.MkdirAll(ctxDir, 0o755)
	os.WriteFile(filepath.Join(ctxDir, "Dockerfile"), []byte("FROM busybox\nCOPY . /app\n"), 0o644)
	f, err := os.Create(filepath.Join(ctxDir, "big.bin"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(201 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	// Static checks need no daemon; the size is refused before anything is sent, so the
	// unreachable daemon is never asked (an unreachable daemon would be exit 3).
	out, errw, code := gradeCmd(t, "--db", filepath.Join(work, "progress.db"), "--buildkit", "unix:///nonexistent/buildkitd.sock",
		"check", "-f", filepath.Join(ctxDir, "Dockerfile"), "--context", ctxDir, "--non-root", "--format", "json")
	var rep check.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("no report on stdout (%v), exit %d:\n%q\n%s", err, code, out, errw)
	}
	if code != exitFailed {
		t.Fatalf("exit %d, want 1\n%s%s", code, out, errw)
	}
	if !strings.Contains(rep.Error, "build context is more than 200 MiB") || rep.Passed || !rep.Gradable {
		t.Errorf("report: error %q, passed %v, gradable %v", rep.Error, rep.Passed, rep.Gradable)
	}
}
