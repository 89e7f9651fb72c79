package check

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/agext/levenshtein"

	"github.com/stagecraft/stagecraft/sandbox/check/spec"
	"github.com/stagecraft/stagecraft/sandbox/dockerfile"
)

// staticCheck decides a static kind from the parsed Dockerfile. It returns pass and a reason
// that says what was found (shown after the exercise's message when the check fails).
func staticCheck(c spec.Check, a *dockerfile.Analysis) (bool, string, int) {
	switch c.Kind {
	case spec.KindStageCount:
		n := len(a.Stages)
		if c.Min != nil && n < *c.Min {
			return false, fmt.Sprintf("found %s, at least %d wanted", plural(n, "stage"), *c.Min), 0
		}
		if max, err := c.Max.Count(); c.Max.Raw != "" && err == nil && n > max {
			return false, fmt.Sprintf("found %s, at most %d wanted", plural(n, "stage"), max), 0
		}
		return true, plural(n, "stage"), 0
	case spec.KindStageNamed:
		return stageNamed(c.Name, a)
	case spec.KindCopyFrom:
		return copyFrom(c.Stage, a)
	case spec.KindFinalBase:
		return finalBase(c.OneOf, a)
	case spec.KindInstruction:
		return instruction(c, a)
	case spec.KindStageRefsValid:
		for _, f := range a.Findings {
			switch f.Rule {
			case dockerfile.RuleUndefinedStageRef, dockerfile.RuleForwardStageRef, dockerfile.RuleSelfStageRef, dockerfile.RuleDuplicateStageName:
				return false, f.Message, f.Line
			}
		}
		return true, "every stage reference resolves to an earlier stage", 0
	}
	return false, "not a static check", 0
}

func stageNamed(want string, a *dockerfile.Analysis) (bool, string, int) {
	for _, s := range a.Stages {
		if s.NameAsWritten == want {
			return true, fmt.Sprintf("stage %d is named %s", s.Index, want), s.Line
		}
	}
	for _, s := range a.Stages {
		if s.NameAsWritten != "" && strings.EqualFold(s.NameAsWritten, want) {
			return false, fmt.Sprintf("the stage is named %q, not %q: BuildKit lower-cases stage names, so write `AS %s` to say what BuildKit will use", s.NameAsWritten, want, want), s.Line
		}
	}
	best, bestD := -1, 1<<30
	for i, s := range a.Stages {
		if s.Name == "" {
			continue
		}
		d := levenshtein.Distance(s.Name, strings.ToLower(want), nil)
		if d < bestD {
			best, bestD = i, d
		}
	}
	if best >= 0 && (bestD <= 3 || strings.HasPrefix(a.Stages[best].Name, strings.ToLower(want)) || strings.HasPrefix(strings.ToLower(want), a.Stages[best].Name)) {
		s := a.Stages[best]
		return false, fmt.Sprintf("no stage is named %q; the closest is %q (line %d) — names must match exactly, since COPY --from and --target look them up by name", want, s.NameAsWritten, s.Line), s.Line
	}
	if len(a.Stages) == 1 {
		return false, fmt.Sprintf("there is one unnamed stage; name a stage with `FROM … AS %s`", want), a.Stages[0].Line
	}
	return false, fmt.Sprintf("no stage is named %q (name one with `FROM … AS %s`)", want, want), 0
}

