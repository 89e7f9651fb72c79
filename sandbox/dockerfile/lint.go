package dockerfile

import (
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// lintCollector runs the part of BuildKit's linter that instructions.Parse calls
// (StageNameCasing, FromAsCasing, MaintainerDeprecated, and NoEmptyContinuation from the
// parser's warnings). The rest of BuildKit's rules run in dockerfile2llb, which needs image
// metadata: the sandbox gets them from the daemon's frontend.lint subrequest.
type lintCollector struct {
	findings []Finding
}

func (c *lintCollector) linter() *linter.Linter {
	// No config from the file: a learner's `# check=skip=all` must not hide lint (docs/architecture.md, "The sandbox policy").
	return linter.New(&linter.Config{Warn: c.warn})
}

func (c *lintCollector) warn(rule, _, url, msg string, loc []parser.Range) {
	f := Finding{Rule: rule, Severity: SeverityWarning, Message: msg, URL: url, Source: SourceBuildKit}
	f.Line, f.EndLine = rangeLines(loc)
	c.findings = append(c.findings, f)
}

// parserWarnings reports the parser's warnings as dockerfile2llb does.
func (c *lintCollector) parserWarnings(l *linter.Linter, ws []parser.Warning) {
	for _, w := range ws {
		if w.URL == linter.RuleNoEmptyContinuation.URL && w.Location != nil {
			l.Run(&linter.RuleNoEmptyContinuation, []parser.Range{*w.Location}, linter.RuleNoEmptyContinuation.Format())
		}
	}
}

// stripCheckComments removes `# check=` comments above instructions, which instructions.Parse
// would merge into the linter's config.
func stripCheckComments(ast *parser.Node) {
	for _, n := range ast.Children {
		if len(n.PrevComment) == 0 {
			continue
		}
		kept := n.PrevComment[:0:0]
		for _, c := range n.PrevComment {
			p := parser.DirectiveParser{}
			p.SetComment("")
			if d, _ := p.ParseLine([]byte(c)); d != nil && d.Name == "check" {
				continue
			}
			kept = append(kept, c)
		}
		n.PrevComment = kept
	}
}

// rangeLines is the first and last line of a BuildKit location (end 0 when on one line).
func rangeLines(loc []parser.Range) (start, end int) {
	for _, r := range loc {
		if r.Start.Line > 0 && (start == 0 || r.Start.Line < start) {
			start = r.Start.Line
		}
		end = max(end, r.End.Line)
	}
	if end <= start {
		end = 0
	}
	return start, end
}
