package dockerfile

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
	"github.com/moby/buildkit/util/suggest"
)

// Analyze reads a Dockerfile as BuildKit does and reports its stages, references, images and
// findings. filename is only used in messages ("Dockerfile" if empty). The error is a
// *ParseError when BuildKit would refuse the file before building; everything BuildKit accepts
// but builds wrong, or refuses later (a COPY --from a later stage), is a Finding.
func Analyze(filename string, src []byte, opts Options) (*Analysis, error) {
	if filename == "" {
		filename = "Dockerfile"
	}
	if err := checkInput(filename, src); err != nil {
		return nil, err
	}
	lines := sourceLines(src)

	res, err := parser.Parse(bytes.NewReader(src))
	if err != nil {
		return nil, parseErrorFrom(filename, lines, err)
	}
	if err := checkInstructionCount(filename, res.AST, opts.MaxInstructions); err != nil {
		return nil, err
	}
	var lc lintCollector
	lint := lc.linter()
	lc.parserWarnings(lint, res.Warnings)
	stripCheckComments(res.AST)

	stages, metaArgs, err := instructions.Parse(res.AST, lint)
	if err != nil {
		return nil, parseErrorFrom(filename, lines, err)
	}
	if len(stages) == 0 {
		return nil, &ParseError{Filename: filename, Msg: "dockerfile contains no stages to build: a Dockerfile needs a FROM"}
	}

	a := &Analysis{Instructions: len(res.AST.Children)}
	if v, _, loc, ok := parser.DetectSyntax(src); ok {
		a.Syntax = v
		a.SyntaxLine, _ = rangeLines(loc)
		a.SyntaxBuiltin = BuiltinSyntax(v)
	}
	if _, v, _, ok := parser.ParseDirective("check", src); ok {
		a.CheckDirective = v
	}

	an := &analyzer{
		a:     a,
		opts:  opts,
		lines: lines,
		shlex: shell.NewLex(res.EscapeToken),
		nodes: map[int]*parser.Node{},
	}
	for _, n := range res.AST.Children {
		an.nodes[n.StartLine] = n
	}
	if err := an.stages(stages, metaArgs); err != nil {
		return nil, parseErrorFrom(filename, lines, err)
	}
	an.stageRefs(stages)
	an.requests(stages)
	an.syntaxNote()
	an.final()
	an.reachable()
	an.foreignPlatforms()

	for k := range lc.findings {
		lc.findings[k].Col = firstNonBlank(lines, lc.findings[k].Line)
	}
	a.Findings = dedupe(append(lc.findings, an.findings...))
	sortFindings(a.Findings)
	sortRefs(a.Refs)
	return a, nil
}

type analyzer struct {
	a        *Analysis
	opts     Options
	lines    []string
	shlex    *shell.Lex
	nodes    map[int]*parser.Node // AST nodes by start line
	global   *argEnv              // the scope a FROM is expanded in
	findings []Finding
}

func (an *analyzer) add(f Finding) {
	if f.Source == "" {
		f.Source = SourceStagecraft
	}
	if f.URL == "" {
		f.URL = buildkitURL[f.Rule]
	}
	an.findings = append(an.findings, f)
}

