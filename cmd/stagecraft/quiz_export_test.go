package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stagecraft/stagecraft/lessons"
	"github.com/stagecraft/stagecraft/quiz"
)

// TestQuizExportImport exports the test course as GIFT and JSON through the CLI, imports the
// GIFT back, and parses the result as a quiz.
func TestQuizExportImport(t *testing.T) {
	dir := writeQuizCourse(t)
	tmp := t.TempDir()
	run := func(args ...string) (string, string, error) {
		out, errw := &bytes.Buffer{}, &bytes.Buffer{}
		root := newRootCmd(strings.NewReader(""), out, errw)
		root.SetArgs(append([]string{"--course", dir}, args...))
		err := root.ExecuteContext(context.Background())
		return out.String(), errw.String(), err
	}
	gift := filepath.Join(tmp, "stages.gift")
	if _, _, err := run("quiz", "export", "--format", "gift", "--out", gift); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(gift)
	for _, want := range []string{"// Exported by stagecraft", "$CATEGORY: stagecraft/stages-quiz", "::st-spot::", "=Line 3\\: FROM golang", "=Step 1 -> FROM golang AS build"} {
		if !bytes.Contains(data, []byte(want)) {
			t.Errorf("GIFT lacks %q", want)
		}
	}
	yamlFile := filepath.Join(tmp, "stages.yaml")
	_, stderr, err := run("quiz", "import", gift, "--out", yamlFile, "--lesson", "stages", "--title", "Back")
	if err != nil {
		t.Fatalf("%v %s", err, stderr)
	}
	back, _ := os.ReadFile(yamlFile)
	qz, err := quiz.Parse("stages.yaml", back)
	if err != nil {
		t.Fatalf("%v\n%s", err, back)
	}
	if qz.ID != "stages" || qz.Lesson != "stages" || qz.Title != "Back" || len(qz.Questions) != 7 {
		t.Errorf("imported quiz %s %s %q with %d questions", qz.ID, qz.Lesson, qz.Title, len(qz.Questions))
	}
	c, _ := lessons.Load(os.DirFS(dir))
	for _, q := range qz.Questions {
		if orig := c.Question(q.ID); orig == nil || orig.ContentHash() != q.ContentHash() || orig.Difficulty != q.Difficulty {
			t.Errorf("%s did not come back the same", q.ID)
		}
	}

	out, _, err := run("quiz", "export", "--format", "json", "--lesson", "copy")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Schema    string              `json:"schema"`
		Questions []quiz.QuestionJSON `json:"questions"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || doc.Schema != quiz.ExportSchema || len(doc.Questions) != 3 {
		t.Errorf("json export: %v %+v", err, doc)
	}

	bad := filepath.Join(tmp, "bad.gift")
	os.WriteFile(bad, []byte("::a:: ok {=x ~y}\n\n::b:: How many? {#3}\n"), 0o644)
	_, _, err = run("quiz", "import", bad)
	var ex *exitError
	if !errors.As(err, &ex) || ex.code != exitUsage || !strings.Contains(err.Error(), "bad.gift:3:17: a numerical question") {
		t.Errorf("import of a bad file: %v", err)
	}
	if _, _, err := run("quiz", "export", "--format", "qti"); err == nil || !strings.Contains(err.Error(), "--format \"qti\": use gift or json") {
		t.Errorf("bad format: %v", err)
	}
}
