package lessons

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/goccy/go-yaml/ast"

	"github.com/stagecraft/stagecraft/quiz"
	"github.com/stagecraft/stagecraft/quiz/yamlpos"
	"github.com/stagecraft/stagecraft/sandbox/check/spec"
)

// parseExercise reads dir/exercise.yaml and checks the files it names. It returns no exercise
// when there is no exercise.yaml to read.
func parseExercise(fsys fs.FS, dir string) (*Exercise, quiz.ValidationErrors) {
	file := dir + "/exercise.yaml"
	data, err := fs.ReadFile(fsys, file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, quiz.ValidationErrors{{File: dir, Msg: "an exercise folder needs an exercise.yaml"}}
	}
	if err != nil {
		return nil, quiz.ValidationErrors{{File: file, Msg: fmt.Sprintf("cannot read: %v", err)}}
	}
	ex := &Exercise{Dir: dir, File: file, pos: map[string]quiz.Pos{}}
	d := &yamlpos.Decoder{File: file}
	root := d.Parse(data, 1)
	if root == nil {
		if len(d.Errs) == 0 {
			d.ErrorAt(quiz.Pos{Line: 1, Col: 1}, "exercise.yaml is empty")
		}
		return nil, d.Errs
	}
	var difficulty, context, starter, solution, platform string
	keys := d.Map(root, "exercise.yaml", yamlpos.Fields{
		"id":         yamlpos.String(&ex.ID),
		"title":      yamlpos.String(&ex.Title),
		"lesson":     yamlpos.String(&ex.Lesson),
		"difficulty": yamlpos.String(&difficulty),
		"points":     yamlpos.Int(&ex.Points),
		"brief":      yamlpos.String(&ex.Brief),
		"hints":      yamlpos.Strings(&ex.Hints),
		"context":    yamlpos.String(&context),
		"starter":    yamlpos.String(&starter),
		"solution":   yamlpos.String(&solution),
		"platform":   yamlpos.String(&platform),
		"checks":     nil, // kept raw below: the sandbox decodes it
	})
	ex.pos["lesson"] = keys.Pos("lesson")
	for _, req := range []string{"id", "title", "lesson", "difficulty", "points", "brief", "starter", "solution", "checks"} {
		if !keys.Has(req) {
			d.ErrorAt(keys.KeyPos(req), "the exercise needs %q", req)
		}
	}
	quiz.CheckID(d, keys.Pos("id"), "exercise", ex.ID)
	if base := path.Base(dir); ex.ID != base {
		if ex.ID != "" {
			d.ErrorAt(keys.Pos("id"), "id %q must be the folder's name, %q", ex.ID, base)
		}
		ex.ID = base // the folder names the exercise, so that references to it still resolve
	}
	ex.Difficulty = quiz.Difficulty(difficulty)
	if difficulty != "" && ex.Difficulty.Rank() < 0 {
		d.ErrorAt(keys.Pos("difficulty"), "difficulty %q is not one of easy, medium, hard%s", difficulty, suggest(difficulty, []string{"easy", "medium", "hard"}))
	}
	if v, ok := yamlpos.IntValue(keys.Value("points")); ok && v < 1 {
		d.ErrorAt(keys.Pos("points"), "points must be at least 1, not %d", ex.Points)
	}
	for i, h := range ex.Hints {
		if strings.TrimSpace(h) == "" {
			d.ErrorAt(keys.Pos("hints"), "hints: hint %d is empty", i+1)
		}
	}
	if keys.Has("platform") {
		// Every build of the exercise (starter, reference, cases, submissions) targets it.
		if p, err := spec.ParsePlatform(platform); err != nil {
			d.ErrorAt(keys.Pos("platform"), "%v", err)
		} else {
			ex.Platform = p
		}
	}
	ex.Context = exercisePath(fsys, d, keys, dir, "context", context, true)
	ex.Starter = exercisePath(fsys, d, keys, dir, "starter", starter, false)
	ex.Solution = exercisePath(fsys, d, keys, dir, "solution", solution, false)
	if keys.Has("checks") {
		checks := keys.Value("checks")
		if _, ok := unwrapSeq(checks); !ok {
			d.Errorf(checks, "checks must be a list of checks (- id: …, kind: …)")
		} else {
			ex.RawChecks, ex.ChecksLine = rawValue(data, root, "checks")
			// The typed form of checks is the sandbox's (checks.go); a course check reports its
			// mistakes with the rest.
			if _, err := ex.Checks(); err != nil {
				var ve quiz.ValidationErrors
				if errors.As(err, &ve) {
					d.Errs = append(d.Errs, ve...)
				} else {
					d.Errorf(checks, "checks: %v", err)
				}
			}
		}
	}
	return ex, d.Errs
}