// stages fills a.Stages, their bases and FROM references, as dockerfile2llb's
// buildDispatchStates and addState: a FROM names a stage only if a stage defined above it has
// exactly that (expanded) name, and a later stage with the same name takes the name over.
func (an *analyzer) stages(stages []instructions.Stage, metaArgs []instructions.ArgCommand) error {
	target := an.opts.Target
	if target == "" {
		target = stages[len(stages)-1].Name
	}
	env, metas, declared, err := globalArgs(an.shlex, metaArgs, an.opts.BuildArgs, target, an.opts.Platform)
	if err != nil {
		return err
	}
	an.a.MetaArgs = metas
	an.global = env

	byName := map[string]int{} // stages defined so far
	for i, st := range stages {
		line, end := rangeLines(st.Location)
		s := Stage{
			Index: i, Name: st.Name, Base: st.BaseName, BaseStage: -1,
			Platform: st.Platform, Line: line, EndLine: max(line, end),
		}
		if n := an.nodes[line]; n != nil {
			if args := nodeArgs(n); len(args) == 3 {
				s.NameAsWritten = args[2]
			}
		}
		kwCol := firstNonBlank(an.lines, line)
		baseLine, baseCol := locate(an.lines, line, end, st.BaseName, kwCol+4, false)
		if baseLine == 0 {
			baseLine, baseCol = line, kwCol
		}

		res, err := an.shlex.ProcessWordWithMatches(st.BaseName, env)
		if err != nil {
			return parser.WithLocation(err, st.Location)
		}
		s.BaseExpanded = res.Result
		an.undefinedArgs(res, env, declared, st.Location)
		if st.Platform != "" {
			if pres, err := an.shlex.ProcessWordWithMatches(st.Platform, env); err == nil {
				an.undefinedArgs(pres, env, declared, st.Location)
			}
		}

		ref := Ref{Stage: i, Name: st.BaseName, Line: baseLine, Col: baseCol, Kind: RefFrom, Target: -1}
		switch j, ok := byName[s.BaseExpanded]; {
		case ok:
			s.BaseStage = j
			ref.Target = j
			an.a.Refs = append(an.a.Refs, ref)
			an.casing(ref, "FROM "+s.BaseExpanded, s.BaseExpanded, j, end)
		case s.BaseExpanded == "":
			an.add(Finding{Rule: RuleInvalidImageRef, Severity: SeverityError, Line: line, Col: baseCol, EndLine: end,
				Message: fmt.Sprintf("FROM %s expands to an empty name; BuildKit refuses it (base name should not be blank)", st.BaseName)})
		case s.BaseExpanded == "scratch":
			// the empty image: nothing to pull
		default:
			ref.Image = true
			if an.fromNotStage(i, &s, ref, stages, byName) {
				an.a.Refs = append(an.a.Refs, ref)
			}
			an.image(ImageRef{Ref: st.BaseName, Expanded: s.BaseExpanded, Stage: i, Kind: RefFrom, Line: baseLine, Col: baseCol}, line, end)
		}

		if st.Name != "" {
			// On the FROM's first line, as BuildKit reports these rules: the column only if the
			// name is on that line too.
			nameCol := kwCol
			if l, c := an.stageNameAt(line, end, baseCol, st.BaseName, s.NameAsWritten); l == line {
				nameCol = c
			}
			if _, ok := reservedStageNames[st.Name]; ok {
				an.add(Finding{Rule: RuleReservedStageName, Severity: SeverityWarning, Line: line, Col: nameCol, EndLine: end,
					Message: reservedMessage(st.Name)})
			}
			if j, ok := byName[st.Name]; ok {
				an.add(Finding{Rule: RuleDuplicateStageName, Severity: SeverityWarning, Line: line, Col: nameCol, EndLine: end,
					Message: fmt.Sprintf("Duplicate stage name %q, stage names should be unique: it is also the name of the stage on line %d. "+
						"BuildKit binds COPY --from=%s, RUN --mount from=%[3]s and --target to the last stage with the name; a FROM %[3]s binds to the nearest one above it",
						st.Name, an.a.Stages[j].Line, st.Name)})
			}
			byName[st.Name] = i
		}

		for _, cmd := range st.Commands {
			an.instruction(&s, cmd)
		}
		an.a.Stages = append(an.a.Stages, s)
	}
	return nil
}

// reservedStageNames is dockerfile2llb's list (validations.go).
var reservedStageNames = map[string]struct{}{"context": {}, "scratch": {}}

func reservedMessage(name string) string {
	msg := fmt.Sprintf("Stage name should not use the same name as reserved stage %q", name)
	switch name {
	case "scratch":
		return msg + ": a later FROM scratch builds on this stage, not on the empty image"
	case "context":
		return msg + ": COPY --from=context copies from this stage, not from a named build context"
	}
	return msg
}

// fromNotStage looks at a FROM that BuildKit will pull as an image and reports it when it was
// most likely meant as a stage. It reports whether the FROM is a (failed) stage reference.
func (an *analyzer) fromNotStage(i int, s *Stage, ref Ref, stages []instructions.Stage, byName map[string]int) bool {
	name := s.BaseExpanded
	lower := strings.ToLower(name)
	pull, _ := pullPhrase(name)
	f := Finding{Line: ref.Line, Col: ref.Col}
	if f.Line == 0 {
		f.Line = s.Line
	}
	if s.EndLine > f.Line {
		f.EndLine = s.EndLine
	}
	if j, ok := byName[lower]; ok && lower != name {
		f.Rule, f.Severity, f.Suggestion = RuleUndefinedStageRef, SeverityError, lower
		f.Message = fmt.Sprintf("FROM %s does not use stage %q (line %d): BuildKit matches FROM against stage names case-sensitively, and stage names are lower-cased. %s; write FROM %s",
			name, lower, an.a.Stages[j].Line, pull, lower)
		an.add(f)
		return true
	}
	if lower == s.Name && s.Name != "" {
		f.Rule, f.Severity = RuleSelfStageRef, SeverityError
		f.Message = fmt.Sprintf("stage %q is built FROM itself: a FROM only sees stages defined above it, so %s", s.Name, pull)
		an.add(f)
		return true
	}
	for j := i + 1; j < len(stages); j++ {
		if stages[j].Name != "" && stages[j].Name == lower {
			line, _ := rangeLines(stages[j].Location)
			f.Rule, f.Severity = RuleForwardStageRef, SeverityError
			f.Message = fmt.Sprintf("FROM %s refers to stage %q, which is defined later (line %d): a FROM only sees stages defined above it, so %s; move stage %q above this one",
				name, lower, line, pull, lower)
			an.add(f)
			return true
		}
	}
	if plainWord.MatchString(name) && !wellKnownImages[lower] {
		if sug, ok := SuggestStage(name, an.a.Stages); ok {
			f.Rule, f.Severity, f.Suggestion = RuleUndefinedStageRef, SeverityWarning, sug
			f.Message = fmt.Sprintf("FROM %s: no stage above is named %q. %s. Did you mean stage %q?", name, lower, pull, sug)
			an.add(f)
			return true
		}
	}
	return false
}

