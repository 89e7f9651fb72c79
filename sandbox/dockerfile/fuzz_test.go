package dockerfile

import (
	"errors"
	"testing"
)

func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{
		"FROM alpine\n",
		"ARG V=1\nFROM golang:${V} AS build\nRUN go build\nFROM scratch\nCOPY --from=build /a /a\n",
		"FROM a AS a\nCOPY --from=a / /\nRUN --mount=from=a,target=/x true\n",
		"FROM alpine AS b\nCOPY --from=5 / /\nCOPY --from=-1 / /\nCOPY --from=$X / /\nCOPY --from=Foo:1 / /\n",
		"# syntax=docker/dockerfile:1\n# escape=`\nFROM alpine\nRUN echo `\n  hi\n",
		"FROM alpine\nRUN <<EOF\necho\nEOF\nONBUILD COPY --from=x / /\n",
		"FROM ${X:?no}\n",
		"FROM alpine AS Scratch\nFROM Scratch\n",
		"\uFEFFFROM alpine\r\nCOPY \\\r\n --from=x / /\r\n",
		"FROM --platform=$BUILDPLATFORM alpine AS build\nFROM build\n",
	} {
		f.Add([]byte(s), "")
	}
	f.Add([]byte("FROM alpine AS a\nFROM alpine AS b\n"), "B")
	f.Fuzz(func(t *testing.T, src []byte, target string) {
		a, err := Analyze("Dockerfile", src, Options{Target: target, BuildArgs: map[string]string{"X": target}})
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not a *ParseError: %v", err, err)
			}
			return
		}
		if len(a.Stages) == 0 {
			t.Fatal("an analysis without stages")
		}
		if a.Final < -1 || a.Final >= len(a.Stages) {
			t.Fatalf("Final = %d with %d stages", a.Final, len(a.Stages))
		}
		for i := 1; i < len(a.Findings); i++ {
			if a.Findings[i].Line < a.Findings[i-1].Line {
				t.Fatalf("findings not sorted by line: %+v", a.Findings)
			}
		}
		for _, r := range a.Refs {
			if r.Target < -1 || r.Target >= len(a.Stages) {
				t.Fatalf("ref target out of range: %+v", r)
			}
		}
	})
}
