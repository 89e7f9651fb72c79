package lessons

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestExerciseChecksErrors(t *testing.T) {
	cases := []struct {
		name, checks string
		points       int
		want         string
	}{
		{"unknown field", "  - id: a\n    kind: builds\n    points: 10\n    colour: red\n", 10, "exercise.yaml:6:5: unknown field \"colour\""},
		{"unknown kind", "  - id: a\n    kind: bulids\n    points: 10\n", 10, "exercise.yaml:3:5: check \"a\": unknown kind \"bulids\""},
		{"duplicate id", "  - id: a\n    kind: builds\n    points: 5\n  - id: a\n    kind: builds\n    points: 5\n", 10, "exercise.yaml:6:5: duplicate check id \"a\""},
		{"needs later check", "  - id: a\n    kind: builds\n    points: 5\n    needs: [b]\n  - id: b\n    kind: builds\n    points: 5\n", 10, "needs \"b\", which is not a check declared before it"},
		{"points mismatch", "  - id: a\n    kind: builds\n    points: 7\n", 10, "exercise.yaml:2:1: the checks are worth 7 points in all, but the exercise says points: 10"},
		{"bad size", "  - id: a\n    kind: image_size\n    max: twenty\n    points: 10\n", 10, "\"twenty\" is not a size"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// The raw checks start on line 2 of the file, as after a "checks:" key on line 2.
			ex := &Exercise{File: "exercise.yaml", Points: c.points, RawChecks: []byte("\n" + c.checks), ChecksLine: 2}
			_, err := ex.Checks()
			if err == nil {
				t.Fatalf("no error, want %q", c.want)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error:\n%v\nwant it to contain %q", err, c.want)
			}
		})
	}
}

func TestExerciseChecksValid(t *testing.T) {
	ex := &Exercise{File: "exercise.yaml", Points: 25, ChecksLine: 1, RawChecks: []byte(
		"- id: stages\n  kind: stage_count\n  min: 2\n  points: 10\n- id: size\n  kind: image_size\n  max: 20MB\n  points: 12.5\n  needs: [stages]\n- id: runs\n  kind: runs\n  args: [-version]\n  points: 2.5\n")}
	specs, err := ex.Checks()
	if err != nil {
		t.Fatal(err)
	}
	if len(specs) != 3 || specs[1].Max.Raw != "20MB" || specs[1].Points != 1250 || specs[0].Line != 1 || specs[2].Line != 10 {
		t.Fatalf("decoded %+v", specs)
	}
}

func TestContextPath(t *testing.T) {
	for in, want := range map[string]string{
		"_go.mod":       "go.mod",
		"_.git":         ".git",
		"_.git/HEAD":    ".git/HEAD",
		"sub/_go.mod":   "sub/go.mod",
		"main.go":       "main.go",
		"_notes/a.txt":  "_notes/a.txt",
		"static/_go.md": "static/_go.md",
	} {
		if got := ContextPath(in); got != want {
			t.Errorf("ContextPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestExerciseCases(t *testing.T) {
	ex := &Exercise{ID: "ex", Dir: "exercises/ex", File: "exercises/ex/exercise.yaml", Points: 10, ChecksLine: 1,
		RawChecks: []byte("- id: builds\n  kind: builds\n  points: 5\n- id: leak\n  kind: content_leak\n  value: pw\n  points: 5\n")}
	fsys := fstest.MapFS{
		"exercises/ex/cases/pass-other-route.Dockerfile": {Data: []byte("FROM scratch\n")},
		"exercises/ex/cases/fail-copies-env.Dockerfile":  {Data: []byte("# ships .env\n# fails: leak, builds\nFROM scratch\n")},
	}
	cases, err := ex.Cases(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 2 || cases[0].Pass || strings.Join(cases[0].Fails, " ") != "leak builds" || !cases[1].Pass {
		t.Errorf("cases: %+v", cases)
	}

	bad := fstest.MapFS{
		"exercises/ex/cases/Pass-Other.Dockerfile":      {Data: []byte("FROM scratch\n")},
		"exercises/ex/cases/fail-undeclared.Dockerfile": {Data: []byte("FROM scratch\n")},
		"exercises/ex/cases/fail-unknown-id.Dockerfile": {Data: []byte("FROM scratch\n# fails: builds, leek\n")},
		"exercises/ex/cases/pass-but-fails.Dockerfile":  {Data: []byte("# fails: leak\nFROM scratch\n")},
		"exercises/ex/cases/fail-fine.Dockerfile":       {Data: []byte("# fails: leak\nFROM scratch\n")},
		"exercises/ex/cases/notes/pass-x.Dockerfile":    {Data: []byte("FROM scratch\n")},
		"exercises/ex/cases/fail-also-fine.Dockerfile":  {Data: []byte("# fails: builds\n")},
		"exercises/ex/cases/pass-also-fine.Dockerfile":  {Data: []byte("FROM scratch\n")},
	}
	_, err = ex.Cases(bad)
	if err == nil {
		t.Fatal("no error for bad cases")
	}
	for _, want := range []string{
		"exercises/ex/cases/Pass-Other.Dockerfile:1:1: a case is a file named pass-<why>.Dockerfile or fail-<why>.Dockerfile",
		"exercises/ex/cases/notes:1:1: a case is a file named",
		"exercises/ex/cases/fail-undeclared.Dockerfile:1:1: a fail- case must say which checks it fails",
		`exercises/ex/cases/fail-unknown-id.Dockerfile:2:18: # fails: "leek" is not a check of ex`,
		"exercises/ex/cases/pass-but-fails.Dockerfile:1:1: a pass- case must pass every check",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("errors:\n%v\nwant one containing %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "fine") {
		t.Errorf("a valid case was reported:\n%v", err)
	}

	none, err := ex.Cases(fstest.MapFS{})
	if err != nil || none != nil {
		t.Errorf("an exercise without cases/: %v, %v", none, err)
	}
}
