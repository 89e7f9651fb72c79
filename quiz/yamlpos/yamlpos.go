// Package yamlpos decodes the course's YAML (quizzes, lesson front matter, course.yaml,
// exercise.yaml) so that every mistake is reported as file:line:col, and all of them at once:
// a decoder walks the YAML syntax tree field by field instead of stopping at the first error.
package yamlpos

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// Error is one mistake in a course file. Line and Col are 1-based; Line 0 means the whole file
// (it is missing or unreadable).
type Error struct {
	File      string
	Line, Col int
	Msg       string
}

func (e Error) Error() string {
	if e.Line == 0 {
		return e.File + ": " + e.Msg
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// Errors is every mistake found, in file, line and column order once sorted.
type Errors []Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Err returns es as an error, or nil when there are none.
func (es Errors) Err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

// Sort orders the errors by file, line and column (stable for errors at the same place).
func (es Errors) Sort() {
	slices.SortStableFunc(es, func(a, b Error) int {
		if c := strings.Compare(a.File, b.File); c != 0 {
			return c
		}
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Col - b.Col
	})
}

// Pos is a place in a file, 1-based.
type Pos struct{ Line, Col int }

func (p Pos) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

// PosOf returns where a node starts: a mapping at its first key, a block sequence at its first
// dash, a scalar at its first character (a block scalar at its | or >).
func PosOf(n ast.Node) Pos {
	switch v := n.(type) {
	case nil:
		return Pos{1, 1}
	case *ast.MappingNode:
		if len(v.Values) > 0 && !v.IsFlowStyle {
			return PosOf(v.Values[0])
		}
	case *ast.MappingValueNode:
		return PosOf(v.Key)
	case *ast.AnchorNode:
		return PosOf(v.Value)
	case *ast.TagNode:
		return PosOf(v.Value)
	}
	tk := n.GetToken()
	if tk == nil || tk.Position == nil {
		return Pos{1, 1}
	}
	return tokenPos(tk.Position)
}

// Decoder collects the errors of one file.
type Decoder struct {
	File string
	Errs Errors
}

// Errorf records an error at node n.
func (d *Decoder) Errorf(n ast.Node, format string, a ...any) {
	d.ErrorAt(PosOf(n), format, a...)
}

// ErrorAt records an error at p.
func (d *Decoder) ErrorAt(p Pos, format string, a ...any) {
	d.Errs = append(d.Errs, Error{File: d.File, Line: p.Line, Col: p.Col, Msg: fmt.Sprintf(format, a...)})
}

// Parse parses one YAML document. firstLine is the line of the file data starts on (1 for a
// whole file; 2 for front matter after its opening ---), so positions point into the file. It
// returns the document's root node, nil when the document is empty or does not parse (the
// syntax error is recorded).
func (d *Decoder) Parse(data []byte, firstLine int) ast.Node {
	if firstLine > 1 {
		padded := make([]byte, 0, firstLine-1+len(data))
		padded = append(padded, strings.Repeat("\n", firstLine-1)...)
		data = append(padded, data...)
	}
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		d.yamlError(err)
		return nil
	}
	var docs []ast.Node
	for _, doc := range f.Docs {
		if doc.Body != nil {
			docs = append(docs, doc.Body)
		}
	}
	if len(docs) == 0 {
		return nil
	}
	if len(docs) > 1 {
		d.Errorf(docs[1], "one YAML document per file: remove this second document (or the --- before it)")
	}
	return unwrap(docs[0])
}

func (d *Decoder) yamlError(err error) {
	var ye yaml.Error
	if errors.As(err, &ye) && ye.GetToken() != nil && ye.GetToken().Position != nil {
		d.ErrorAt(tokenPos(ye.GetToken().Position), "%s", ye.GetMessage())
		return
	}
	d.ErrorAt(Pos{1, 1}, "%v", err)
}

func tokenPos(p *token.Position) Pos { return Pos{Line: p.Line, Col: p.Column} }

// unwrap looks through anchors and tags (`&name`, `!!str`) to the value they decorate.
func unwrap(n ast.Node) ast.Node {
	for {
		switch v := n.(type) {
		case *ast.AnchorNode:
			n = v.Value
		case *ast.TagNode:
			n = v.Value
		default:
			return n
		}
	}
}

// isNull reports whether n is absent or an explicit null (`key:` with nothing after it).
func isNull(n ast.Node) bool {
	n = unwrap(n)
	if n == nil {
		return true
	}
	_, ok := n.(*ast.NullNode)
	return ok
}