// pullPhrase says what BuildKit does with a name that is not a stage; valid is false when
// the name cannot be an image either.
func pullPhrase(name string) (phrase string, valid bool) {
	norm, _, err := normalizeImage(name)
	if err != nil {
		return fmt.Sprintf("BuildKit will try to pull an image called %q, and fails: it is not a valid image reference (%v)", name, err), false
	}
	if strings.HasPrefix(norm, "docker.io/") {
		return fmt.Sprintf("BuildKit will try to pull an image called %q (%s) from Docker Hub", name, norm), true
	}
	return fmt.Sprintf("BuildKit will try to pull the image %q (%s)", name, norm), true
}

// image records an external image and reports it when BuildKit cannot parse its name.
func (an *analyzer) image(im ImageRef, line, end int) {
	norm, ctxName, err := normalizeImage(im.Expanded)
	im.Normalized, im.ContextName = norm, ctxName
	if err != nil && !an.reported(im.Line, im.Col) {
		l := im.Line
		if l == 0 {
			l = line
		}
		an.add(Finding{Rule: RuleInvalidImageRef, Severity: SeverityError, Line: l, Col: im.Col, EndLine: endIfMore(l, end),
			Message: fmt.Sprintf("%q is not a valid image reference (%v); BuildKit refuses it", im.Expanded, err)})
	}
	an.a.Images = append(an.a.Images, im)
}

// reported is true when a finding already points at line:col.
func (an *analyzer) reported(line, col int) bool {
	for _, f := range an.findings {
		if f.Line == line && f.Col == col {
			return true
		}
	}
	return false
}

func (an *analyzer) undefinedArgs(res shell.ProcessWordResult, env *argEnv, declared map[string]bool, loc []parser.Range) {
	names := unmatchedArgs(res, env, declared)
	if len(names) == 0 {
		return
	}
	keys := append([]string{}, env.Keys()...)
	for _, m := range an.a.MetaArgs {
		keys = append(keys, m.Name)
	}
	line, end := rangeLines(loc)
	for _, n := range names {
		sug, _ := suggest.Search(n, keys, true)
		an.add(Finding{Rule: RuleUndefinedArgInFrom, Severity: SeverityWarning, Line: line, EndLine: end,
			Col: firstNonBlank(an.lines, line), Message: linter.RuleUndefinedArgInFrom.Format(n, sug), Source: SourceBuildKit})
	}
}

// stageNameAt finds the name after AS on the FROM line(s).
func (an *analyzer) stageNameAt(line, end, baseCol int, base, name string) (int, int) {
	from := baseCol + utf8.RuneCountInString(base)
	if baseCol == 0 {
		from = firstNonBlank(an.lines, line) + 4
	}
	l, c := locate(an.lines, line, end, name, from, false)
	if l == 0 {
		return line, firstNonBlank(an.lines, line)
	}
	return l, c
}

func (an *analyzer) instruction(s *Stage, cmd instructions.Command) {
	line, end := rangeLines(cmd.Location())
	ins := Instruction{Command: strings.ToLower(cmd.Name()), Line: line, EndLine: max(line, end), Parsed: cmd}
	if n := an.nodes[line]; n != nil {
		ins.Original = n.Original
	} else if sc, ok := cmd.(fmt.Stringer); ok {
		ins.Original = sc.String()
	}
	s.Instructions = append(s.Instructions, ins)
	s.EndLine = max(s.EndLine, ins.EndLine)
}

// nodeArgs are the words after the instruction keyword (as instructions' own nodeArgs).
func nodeArgs(n *parser.Node) []string {
	var out []string
	for next := n.Next; next != nil; next = next.Next {
		out = append(out, next.Value)
	}
	return out
}

func endIfMore(line, end int) int {
	if end > line {
		return end
	}
	return 0
}

func withLocation(err error, loc []parser.Range) error { return parser.WithLocation(err, loc) }
