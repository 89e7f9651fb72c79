package dockerfile

import (
	"fmt"
	"regexp"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// builtinSyntax matches the frontend images whose language BuildKit's built-in Dockerfile
// frontend already speaks: docker/dockerfile (and -upstream) at major version 1, any minor or
// patch, -labs or not, with or without docker.io/ and a digest. A # syntax= naming one of
// them asks for what the sandbox runs anyway.
var builtinSyntax = regexp.MustCompile(`^(?:docker\.io/)?docker/dockerfile(?:-upstream)?:1(?:\.[0-9]+){0,2}(?:-labs)?(?:@sha256:[0-9a-f]{64})?$`)

// BuiltinSyntax reports whether a # syntax= frontend image is served by the built-in frontend.
func BuiltinSyntax(ref string) bool { return builtinSyntax.MatchString(ref) }

// RuleBuiltinFrontend notes a # syntax= directive the sandbox answers with its built-in
// Dockerfile frontend.
const RuleBuiltinFrontend = "BuiltinFrontend"

func (an *analyzer) syntaxNote() {
	a := an.a
	if a.Syntax == "" || !a.SyntaxBuiltin {
		return
	}
	line := max(a.SyntaxLine, 1)
	an.add(Finding{Rule: RuleBuiltinFrontend, Severity: SeverityInfo, Line: line, Col: 1,
		Message: fmt.Sprintf("# syntax=%s uses the built-in Dockerfile frontend", a.Syntax)})
}

// TooManyInstructionsError is a Dockerfile with more instructions than Options.MaxInstructions.
type TooManyInstructionsError struct {
	Filename string
	Limit    int
	Line     int // line of the first instruction over the limit
}

func (e *TooManyInstructionsError) Error() string {
	return fmt.Sprintf("%s:%d: %s", e.Filename, e.Line, e.Message())
}

// Message is the error without the file and line.
func (e *TooManyInstructionsError) Message() string {
	return fmt.Sprintf("the Dockerfile has more than %d instructions, the sandbox's limit; instruction %d is on line %d", e.Limit, e.Limit+1, e.Line)
}

// checkInstructionCount refuses a file over the limit before its instructions are read: the
// parser's pass is linear, the rest of the analysis need not run on 20,000 steps.
func checkInstructionCount(filename string, ast *parser.Node, limit int) error {
	if limit <= 0 || len(ast.Children) <= limit {
		return nil
	}
	return &TooManyInstructionsError{Filename: filename, Limit: limit, Line: ast.Children[limit].StartLine}
}
