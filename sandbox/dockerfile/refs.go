package dockerfile

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// How a COPY --from or RUN --mount from= is bound, after dockerfile2llb v0.34.2 (toCommand,
// detectRunMount, dispatch):
//
//   - The name is looked up case-insensitively among all stages, the last of duplicates
//     winning, even a stage defined further down; BuildKit then fails the build when the stage
//     it bound is not built yet ("cannot copy from stage …") or is the stage itself (circular).
//   - COPY --from also takes a stage index; from= does not (from=0 is an image called "0").
//   - COPY --from never expands variables; BuildKit refuses one.
//   - Any other name is an image. One with a tag, digest or path (nginx:latest, gcr.io/x/y), or
//     a well-known official image no stage name is near (busybox), is plainly meant as an image:
//     CopyFromImage, as information. Another plain word (builder) is reported as
//     UndefinedStageRef with what BuildKit will pull instead: as an error when it is a stage
//     name with a typo (within suggestion distance of a stage above, and not a well-known
//     official image) or cannot be an image at all (upper case), else as a warning — the
//     learner may mean the image, and a tag says so.

// stageRefs binds every COPY --from and RUN --mount from= of every stage.
func (an *analyzer) stageRefs(stages []instructions.Stage) {
	byName := map[string]int{} // all stages, the last of duplicates winning
	for i, st := range stages {
		if st.Name != "" {
			byName[st.Name] = i
		}
	}
	for i, st := range stages {
		for _, cmd := range st.Commands {
			line, end := rangeLines(cmd.Location())
			switch c := cmd.(type) {
			case *instructions.CopyCommand:
				if c.From != "" {
					l, col := an.valueAt(line, end, "--from=", c.From)
					an.bind(i, c.From, RefCopy, l, col, line, end, byName)
				}
			case *instructions.RunCommand:
				for _, m := range instructions.GetMounts(c) {
					if m.From != "" {
						l, col := an.valueAt(line, end, "from=", m.From)
						an.bind(i, m.From, RefMount, l, col, line, end, byName)
					}
				}
			}
		}
	}
}

func (an *analyzer) valueAt(line, end int, prefix, value string) (int, int) {
	if l, c := locateValue(an.lines, line, end, prefix, value); l > 0 {
		return l, c
	}
	return line, firstNonBlank(an.lines, line)
}

