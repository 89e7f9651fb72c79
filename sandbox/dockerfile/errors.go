package dockerfile

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// MaxBytes is the largest Dockerfile Analyze accepts (the sandbox policy's cap).
const MaxBytes = 1 << 20

// ParseError is a Dockerfile BuildKit would refuse before building anything: a syntax error,
// an unknown instruction, a bad flag, no FROM — or input that is not a Dockerfile at all
// (empty, binary, too large). Line and Col are 1-based; 0 when the error is about the file.
type ParseError struct {
	Filename string
	Line     int
	Col      int
	EndLine  int // last line of the instruction, when it spans several
	Msg      string
	Err      error // BuildKit's error, when BuildKit raised it
}

func (e *ParseError) Error() string {
	name := e.Filename
	if name == "" {
		name = "Dockerfile"
	}
	switch {
	case e.Line > 0 && e.Col > 0:
		return fmt.Sprintf("%s:%d:%d: %s", name, e.Line, e.Col, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", name, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", name, e.Msg)
}

func (e *ParseError) Unwrap() error { return e.Err }

// checkInput refuses what is not a Dockerfile before BuildKit sees it.
func checkInput(filename string, src []byte) error {
	if len(src) > MaxBytes {
		return &ParseError{Filename: filename, Msg: fmt.Sprintf("Dockerfile is %s; the limit is 1 MiB", sizeString(len(src)))}
	}
	if len(src) == 0 {
		return &ParseError{Filename: filename, Msg: "file is empty"}
	}
	if len(bytes.TrimSpace(src)) == 0 {
		return &ParseError{Filename: filename, Msg: "file is empty (only whitespace)"}
	}
	if bytes.HasPrefix(src, []byte{0xFF, 0xFE}) || bytes.HasPrefix(src, []byte{0xFE, 0xFF}) {
		return &ParseError{Filename: filename, Line: 1, Col: 1, Msg: "file is UTF-16 encoded; save it as UTF-8"}
	}
	line, col := 1, 1
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		switch {
		case r == 0:
			return &ParseError{Filename: filename, Line: line, Col: col, Msg: "binary content (a NUL byte): a Dockerfile is UTF-8 text"}
		case r == utf8.RuneError && size == 1:
			return &ParseError{Filename: filename, Line: line, Col: col, Msg: fmt.Sprintf("binary content (invalid UTF-8, byte 0x%02X): a Dockerfile is UTF-8 text", src[i])}
		case r == '\n':
			line, col = line+1, 1
		default:
			col++
		}
		i += size
	}
	return nil
}

func sizeString(n int) string {
	mib := float64(n) / (1 << 20)
	s := fmt.Sprintf("%.1f MiB", mib)
	if s == "1.0 MiB" { // just over: say by how much
		s = fmt.Sprintf("%d bytes", n)
	}
	return s
}

// parseErrorFrom turns an error of parser.Parse or instructions.Parse into a ParseError at
// the location BuildKit attached to it.
func parseErrorFrom(filename string, lines []string, err error) *ParseError {
	pe := &ParseError{Filename: filename, Err: err, Msg: err.Error()}
	var le *parser.LocationError
	if errors.As(err, &le) {
		// LocationError's text is its cause's, without instructions' "dockerfile parse error
		// on line N:" prefix: the line is ours to print.
		pe.Msg = le.Error()
		start, end := 0, 0
		for _, rs := range le.Locations {
			for _, r := range rs {
				if r.Start.Line > 0 && (start == 0 || r.Start.Line < start) {
					start = r.Start.Line
				}
				end = max(end, r.End.Line)
			}
		}
		if countedLate(pe.Msg) {
			// The parser locates these on the line before the one at fault: it counts a line
			// after processing it.
			start, end = start+1, end+1
		}
		pe.Line = start
		if end > start {
			pe.EndLine = end
		}
	}
	if pe.Line > 0 {
		pe.Col = errorColumn(lines, pe.Line, pe.EndLine, pe.Msg)
	}
	switch pe.Msg {
	case "file with no instructions":
		pe.Msg += " (only comments): a Dockerfile needs a FROM"
		pe.Line, pe.Col = 0, 0
	case "no build stage in current context":
		pe.Msg += ": a Dockerfile starts with FROM (only ARG may come before it)"
	}
	return pe
}

func countedLate(msg string) bool {
	return strings.HasPrefix(msg, "invalid escape token") ||
		strings.HasPrefix(msg, "dockerfile line greater than max allowed size") ||
		(strings.HasPrefix(msg, "only one ") && strings.HasSuffix(msg, " parser directive can be used"))
}

// errorColumn points at the flag an error names, else at the instruction.
func errorColumn(lines []string, line, endLine int, msg string) int {
	for _, p := range []string{"unknown flag: ", "duplicate flag specified: ", "missing a value on flag: ", "expecting boolean value for flag "} {
		if i := strings.Index(msg, p); i >= 0 {
			name, _, _ := strings.Cut(msg[i+len(p):], " ")
			name = "--" + strings.TrimPrefix(strings.TrimSuffix(name, ","), "--")
			if l, c := locate(lines, line, endLine, name, 0, true); l == line {
				return c
			}
		}
	}
	return firstNonBlank(lines, line)
}