func copyFrom(stage string, a *dockerfile.Analysis) (bool, string, int) {
	fin := a.FinalStage()
	if fin == nil {
		return false, "there is no final stage to copy into", 0
	}
	src, ok := a.Stage(stage)
	if !ok {
		// A reference that names no stage is BuildKit's pull-an-image surprise: explain it.
		for _, r := range a.RefsFrom(fin.Index) {
			if r.Kind == dockerfile.RefCopy && r.Image {
				msg := fmt.Sprintf("the final stage copies --from=%s, but no stage is named %q: BuildKit will try to pull an image called %q from Docker Hub instead", r.Name, r.Name, r.Name)
				if sug, ok := dockerfile.SuggestStage(r.Name, a.Stages); ok {
					msg += fmt.Sprintf(" (did you mean %q?)", sug)
				}
				return false, msg, r.Line
			}
		}
		return false, fmt.Sprintf("there is no stage named %q to copy from", stage), 0
	}
	if src.Index == fin.Index {
		return false, fmt.Sprintf("the final stage is %q itself; add a separate final stage that copies from it", stage), fin.Line
	}
	if a.CopiesFrom(fin.Index, src.Index) {
		for _, r := range a.RefsFrom(fin.Index) {
			if r.Kind == dockerfile.RefCopy && r.Target == src.Index {
				return true, "the final stage copies from " + stage, r.Line
			}
		}
		return true, "the final stage copies from " + stage, 0
	}
	for _, r := range a.RefsFrom(fin.Index) {
		if r.Kind == dockerfile.RefCopy && r.Image {
			msg := fmt.Sprintf("the final stage copies --from=%s, which names no stage: BuildKit will try to pull an image called %q", r.Name, r.Name)
			if sug, ok := dockerfile.SuggestStage(r.Name, a.Stages); ok {
				msg += fmt.Sprintf(" (did you mean %q?)", sug)
			}
			return false, msg, r.Line
		}
	}
	return false, fmt.Sprintf("the final stage (line %d) has no COPY --from=%s", fin.Line, stage), fin.Line
}

// finalBase follows the final stage down FROM <stage> links to the image it really starts from.
func finalBase(oneOf []string, a *dockerfile.Analysis) (bool, string, int) {
	fin := a.FinalStage()
	if fin == nil {
		return false, "there is no final stage", 0
	}
	s, seen := fin, map[int]bool{}
	for s.BaseStage >= 0 && !seen[s.Index] {
		seen[s.Index] = true
		s = &a.Stages[s.BaseStage]
	}
	base := s.BaseExpanded
	if base == "" {
		base = s.Base
	}
	for _, want := range oneOf {
		if sameImage(base, want) {
			return true, "the final image starts FROM " + base, fin.Line
		}
	}
	return false, fmt.Sprintf("the final image starts FROM %s; this exercise wants one of: %s", base, strings.Join(oneOf, ", ")), fin.Line
}

// sameImage compares image names the way a person means them: the registry prefix for Docker
// Hub is optional, and a tag only matters when want has one.
func sameImage(got, want string) bool {
	norm := func(s string) (repo, tag string) {
		s = strings.ToLower(strings.TrimSpace(s))
		s = strings.TrimPrefix(s, "docker.io/")
		s = strings.TrimPrefix(s, "library/")
		if i := strings.Index(s, "@"); i >= 0 {
			s = s[:i]
		}
		if i := strings.LastIndex(s, ":"); i > strings.LastIndex(s, "/") {
			return s[:i], s[i+1:]
		}
		return s, ""
	}
	gr, gt := norm(got)
	wr, wt := norm(want)
	if wr != gr {
		return false
	}
	return wt == "" || wt == gt
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// instruction looks for an instruction by command and pattern in a stage.
func instruction(c spec.Check, a *dockerfile.Analysis) (bool, string, int) {
	re, err := regexp.Compile(c.Pattern)
	if err != nil {
		return false, "bad pattern: " + err.Error(), 0
	}
	var stages []*dockerfile.Stage
	where := "the final stage"
	switch strings.ToLower(c.Stage) {
	case "", "final":
		if fin := a.FinalStage(); fin != nil {
			stages = append(stages, fin)
		}
	case "any":
		where = "any stage"
		for i := range a.Stages {
			stages = append(stages, &a.Stages[i])
		}
	default:
		st, ok := a.Stage(c.Stage)
		if !ok {
			return false, fmt.Sprintf("there is no stage named %q", c.Stage), 0
		}
		where = "stage " + c.Stage
		stages = append(stages, st)
	}
	what := strings.ToUpper(c.Command) + " instruction"
	if c.Command == "" {
		what = "instruction"
	}
	for _, st := range stages {
		for _, ins := range st.Instructions {
			if c.Command != "" && ins.Command != strings.ToLower(c.Command) {
				continue
			}
			if re.MatchString(ins.Original) {
				if c.Absent {
					return false, fmt.Sprintf("line %d: %s", ins.Line, ins.Original), ins.Line
				}
				return true, fmt.Sprintf("line %d: %s", ins.Line, ins.Original), ins.Line
			}
		}
	}
	if c.Absent {
		return true, fmt.Sprintf("no %s in %s matches", what, where), 0
	}
	return false, fmt.Sprintf("no %s in %s matches what this check looks for", what, where), 0
}
