package lessons

import (
	"strings"
	"testing"
	"testing/fstest"

	xansi "github.com/charmbracelet/x/ansi"
)

// lessonWith is lesson a of baseCourse with body after its front matter (which takes lines 1–8,
// so the body's first line is file line 9).
func lessonWith(body string) fstest.MapFS {
	fsys := baseCourse()
	fsys["lessons/01-a.md"] = &fstest.MapFile{Data: []byte("---\nid: a\ntitle: A\nmodule: m1\norder: 1\nquiz: qa\nexercises: [ex1]\n---\n" + body)}
	return fsys
}

func TestSnippets(t *testing.T) {
	c, err := Load(lessonWith("# A\n\n" + // lines 9, 10
		"```dockerfile complete\nFROM busybox\nRUN true\n```\n" + // 11–14
		"```dockerfile\nCOPY . .\n```\n" + // 15–17: a fragment
		"~~~Dockerfile  complete   context=ex1\nFROM busybox\nCOPY f.txt /\n~~~\n" + // 18–21
		"```sh complete\nnot a Dockerfile\n```\n")) // 22–24: other languages are not snippets
	if err != nil {
		t.Fatal(err)
	}
	got := c.Lesson("a").Snippets()
	if len(got) != 2 {
		t.Fatalf("snippets: %+v, want 2", got)
	}
	if s := got[0]; s.Line != 11 || s.Context != "" || string(s.Dockerfile) != "FROM busybox\nRUN true\n" || s.File != "lessons/01-a.md" || s.Lesson != "a" {
		t.Errorf("first snippet %+v", s)
	}
	if s := got[1]; s.Line != 18 || s.Context != "ex1" || string(s.Dockerfile) != "FROM busybox\nCOPY f.txt /\n" {
		t.Errorf("second snippet %+v", s)
	}
	if all := c.Snippets(); len(all) != 2 {
		t.Errorf("course snippets: %d, want 2", len(all))
	}
}

func TestSnippetErrors(t *testing.T) {
	tests := []struct {
		name, body string
		want       []string
	}{
		{"typo", "# A\n```dockerfile compelte\nFROM busybox\n```\n",
			[]string{`lessons/01-a.md:10:15: unknown snippet attribute "compelte": a Dockerfile fence takes "complete" and "context=<exercise-id>" (did you mean "complete"?)`}},
		{"unknown exercise", "# A\n```dockerfile complete context=ex2\nFROM busybox\n```\n",
			[]string{`lessons/01-a.md:10:24: context=ex2: exercise "ex2" does not exist (no exercises/ex2/exercise.yaml) (did you mean "ex1"?)`}},
		{"context without complete", "# A\n```dockerfile context=ex1\nFROM busybox\n```\n",
			[]string{`lessons/01-a.md:10:15: context= is only for snippets marked complete (` + "```" + `dockerfile complete context=ex1)`}},
		{"empty context", "# A\n```dockerfile complete context=\nFROM busybox\n```\n",
			[]string{`lessons/01-a.md:10:24: context= needs an exercise id: context=<exercise-id> builds the snippet in that exercise's build context`}},
		{"empty", "# A\n```dockerfile complete\n\n```\n",
			[]string{`lessons/01-a.md:10:1: this snippet is marked complete but is empty`}},
		{"unclosed", "# A\n```dockerfile complete\nFROM busybox\n",
			[]string{`lessons/01-a.md:10:1: this complete snippet's code block is never closed`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := loadErrors(t, lessonWith(tt.body))
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestSnippetAttributesAreNotRendered: a fence's attributes change nothing a reader sees — the
// block renders exactly as the bare ```dockerfile one, highlighted, in every style.
func TestSnippetAttributesAreNotRendered(t *testing.T) {
	r := NewRenderer()
	code := "FROM busybox AS build\nRUN echo hi\n```\n"
	for _, style := range []Style{StyleDark, StyleLight, StylePlain} {
		bare, err := r.Render("```dockerfile\n"+code, 80, style)
		if err != nil {
			t.Fatal(err)
		}
		marked, err := r.Render("```dockerfile complete context=go-multistage\n"+code, 80, style)
		if err != nil {
			t.Fatal(err)
		}
		if marked != bare {
			t.Errorf("%v: the marked block renders differently:\n%q\nwant\n%q", style, marked, bare)
		}
		if plain := xansi.Strip(marked); strings.Contains(plain, "complete") || strings.Contains(plain, "context=") {
			t.Errorf("%v: the attributes show: %q", style, plain)
		}
		if style == StyleDark && !strings.Contains(marked, dockerKeyword) {
			t.Errorf("the marked block is not highlighted as a Dockerfile: %q", marked)
		}
	}
}
