package dockerfile

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// BuildKit's AST keeps lines but not columns. These helpers find, in the source lines of one
// instruction, a token the parser has already read (a --from value, a stage name), to point at
// it. They never decide what the Dockerfile means.

// sourceLines splits src into lines as the parser counts them (line 1 is lines[0]).
func sourceLines(src []byte) []string {
	s := strings.TrimPrefix(string(src), "\uFEFF")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}

// locate returns the line and 1-based column (in characters) of the first occurrence of needle
// in lines start..end, starting the search of line start at column fromCol (0 or 1: the start),
// or (0, 0).
func locate(lines []string, start, end int, needle string, fromCol int, fold bool) (int, int) {
	if needle == "" || start < 1 {
		return 0, 0
	}
	end = max(end, start)
	for ln := start; ln <= end && ln <= len(lines); ln++ {
		text := lines[ln-1]
		skip := 0
		if ln == start && fromCol > 1 {
			skip = byteOffset(text, fromCol-1)
		}
		hay := text[skip:]
		var i int
		if fold {
			i = indexFold(hay, needle)
		} else {
			i = strings.Index(hay, needle)
		}
		if i >= 0 {
			return ln, utf8.RuneCountInString(text[:skip+i]) + 1
		}
	}
	return 0, 0
}

// locateValue finds "prefix" followed by value (an optional quote between them) and returns
// the position of value.
func locateValue(lines []string, start, end int, prefix, value string) (int, int) {
	for _, q := range []string{"", `"`, `'`} {
		if l, c := locate(lines, start, end, prefix+q+value, 0, true); l > 0 {
			return l, c + utf8.RuneCountInString(prefix+q)
		}
	}
	return 0, 0
}

func indexFold(s, sub string) int {
	n := len(sub)
	for i := 0; i+n <= len(s); i++ {
		if strings.EqualFold(s[i:i+n], sub) {
			return i
		}
	}
	return -1
}

// byteOffset is the byte offset of the rune at index n of s (len(s) past the end).
func byteOffset(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}

// firstNonBlank is the column of the first non-blank character of line ln (1 if none).
func firstNonBlank(lines []string, ln int) int {
	if ln < 1 || ln > len(lines) {
		return 0
	}
	col := 1
	for _, r := range lines[ln-1] {
		if !unicode.IsSpace(r) {
			return col
		}
		col++
	}
	return 1
}
