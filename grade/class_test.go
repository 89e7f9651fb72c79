package grade

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stagecraft/stagecraft/sandbox"
)

// write lays out files under dir: path → content ("" makes an empty folder for a path ending in /).
func write(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for p, content := range files {
		full := filepath.Join(dir, p)
		if strings.HasSuffix(p, "/") {
			if err := os.MkdirAll(full, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func ids(c *Class) []string {
	var out []string
	for _, s := range c.Students {
		out = append(out, s.ID)
	}
	return out
}

func TestLoadFolderOfStudents(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"bob/Dockerfile":   "FROM scratch\n",
		"ada/Dockerfile":   "FROM busybox\n",
		"ada/main.go":      "package main\n",
		"cy/":              "",
		"cy/notes.txt":     "forgot it",
		".git/HEAD":        "ref",
		"roster-notes.txt": "not a student",
	})
	c, err := Load(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(c); !slices.Equal(got, []string{"ada", "bob", "cy"}) {
		t.Fatalf("students %q", got)
	}
	ada, cy := c.Students[0], c.Students[2]
	if string(ada.Dockerfile) != "FROM busybox\n" || ada.Dir != filepath.Join(dir, "ada") || ada.Hash == "" || ada.Missing != "" {
		t.Errorf("ada: %+v", ada)
	}
	if cy.Missing == "" || cy.File != "" {
		t.Errorf("cy has no Dockerfile: %+v", cy)
	}
	// The hash covers the student's context files, not only the Dockerfile.
	before := ada.Hash
	write(t, dir, map[string]string{"ada/main.go": "package main // changed\n"})
	c2, _ := Load(dir, "")
	if c2.Students[0].Hash == before {
		t.Error("changing a context file keeps the hash")
	}
	if c2.Students[1].Hash != c.Students[1].Hash {
		t.Error("bob's hash changed though nothing of his did")
	}
}

func TestLoadSingleFolderListAndFile(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"solo/Dockerfile":      "FROM scratch\n",
		"more/dan/Dockerfile":  "FROM scratch\n",
		"more/erin.Dockerfile": "FROM busybox\n",
		"list.txt":             "# the class\nsolo\n\nmore/dan\n" + filepath.Join(dir, "more/erin.Dockerfile") + "\n",
		"dup.txt":              "solo\nmore/dan/../../solo\n",
		"missing.txt":          "solo\nnobody\n",
		"more/fay/placeholder": "",
		"list-with-folder.txt": "more/fay\n",
	})
	c, err := Load(filepath.Join(dir, "solo"), "")
	if err != nil || !slices.Equal(ids(c), []string{"solo"}) {
		t.Fatalf("single folder: %v %v", ids(c), err)
	}
	c, err = Load(filepath.Join(dir, "list.txt"), "")
	if err != nil || !slices.Equal(ids(c), []string{"dan", "erin", "solo"}) {
		t.Fatalf("list: %v %v", ids(c), err)
	}
	if erin := c.Students[1]; erin.Dir != "" || string(erin.Dockerfile) != "FROM busybox\n" {
		t.Errorf("erin, a Dockerfile named in a list, must not take her folder's neighbours as context: %+v", erin)
	}
	c, err = Load(filepath.Join(dir, "more/erin.Dockerfile"), "")
	if err != nil || !slices.Equal(ids(c), []string{"erin"}) {
		t.Fatalf("a Dockerfile: %v %v", ids(c), err)
	}
	c, err = Load(filepath.Join(dir, "list-with-folder.txt"), "")
	if err != nil || c.Students[0].Missing == "" {
		t.Fatalf("a listed folder without a Dockerfile is missing, not an error: %v %+v", err, c)
	}
	for name, want := range map[string]string{
		"dup.txt":     `dup.txt:2: student "solo" is already on line 1`,
		"missing.txt": "missing.txt:2: nobody: no such file or folder",
		"nothere":     "no such file or folder",
	} {
		_, err := Load(filepath.Join(dir, name), "")
		var ie *InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want an InputError with %q", name, err, want)
		}
	}
	empty := t.TempDir()
	if _, err := Load(empty, ""); err == nil || !strings.Contains(err.Error(), "no student folders") {
		t.Errorf("an empty folder: %v", err)
	}
}

