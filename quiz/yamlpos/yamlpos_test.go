package yamlpos

import (
	"github.com/goccy/go-yaml/ast"
	"strings"
	"testing"
)

func TestDecodeCollectsEveryErrorWithPositions(t *testing.T) {
	src := `title: T
points: many
tags: solo
items:
  - name: a
    colour: red
  - nme: b
flag: maybe
block: |
  text
`
	var (
		title, block string
		points       int
		tags         []string
		flag         bool
	)
	d := &Decoder{File: "f.yaml"}
	root := d.Parse([]byte(src), 1)
	keys := d.Map(root, "the file", Fields{
		"title":  String(&title),
		"points": Int(&points),
		"tags":   Strings(&tags),
		"flag":   Bool(&flag),
		"block":  String(&block),
		"items": func(d *Decoder, key string, n ast.Node) {
			for _, it := range d.Seq(key, n) {
				var name string
				d.Map(it, "an item", Fields{"name": String(&name)})
			}
		},
	})
	want := []string{
		`f.yaml:2:9: points must be a whole number, not "many"`,
		`f.yaml:3:7: tags must be a list (- item lines or [a, b]), not "solo"`,
		`f.yaml:6:5: unknown field "colour" in an item`,
		`f.yaml:7:5: unknown field "nme" in an item (did you mean "name"?)`,
		`f.yaml:8:7: flag must be true or false, not "maybe"`,
	}
	d.Errs.Sort()
	if got := strings.Split(d.Errs.Error(), "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if title != "T" || block != "text\n" {
		t.Errorf("title %q block %q", title, block)
	}
	if p := keys.Pos("block"); p != (Pos{9, 8}) {
		t.Errorf("block at %v, want 9:8", p)
	}
	if p := keys.Pos("missing"); p != (Pos{1, 1}) {
		t.Errorf("missing key at %v, want the mapping's start 1:1", p)
	}
}

func TestParseOffsetsFrontMatterLines(t *testing.T) {
	d := &Decoder{File: "lessons/01-a.md"}
	root := d.Parse([]byte("id: a\norder: x\n"), 2)
	var order int
	d.Map(root, "front matter", Fields{"id": nil, "order": Int(&order)})
	if len(d.Errs) != 1 || d.Errs[0].Error() != `lessons/01-a.md:3:8: order must be a whole number, not "x"` {
		t.Errorf("got %v", d.Errs)
	}
}

func TestParseSyntaxError(t *testing.T) {
	d := &Decoder{File: "q.yaml"}
	if root := d.Parse([]byte("a: b\nc: [1, 2\n"), 1); root != nil {
		t.Errorf("root = %v, want nil on a syntax error", root)
	}
	if len(d.Errs) != 1 || d.Errs[0].Line == 0 {
		t.Fatalf("errs = %v, want one positioned syntax error", d.Errs)
	}
	t.Log(d.Errs)
}

func TestParseDuplicateKey(t *testing.T) {
	d := &Decoder{File: "q.yaml"}
	d.Parse([]byte("a: b\na: c\n"), 1)
	if len(d.Errs) != 1 || d.Errs[0].Line != 2 {
		t.Fatalf("errs = %v, want the duplicate key on line 2", d.Errs)
	}
	t.Log(d.Errs)
}
