package dockerfile

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestParseErrors(t *testing.T) {
	junk := make([]byte, 512)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range junk {
		junk[i] = byte(r.IntN(256))
	}
	copy(junk, "FROM alpine\nRUN echo ")
	junk[40] = 0 // a NUL on line 2, whatever the random bytes before it

	tests := []struct {
		name      string
		src       []byte
		line, col int
		msg       string // the whole Error() when it starts with "Dockerfile", else a substring
	}{
		{name: "empty file", src: nil, msg: "Dockerfile: file is empty"},
		{name: "whitespace only", src: []byte(" \n\t\n  \r\n"), msg: "Dockerfile: file is empty (only whitespace)"},
		{name: "binary junk with NULs", src: junk, line: 2, msg: "binary content"},
		{name: "NUL at a known place", src: []byte("FROM alpine\nRUN e\x00cho\n"), line: 2, col: 6, msg: "Dockerfile:2:6: binary content (a NUL byte): a Dockerfile is UTF-8 text"},
		{name: "invalid UTF-8", src: []byte("FROM alpine\n\nLABEL x=\xff\xfe\n"), line: 3, col: 9, msg: "binary content (invalid UTF-8, byte 0xFF)"},
		{name: "UTF-16", src: []byte("\xff\xfeF\x00R\x00O\x00M\x00"), line: 1, col: 1, msg: "UTF-16"},
		{name: "2 MiB", src: bytes.Repeat([]byte("RUN echo 0123456789\n"), 2<<20/20), msg: "Dockerfile: Dockerfile is 2.0 MiB; the limit is 1 MiB"},
		{name: "one byte over", src: append([]byte("FROM alpine\n"), bytes.Repeat([]byte("#"), MaxBytes-12+1)...), msg: "Dockerfile: Dockerfile is 1048577 bytes; the limit is 1 MiB"},
		{name: "unknown instruction", src: df("FROM alpine", "", "FORM alpine"), line: 3, col: 1, msg: "Dockerfile:3:1: unknown instruction: FORM (did you mean FROM?)"},
		{name: "unknown instruction, indented", src: df("FROM alpine", "  CPY a b"), line: 2, col: 3, msg: "unknown instruction: CPY (did you mean COPY?)"},
		// --chwon is as close to chmod as to chown, and BuildKit's suggestion between them varies
		// from run to run; --lnik has one close flag.
		{name: "bad flag on COPY", src: df("FROM alpine", "WORKDIR /app", "COPY --lnik . ."), line: 3, col: 6, msg: "Dockerfile:3:6: unknown flag: --lnik (did you mean link?)"},
		{name: "bad flag on a continued COPY", src: df("FROM alpine", "COPY --chown=1 \\", "  --form=build . ."), line: 2, col: 1, msg: "unknown flag: --form"},
		{name: "only comments", src: df("# a Dockerfile", "# with no instruction"), msg: "Dockerfile: file with no instructions (only comments): a Dockerfile needs a FROM"},
		{name: "only ARG", src: df("ARG X=1"), msg: "Dockerfile: dockerfile contains no stages to build: a Dockerfile needs a FROM"},
		{name: "an instruction before FROM", src: df("# hi", "RUN echo", "FROM alpine"), line: 2, col: 1, msg: "no build stage in current context: a Dockerfile starts with FROM"},
		{name: "FROM with two words", src: df("FROM alpine AS"), line: 1, col: 1, msg: "FROM requires either one or three arguments"},
		{name: "invalid stage name", src: df("FROM alpine AS 1st"), line: 1, col: 1, msg: `invalid name for build stage: "1st"`},
		{name: "unterminated heredoc", src: df("FROM alpine", "RUN <<EOF", "echo hi"), line: 2, col: 1, msg: "unterminated heredoc"},
		{name: "variable in mount from", src: df("FROM alpine", "RUN --mount=from=$X,target=/x true"), line: 2, col: 1, msg: "'from' doesn't support variable expansion"},
		{name: "bad escape directive", src: df("# escape=x", "FROM alpine"), line: 1, col: 1, msg: "invalid escape token"},
		{name: "repeated directive", src: df("# syntax=a", "# syntax=b", "FROM alpine"), line: 2, col: 1, msg: "only one syntax parser directive can be used"},
		{name: "a line over BuildKit's 64 KiB", src: append([]byte("FROM alpine\nRUN echo "), bytes.Repeat([]byte("x"), 70000)...), line: 2, col: 1, msg: "dockerfile line greater than max allowed size of 65535"},
		{name: "bad expansion in FROM", src: df("FROM alpine:${X"), line: 1, col: 1, msg: `failed to process "alpine:${X"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Analyze("Dockerfile", tt.src, Options{})
			if err == nil {
				t.Fatalf("Analyze = %+v, want an error", a)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T %v is not a *ParseError", err, err)
			}
			if pe.Line != tt.line || (tt.col != 0 && pe.Col != tt.col) {
				t.Errorf("at %d:%d, want %d:%d (%v)", pe.Line, pe.Col, tt.line, tt.col, err)
			}
			if strings.HasPrefix(tt.msg, "Dockerfile") {
				if err.Error() != tt.msg {
					t.Errorf("Error() = %q, want %q", err.Error(), tt.msg)
				}
			} else if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("Error() = %q, want it to contain %q", err.Error(), tt.msg)
			}
		})
	}
}

func TestParseErrorFilename(t *testing.T) {
	_, err := Analyze("exercises/01/Dockerfile", df("FROM alpine", "CPY a b"), Options{})
	if err == nil || !strings.HasPrefix(err.Error(), "exercises/01/Dockerfile:2:1: ") {
		t.Errorf("error = %v, want it prefixed with the file name and position", err)
	}
}

func TestAtTheLimitIsAccepted(t *testing.T) {
	src := append([]byte("FROM alpine\n"), bytes.Repeat([]byte("# 0123456789abc\n"), (MaxBytes-12)/16)...)
	src = append(src, "###\n"...)
	if len(src) != MaxBytes {
		t.Fatalf("test file is %d bytes", len(src))
	}
	if _, err := Analyze("Dockerfile", src, Options{}); err != nil {
		t.Errorf("a file of exactly MaxBytes: %v", err)
	}
}

func TestBOMAndCRLF(t *testing.T) {
	a := mustAnalyze(t, []byte("\uFEFFFROM alpine:3.20 AS build\r\nFROM alpine:3.20\r\nCOPY --from=buidl /a /b\r\n"), Options{})
	if len(a.Findings) != 1 || a.Findings[0].Line != 3 || a.Findings[0].Col != 13 {
		t.Errorf("findings = %s", dumpFindings(a.Findings))
	}
	if a.Images[0].Col != 6 {
		t.Errorf("image col after a BOM = %d, want 6", a.Images[0].Col)
	}
}
