package lessons

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strings"

	"github.com/goccy/go-yaml"

	"github.com/stagecraft/stagecraft/quiz"
	"github.com/stagecraft/stagecraft/quiz/yamlpos"
	"github.com/stagecraft/stagecraft/sandbox/check/spec"
)

// Checks decodes the exercise's checks into typed specs (sandbox/check/spec), validating
// them. Every error is reported at its place in exercise.yaml (file:line:col).
func (e *Exercise) Checks() ([]spec.Check, error) {
	d := &yamlpos.Decoder{File: e.File}
	root := d.Parse(e.RawChecks, e.ChecksLine)
	if root == nil {
		if len(d.Errs) == 0 {
			d.ErrorAt(yamlpos.Pos{Line: e.ChecksLine, Col: 1}, "checks: the exercise needs at least one check")
		}
		return nil, d.Errs.Err()
	}
	items := d.Seq("checks", root)
	var specs []spec.Check
	var pos []yamlpos.Pos
	for _, item := range items {
		var c spec.Check
		if err := yaml.NodeToValue(item, &c, yaml.Strict()); err != nil {
			var ye yaml.Error
			if errors.As(err, &ye) && ye.GetToken() != nil && ye.GetToken().Position != nil {
				p := ye.GetToken().Position
				d.ErrorAt(yamlpos.Pos{Line: p.Line, Col: p.Column}, "%s", friendlyYAML(ye.GetMessage()))
			} else {
				d.Errorf(item, "%v", err)
			}
			continue
		}
		p := yamlpos.PosOf(item)
		c.Line = p.Line
		specs = append(specs, c)
		pos = append(pos, p)
		if c.Kind == "" {
			d.ErrorAt(p, "check %q needs a kind (one of %s)", c.ID, strings.Join(spec.Kinds, ", "))
		}
	}
	for _, err := range spec.ValidateChecks(specs) {
		var le *spec.LineError
		line := 0
		if errors.As(err, &le) {
			line = le.Line
		}
		col := 1
		for _, p := range pos {
			if p.Line == line {
				col = p.Col
			}
		}
		d.ErrorAt(yamlpos.Pos{Line: line, Col: col}, "%v", err)
	}
	var sum spec.Points
	for _, c := range specs {
		sum += c.Points
	}
	if len(specs) > 0 && e.Points > 0 && sum != spec.Whole(int64(e.Points)) {
		d.ErrorAt(yamlpos.Pos{Line: e.ChecksLine, Col: 1}, "the checks are worth %s points in all, but the exercise says points: %d", sum, e.Points)
	}
	if len(specs) == 0 && len(d.Errs) == 0 {
		d.ErrorAt(yamlpos.Pos{Line: e.ChecksLine, Col: 1}, "checks: the exercise needs at least one check")
	}
	d.Errs.Sort()
	return specs, d.Errs.Err()
}

func friendlyYAML(msg string) string {
	if strings.HasPrefix(msg, "unknown field") {
		return msg + " (see the check kinds in docs/course-format.md)"
	}
	return msg
}

// Case is a Dockerfile in an exercise's cases/ folder: a submission whose verdict the author
// declares, so `stagecraft content check --build` can prove the checks judge what the lesson
// teaches. pass-<why>.Dockerfile must get full points (a correct route other than the
// reference); fail-<why>.Dockerfile must fail, and fail at least the checks its
// `# fails: id, id` line names.
type Case struct {
	Path  string   // in the course FS: exercises/<id>/cases/<file>
	Pass  bool     // the name starts with pass-
	Fails []string // a fail case's `# fails:` check ids
}

// CasesDir is the folder of an exercise that holds its cases.
const CasesDir = "cases"

var caseNameRe = regexp.MustCompile(`^(pass|fail)-[a-z0-9][a-z0-9-]*\.Dockerfile$`)

// Cases lists and validates the exercise's cases (none when it has no cases/ folder). Errors
// name the file and line.
func (e *Exercise) Cases(fsys fs.FS) ([]Case, error) {
	dir := path.Join(e.Dir, CasesDir)
	entries, err := fs.ReadDir(fsys, dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	var errs quiz.ValidationErrors
	if err != nil {
		return nil, quiz.ValidationErrors{{File: dir, Msg: err.Error()}}
	}
	ids := map[string]bool{}
	if specs, err := e.Checks(); err == nil {
		for _, c := range specs {
			ids[c.ID] = true
		}
	}
	var cases []Case
	for _, ent := range entries {
		p := path.Join(dir, ent.Name())
		if ent.IsDir() || !caseNameRe.MatchString(ent.Name()) {
			errs = append(errs, yamlpos.Error{File: p, Line: 1, Col: 1,
				Msg: "a case is a file named pass-<why>.Dockerfile or fail-<why>.Dockerfile (lower-case letters, digits and -)"})
			continue
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			errs = append(errs, yamlpos.Error{File: p, Msg: err.Error()})
			continue
		}
		c := Case{Path: p, Pass: strings.HasPrefix(ent.Name(), "pass-")}
		declared := 0
		for i, line := range strings.Split(string(data), "\n") {
			rest, ok := strings.CutPrefix(strings.TrimSpace(line), "# fails:")
			if !ok {
				continue
			}
			declared = i + 1
			for _, id := range strings.FieldsFunc(rest, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
				if !ids[id] {
					errs = append(errs, yamlpos.Error{File: p, Line: i + 1, Col: strings.Index(line, id) + 1,
						Msg: fmt.Sprintf("# fails: %q is not a check of %s", id, e.ID)})
				}
				c.Fails = append(c.Fails, id)
			}
		}
		switch {
		case c.Pass && declared > 0:
			errs = append(errs, yamlpos.Error{File: p, Line: declared, Col: 1,
				Msg: "a pass- case must pass every check; drop the # fails: line or rename it fail-…"})
		case !c.Pass && len(c.Fails) == 0:
			errs = append(errs, yamlpos.Error{File: p, Line: 1, Col: 1,
				Msg: "a fail- case must say which checks it fails, on a line `# fails: check-id, …`"})
		}
		cases = append(cases, c)
	}
	if len(errs) > 0 {
		return cases, errs
	}
	return cases, nil
}
