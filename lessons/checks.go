package lessons

import (
	"errors"
	"strings"

	"github.com/goccy/go-yaml"

	"github.com/stagecraft/stagecraft/quiz/yamlpos"
	"github.com/stagecraft/stagecraft/sandbox"
)

// Checks decodes the exercise's checks into the sandbox's typed specs, validating them. Every
// error is reported at its place in exercise.yaml (file:line:col).
func (e *Exercise) Checks() ([]sandbox.CheckSpec, error) {
	d := &yamlpos.Decoder{File: e.File}
	root := d.Parse(e.RawChecks, e.ChecksLine)
	if root == nil {
		if len(d.Errs) == 0 {
			d.ErrorAt(yamlpos.Pos{Line: e.ChecksLine, Col: 1}, "checks: the exercise needs at least one check")
		}
		return nil, d.Errs.Err()
	}
	items := d.Seq("checks", root)
	var specs []sandbox.CheckSpec
	var pos []yamlpos.Pos
	for _, item := range items {
		var spec sandbox.CheckSpec
		if err := yaml.NodeToValue(item, &spec, yaml.Strict()); err != nil {
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
		spec.Line = p.Line
		specs = append(specs, spec)
		pos = append(pos, p)
		if spec.Kind == "" {
			d.ErrorAt(p, "check %q needs a kind (one of %s)", spec.ID, strings.Join(sandbox.Kinds, ", "))
		}
	}
	for _, err := range sandbox.ValidateChecks(specs) {
		var le *sandbox.LineError
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
	var sum sandbox.Points
	for _, c := range specs {
		sum += c.Points
	}
	if len(specs) > 0 && e.Points > 0 && sum != sandbox.Whole(int64(e.Points)) {
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