func (an *analyzer) bind(i int, name string, kind RefKind, line, col, instLine, instEnd int, byName map[string]int) {
	ref := Ref{Stage: i, Name: name, Line: line, Col: col, Kind: kind, Target: -1}
	f := Finding{Line: line, Col: col, EndLine: endIfMore(line, instEnd)}
	what := "COPY --from=" + name
	if kind == RefMount {
		what = "RUN --mount from=" + name
	}
	stages := an.a.Stages
	defer func() { an.a.Refs = append(an.a.Refs, ref) }()

	if kind == RefCopy {
		if res, err := an.shlex.ProcessWordWithMatches(name, shell.EnvsFromSlice(nil)); err != nil || res.Result != name {
			f.Rule, f.Severity = RuleVariableStageRef, SeverityError
			f.Message = what + ": BuildKit does not expand variables in --from and refuses it (\"variable expansion is not supported for --from\"); " +
				"define a stage with FROM using a global ARG, and copy from that stage"
			an.add(f)
			return
		}
		if idx, err := strconv.Atoi(name); err == nil {
			ref.Target = idx
			switch {
			case idx < 0 || idx >= len(stages):
				ref.Target = -1
				f.Rule, f.Severity = RuleUndefinedStageRef, SeverityError
				f.Message = fmt.Sprintf("%s: there is no stage %d (%s); BuildKit fails with \"invalid stage index %d\"",
					what, idx, numbered(len(stages)), idx)
				an.add(f)
			case idx == i:
				an.self(f, what, i)
			case idx > i:
				an.forward(f, what, kind, i, idx, -1)
			}
			return
		}
	}

	lower := strings.ToLower(name)
	if j, ok := byName[lower]; ok {
		ref.Target = j
		earlier := -1
		for k := j - 1; k >= 0; k-- {
			if stages[k].Name == lower {
				earlier = k
				break
			}
		}
		switch {
		case j == i:
			an.self(f, what, i)
		case j > i:
			an.forward(f, what, kind, i, j, earlier)
		default:
			an.casing(ref, what, name, j, instEnd)
		}
		return
	}

	ref.Image = true
	im := ImageRef{Ref: name, Expanded: name, Stage: i, Kind: kind, Line: line, Col: col}
	defer an.image(im, instLine, instEnd) // after the finding: one report per place
	if looksLikeImage(name) || !plainWord.MatchString(name) {
		// An image by its form (a tag, a digest, a registry): said as information, since a
		// learner reading the report should know the files come from an image, not a stage.
		an.copiesFromImage(f, what, name)
		return // an invalid one is an InvalidImageRef
	}
	pull, valid := pullPhrase(name)
	f.Rule = RuleUndefinedStageRef
	if _, err := strconv.Atoi(name); err == nil && kind == RefMount {
		f.Severity = SeverityError
		f.Message = fmt.Sprintf("%s: from= takes a stage name, not an index, so %s; name the stage (FROM … AS name) and use from=name", what, pull)
		if idx, _ := strconv.Atoi(name); idx >= 0 && idx < len(stages) && stages[idx].Name != "" {
			f.Suggestion = stages[idx].Name
		}
		an.add(f)
		return
	}
	sug, ok := SuggestStage(name, stages[:i])
	if valid && !ok && wellKnownImages[lower] {
		// busybox, alpine, golang…: plainly the image, and no stage name is near it.
		an.copiesFromImage(f, what, name)
		return
	}
	f.Severity = SeverityWarning
	if !valid || (ok && !wellKnownImages[lower]) {
		f.Severity = SeverityError
	}
	f.Message = fmt.Sprintf("%s: no stage is named %q, so %s.", what, lower, pull)
	if ok {
		f.Suggestion = sug
		f.Message += fmt.Sprintf(" Did you mean stage %q?", sug)
	} else if valid {
		f.Message += fmt.Sprintf(" If you mean that image, give its tag (%s:latest) to say so; %s", name, stageList(stages[:i]))
	}
	an.add(f)
}

// copiesFromImage notes, as information, that a reference is to an image (when its name is one).
func (an *analyzer) copiesFromImage(f Finding, what, name string) {
	norm, _, err := normalizeImage(name)
	if err != nil {
		return
	}
	f.Rule, f.Severity = RuleCopyFromImage, SeverityInfo
	f.Message = fmt.Sprintf("%s copies from the image %s (%s), not from a stage", what, name, norm)
	an.add(f)
}

func (an *analyzer) self(f Finding, what string, i int) {
	f.Rule, f.Severity = RuleSelfStageRef, SeverityError
	f.Message = fmt.Sprintf("%s refers to its own stage %q: BuildKit fails with \"circular dependency detected on stage: %[2]s\"",
		what, stageName(an.a.Stages[i]))
	an.add(f)
}

func (an *analyzer) forward(f Finding, what string, kind RefKind, i, j, earlier int) {
	st := an.a.Stages[j]
	f.Rule, f.Severity = RuleForwardStageRef, SeverityError
	fails := fmt.Sprintf("cannot copy from stage %q, it needs to be defined before current stage %q", strings.TrimPrefix(what, "COPY --from="), stageName(an.a.Stages[i]))
	if kind == RefMount {
		fails = fmt.Sprintf("cannot mount from stage %q, stage needs to be defined before current command", strings.TrimPrefix(what, "RUN --mount from="))
	}
	f.Message = fmt.Sprintf("%s refers to stage %q, which is defined later (line %d): BuildKit fails with %q", what, stageName(st), st.Line, fails)
	if earlier >= 0 {
		f.Message += fmt.Sprintf(". Two stages are named %q (lines %d and %d) and BuildKit binds the name to the last one; rename one of them",
			st.Name, an.a.Stages[earlier].Line, st.Line)
	} else {
		f.Message += fmt.Sprintf("; move stage %q above this one", stageName(st))
	}
	an.add(f)
}