func TestRoster(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"subs/ada/Dockerfile": "FROM scratch\n",
		"subs/Bob/Dockerfile": "FROM scratch\n",
		"subs/zed/Dockerfile": "FROM scratch\n",
		"roster.csv":          "\ufeffEmail,ID,Name,Section\nada@x.org,ada,Ada Lovelace,A\nbob@x.org,bob,Bob,A\ncy@x.org,cy,Cy,B\n",
		"noid.csv":            "name,email\nAda,ada@x.org\n",
		"dup.csv":             "id,name\nada,Ada\nada,Ada again\n",
		"emptyid.csv":         "id,name\n,Nobody\n",
		"empty.csv":           "",
		"ragged.csv":          "id,name,email\nada\n",
	})
	c, err := Load(filepath.Join(dir, "subs"), filepath.Join(dir, "roster.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(c); !slices.Equal(got, []string{"Bob", "ada", "cy", "zed"}) {
		t.Fatalf("students %q", got)
	}
	m := map[string]Student{}
	for _, s := range c.Students {
		m[s.ID] = s
	}
	if m["ada"].Name != "Ada Lovelace" || m["ada"].Email != "ada@x.org" || m["ada"].OffRoster {
		t.Errorf("ada: %+v", m["ada"])
	}
	if m["Bob"].Email != "bob@x.org" {
		t.Errorf("Bob matches bob ignoring case: %+v", m["Bob"])
	}
	if m["cy"].Missing != "no submission" || m["cy"].Name != "Cy" {
		t.Errorf("cy, on the roster without a folder, is missing: %+v", m["cy"])
	}
	if !m["zed"].OffRoster {
		t.Errorf("zed is not on the roster: %+v", m["zed"])
	}
	if _, err := Load(filepath.Join(dir, "subs"), filepath.Join(dir, "ragged.csv")); err != nil {
		t.Errorf("a row with only an id: %v", err)
	}
	for name, want := range map[string]string{
		"noid.csv":    "no id column",
		"dup.csv":     `dup.csv:3: id "ada" is already on line 2`,
		"emptyid.csv": "emptyid.csv:2: empty id",
		"empty.csv":   "empty file",
		"nofile.csv":  "no such file",
	} {
		_, err := Load(filepath.Join(dir, "subs"), filepath.Join(dir, name))
		var ie *InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want an InputError with %q", name, err, want)
		}
	}
}

func TestOverlay(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"ctx/main.go":       "package main // exercise\n",
		"ctx/go.mod":        "module hello\n",
		"ctx/static/a.txt":  "a",
		"ann/Dockerfile":    "FROM scratch\n",
		"ann/main.go":       "package main // ann's\n",
		"ann/extra/b.txt":   "b",
		"ann/.dockerignore": "*.md\n",
		"ann/.git/config":   "not handed in",
		"ben/Dockerfile":    "FROM scratch\n",
		"big/Dockerfile":    "FROM scratch\n",
		"big/blob.bin":      strings.Repeat("x", 4096),
	})
	if err := os.Symlink("/etc/passwd", filepath.Join(dir, "ann", "passwd")); err != nil {
		t.Fatal(err)
	}
	ctxDir := filepath.Join(dir, "ctx")
	ann := &Student{ID: "ann", Dir: filepath.Join(dir, "ann")}
	got, cleanup, err := overlay(ctxDir, ann, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	read := func(p string) string { b, _ := os.ReadFile(filepath.Join(got, p)); return string(b) }
	if read("main.go") != "package main // ann's\n" || read("go.mod") != "module hello\n" || read("static/a.txt") != "a" || read("extra/b.txt") != "b" || read(".dockerignore") != "*.md\n" {
		t.Errorf("overlay: main.go %q go.mod %q", read("main.go"), read("go.mod"))
	}
	if _, err := os.Stat(filepath.Join(got, ".git")); err == nil {
		t.Error("the student's .git folder is in the context")
	}
	if target, err := os.Readlink(filepath.Join(got, "passwd")); err != nil || target != "/etc/passwd" {
		t.Errorf("a symlink must stay a link (never followed): %q %v", target, err)
	}
	if b, _ := os.ReadFile(filepath.Join(ctxDir, "main.go")); string(b) != "package main // exercise\n" {
		t.Error("the overlay changed the exercise's context")
	}
	cleanup()
	if _, err := os.Stat(got); err == nil {
		t.Error("cleanup left the temp context")
	}

	// Only a Dockerfile: the exercise's context as it is, nothing copied.
	got, cleanup, err = overlay(ctxDir, &Student{ID: "ben", Dir: filepath.Join(dir, "ben")}, 1<<20)
	if err != nil || got != ctxDir {
		t.Errorf("ben: %s %v, want the exercise's context itself", got, err)
	}
	cleanup()

	_, _, err = overlay(ctxDir, &Student{ID: "big", Dir: filepath.Join(dir, "big")}, 2048)
	var le *sandbox.LimitError
	if !errors.As(err, &le) {
		t.Errorf("over the limit: %v, want a LimitError", err)
	}
}