func unwrapSeq(n ast.Node) (*ast.SequenceNode, bool) {
	for {
		switch v := n.(type) {
		case *ast.AnchorNode:
			n = v.Value
		case *ast.TagNode:
			n = v.Value
		case *ast.SequenceNode:
			return v, len(v.Values) > 0
		default:
			return nil, false
		}
	}
}

// exercisePath resolves a file or folder named in exercise.yaml (relative to the exercise's
// folder) to a path in the course FS and checks that it is there and of the right kind.
func exercisePath(fsys fs.FS, d *yamlpos.Decoder, keys yamlpos.Keys, dir, key, rel string, isDir bool) string {
	if rel == "" {
		return ""
	}
	p := path.Join(dir, rel)
	if path.IsAbs(rel) || strings.Contains(rel, "\\") || !fs.ValidPath(p) || !strings.HasPrefix(p, dir+"/") && p != dir {
		d.ErrorAt(keys.Pos(key), "%s %q must be a path inside the exercise's folder", key, rel)
		return ""
	}
	info, err := fs.Stat(fsys, p)
	switch {
	case err != nil:
		d.ErrorAt(keys.Pos(key), "%s %q does not exist (looked for %s)", key, rel, p)
		return ""
	case isDir && !info.IsDir():
		d.ErrorAt(keys.Pos(key), "%s %q is a file; it must be a folder", key, rel)
		return ""
	case !isDir && info.IsDir():
		d.ErrorAt(keys.Pos(key), "%s %q is a folder; it must be a file", key, rel)
		return ""
	}
	return p
}

// rawValue returns the source lines of the value of a top-level key, with the text before the
// value on its first line blanked so columns stay true, and the file line it starts on. The value
// ends where the next top-level key starts (or at the end of the file).
func rawValue(data []byte, root ast.Node, key string) ([]byte, int) {
	pairs, _ := yamlpos.Pairs(root)
	lines := bytes.SplitAfter(data, []byte("\n"))
	for i, p := range pairs {
		if k, _ := yamlpos.ScalarText(p.Key); k != key {
			continue
		}
		start := yamlpos.PosOf(p.Value)
		end := len(lines) // exclusive, 0-based
		if i+1 < len(pairs) {
			end = yamlpos.PosOf(pairs[i+1].Key).Line - 1
		}
		for end > start.Line && len(bytes.TrimSpace(lines[end-1])) == 0 {
			end--
		}
		var out []byte
		for n := start.Line; n <= end && n <= len(lines); n++ {
			line := lines[n-1]
			if n == start.Line && start.Col > 1 {
				blank := bytes.Repeat([]byte(" "), start.Col-1)
				line = append(blank, line[min(start.Col-1, len(line)):]...)
			}
			out = append(out, line...)
		}
		return out, start.Line
	}
	return nil, 0
}

// ContextPath is the path a file of an exercise's context has in a build. Two names cannot be
// embedded in the binary as they are, so the course stores them under other names and every copy
// of a context restores them: a Go module's go.mod is kept as _go.mod (a go.mod would make the
// folder a module of its own, which Go leaves out), and a .git folder as _.git (Go never embeds
// .git). rel is slash-separated; every element is mapped.
func ContextPath(rel string) string {
	parts := strings.Split(rel, "/")
	for i, p := range parts {
		switch p {
		case "_go.mod":
			parts[i] = "go.mod"
		case "_.git":
			parts[i] = ".git"
		}
	}
	return strings.Join(parts, "/")
}