// casing reports a reference that works only because BuildKit lower-cases stage names.
func (an *analyzer) casing(ref Ref, what, name string, j, instEnd int) {
	st := an.a.Stages[j]
	if st.NameAsWritten == "" || name == st.NameAsWritten {
		return // same as written: BuildKit's own StageNameCasing covers an upper-case definition
	}
	f := Finding{Rule: RuleStageNameCasing, Severity: SeverityWarning, Line: ref.Line, Col: ref.Col,
		EndLine: endIfMore(ref.Line, instEnd), Suggestion: st.Name}
	if st.NameAsWritten == st.Name {
		f.Message = fmt.Sprintf("%s: the stage is written %q (line %d). It works because BuildKit lower-cases stage names, but write %s", what, st.Name, st.Line, st.Name)
	} else {
		f.Message = fmt.Sprintf("%s and \"AS %s\" (line %d) differ in case. It works because BuildKit lower-cases stage names to %q; write both in lower case",
			what, st.NameAsWritten, st.Line, st.Name)
	}
	an.add(f)
}

func numbered(n int) string {
	if n == 1 {
		return "the only stage is 0"
	}
	return fmt.Sprintf("stages are numbered 0 to %d", n-1)
}

// stageName is the name BuildKit gives a stage in its messages.
func stageName(s Stage) string {
	if s.Name != "" {
		return s.Name
	}
	return fmt.Sprintf("stage-%d", s.Index)
}

func stageList(stages []Stage) string {
	var names []string
	for _, s := range stages {
		if s.Name != "" {
			names = append(names, s.Name)
		}
	}
	if len(names) == 0 {
		return "no stage above this one has a name"
	}
	return "the stages above are: " + strings.Join(names, ", ")
}

// final picks the stage that is built: the last, or --target (case-insensitive, the last of
// duplicates, as dockerfile2llb's resolveTarget).
func (an *analyzer) final() {
	a := an.a
	a.Final = len(a.Stages) - 1
	if an.opts.Target == "" {
		return
	}
	if s, ok := a.Stage(an.opts.Target); ok {
		a.Final = s.Index
		return
	}
	a.Final = -1
	f := Finding{Rule: RuleUnknownTarget, Severity: SeverityError,
		Message: fmt.Sprintf("target stage %q could not be found", an.opts.Target)}
	if sug, ok := SuggestStage(an.opts.Target, a.Stages); ok {
		f.Suggestion = sug
		f.Message += fmt.Sprintf(" (did you mean %s?)", sug)
	}
	an.add(f)
}

// reachable marks the stages the final stage needs, and their images.
func (an *analyzer) reachable() {
	a := an.a
	if a.Final < 0 {
		return
	}
	deps := make([][]int, len(a.Stages))
	for i, s := range a.Stages {
		if s.BaseStage >= 0 {
			deps[i] = append(deps[i], s.BaseStage)
		}
	}
	for _, r := range a.Refs {
		if r.Target >= 0 && r.Target < len(a.Stages) {
			deps[r.Stage] = append(deps[r.Stage], r.Target)
		}
	}
	stack := []int{a.Final}
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if a.Stages[i].Reachable {
			continue
		}
		a.Stages[i].Reachable = true
		stack = append(stack, deps[i]...)
	}
	for k := range a.Images {
		a.Images[k].Reachable = a.Stages[a.Images[k].Stage].Reachable
	}
}

func sortRefs(refs []Ref) {
	slices.SortStableFunc(refs, func(a, b Ref) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
}
