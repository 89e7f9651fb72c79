package dockerfile

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// realistic200 is a 200-line multi-stage Dockerfile of the kind the course grades: meta ARGs,
// a deps stage with cache mounts, build, test and lint stages, and a small final stage.
func realistic200() []byte {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	w("# syntax=docker/dockerfile:1")
	w("ARG GO_VERSION=1.22")
	w("ARG ALPINE_VERSION=3.20")
	w("")
	w("FROM golang:${GO_VERSION}-alpine${ALPINE_VERSION} AS deps")
	w("WORKDIR /src")
	w("ENV CGO_ENABLED=0 GOFLAGS=-mod=readonly")
	w("COPY go.mod go.sum ./")
	w("RUN --mount=type=cache,target=/go/pkg/mod go mod download")
	for i := 0; i < 30; i++ {
		w("ENV FEATURE_%d=on", i)
	}
	w("")
	w("FROM deps AS build")
	w("COPY . .")
	for i := 0; i < 36; i++ {
		w("RUN --mount=type=cache,target=/root/.cache/go-build \\")
		w("    go build -trimpath -ldflags=\"-s -w\" -o /out/tool%d ./cmd/tool%d", i, i)
	}
	w("")
	w("FROM build AS test")
	for i := 0; i < 20; i++ {
		w("RUN --mount=type=cache,from=deps,source=/go/pkg/mod,target=/go/pkg/mod go test ./pkg/p%d/...", i)
	}
	w("")
	w("FROM golangci/golangci-lint:v1.59 AS lint")
	w("WORKDIR /src")
	w("COPY --from=build /src /src")
	for i := 0; i < 10; i++ {
		w("RUN golangci-lint run ./pkg/p%d/...", i)
	}
	w("")
	w("FROM alpine:${ALPINE_VERSION} AS final")
	w("RUN addgroup -S app && adduser -S -G app app")
	for i := 0; i < 36; i++ {
		w("COPY --from=build --chown=app:app /out/tool%d /usr/local/bin/tool%d", i, i)
	}
	for i := 0; strings.Count(b.String(), "\n") < 197; i++ {
		w("LABEL org.example.note%d=\"value %d\"", i, i)
	}
	w("USER app")
	w("HEALTHCHECK CMD [\"/usr/local/bin/tool0\", \"-health\"]")
	w("ENTRYPOINT [\"/usr/local/bin/tool0\"]")
	return []byte(b.String())
}

func TestRealistic200(t *testing.T) {
	src := realistic200()
	if n := strings.Count(string(src), "\n"); n != 200 {
		t.Fatalf("benchmark Dockerfile has %d lines", n)
	}
	a := mustAnalyze(t, src, Options{})
	// Its # syntax=docker/dockerfile:1 is the one expected note.
	if len(a.Stages) != 5 || a.Final != 4 || len(a.Findings) != 1 || a.Findings[0].Rule != RuleBuiltinFrontend {
		t.Fatalf("stages %d, final %d, findings:\n%s", len(a.Stages), a.Final, dumpFindings(a.Findings))
	}
	if !a.Stages[0].Reachable || a.Stages[2].Reachable || a.Stages[3].Reachable {
		t.Errorf("reachable: %v %v %v", a.Stages[0].Reachable, a.Stages[2].Reachable, a.Stages[3].Reachable)
	}
}

func BenchmarkAnalyze200Lines(b *testing.B) {
	src := realistic200()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Analyze("Dockerfile", src, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuildKitParse200Lines is the floor under BenchmarkAnalyze200Lines: BuildKit's parser
// and instructions.Parse alone, on the same file.
func BenchmarkBuildKitParse200Lines(b *testing.B) {
	src := realistic200()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		res, err := parser.Parse(bytes.NewReader(src))
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := instructions.Parse(res.AST, nil); err != nil {
			b.Fatal(err)
		}
	}
}
