package dockerfile

import (
	"reflect"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
)

// df joins lines into a Dockerfile, so that line numbers in tests are easy to read.
func df(lines ...string) []byte { return []byte(strings.Join(lines, "\n") + "\n") }

func mustAnalyze(t *testing.T, src []byte, opts Options) *Analysis {
	t.Helper()
	a, err := Analyze("Dockerfile", src, opts)
	if err != nil {
		t.Fatalf("Analyze: %v", err)
	}
	return a
}

// stageView is the part of a Stage the table compares.
type stageView struct {
	Index               int
	Name, NameAsWritten string
	Base, BaseExpanded  string
	BaseStage           int
	Line                int
	Reachable           bool
}

func stageViews(a *Analysis) []stageView {
	var out []stageView
	for _, s := range a.Stages {
		out = append(out, stageView{s.Index, s.Name, s.NameAsWritten, s.Base, s.BaseExpanded, s.BaseStage, s.Line, s.Reachable})
	}
	return out
}

// imageView drops nothing but Stage/Kind, which the table spells in Ref.
type imageView struct {
	Ref, Expanded, Normalized, ContextName string
	Line, Col                              int
	Reachable                              bool
}

func imageViews(a *Analysis) []imageView {
	var out []imageView
	for _, im := range a.Images {
		out = append(out, imageView{im.Ref, im.Expanded, im.Normalized, im.ContextName, im.Line, im.Col, im.Reachable})
	}
	return out
}

func TestAnalyzeStructure(t *testing.T) {
	tests := []struct {
		name     string
		src      []byte
		opts     Options
		stages   []stageView
		refs     []Ref
		final    int
		images   []imageView
		findings []string // rules, in order
	}{
		{
			name:   "single stage",
			src:    df("FROM alpine:3.20", "RUN echo hi", `CMD ["sh"]`),
			stages: []stageView{{0, "", "", "alpine:3.20", "alpine:3.20", -1, 1, true}},
			final:  0,
			images: []imageView{{"alpine:3.20", "alpine:3.20", "docker.io/library/alpine:3.20", "alpine:3.20", 1, 6, true}},
		},
		{
			name: "two stages by name",
			src: df(
				"FROM golang:1.22 AS build",
				"RUN go build -o /app .",
				"FROM gcr.io/distroless/static",
				"COPY --from=build /app /app",
			),
			stages: []stageView{
				{0, "build", "build", "golang:1.22", "golang:1.22", -1, 1, true},
				{1, "", "", "gcr.io/distroless/static", "gcr.io/distroless/static", -1, 3, true},
			},
			refs:  []Ref{{Stage: 1, Name: "build", Line: 4, Col: 13, Kind: RefCopy, Target: 0}},
			final: 1,
			images: []imageView{
				{"golang:1.22", "golang:1.22", "docker.io/library/golang:1.22", "golang:1.22", 1, 6, true},
				{"gcr.io/distroless/static", "gcr.io/distroless/static", "gcr.io/distroless/static:latest", "gcr.io/distroless/static", 3, 6, true},
			},
		},
		{
			name: "COPY --from=0 is stage 0",
			src:  df("FROM golang:1.22", "RUN go build -o /app .", "FROM scratch", "COPY --from=0 /app /app"),
			stages: []stageView{
				{0, "", "", "golang:1.22", "golang:1.22", -1, 1, true},
				{1, "", "", "scratch", "scratch", -1, 3, true},
			},
			refs:   []Ref{{Stage: 1, Name: "0", Line: 4, Col: 13, Kind: RefCopy, Target: 0}},
			final:  1,
			images: []imageView{{"golang:1.22", "golang:1.22", "docker.io/library/golang:1.22", "golang:1.22", 1, 6, true}},
		},
		{
			name: "three stages, default target skips the test stage",
			src: df(
				"FROM golang:1.22 AS build",
				"RUN go build -o /app .",
				"FROM build AS test",
				"RUN go test ./...",
				"FROM scratch AS final",
				"COPY --from=build /app /app",
			),
			stages: []stageView{
				{0, "build", "build", "golang:1.22", "golang:1.22", -1, 1, true},
				{1, "test", "test", "build", "build", 0, 3, false},
				{2, "final", "final", "scratch", "scratch", -1, 5, true},
			},
			refs: []Ref{
				{Stage: 1, Name: "build", Line: 3, Col: 6, Kind: RefFrom, Target: 0},
				{Stage: 2, Name: "build", Line: 6, Col: 13, Kind: RefCopy, Target: 0},
			},
			final:  2,
			images: []imageView{{"golang:1.22", "golang:1.22", "docker.io/library/golang:1.22", "golang:1.22", 1, 6, true}},
		},
		{
			name: "three stages, --target test",
			src: df(
				"FROM golang:1.22 AS build",
				"RUN go build -o /app .",
				"FROM build AS test",
				"RUN go test ./...",
				"FROM alpine:3.20 AS final",
				"COPY --from=build /app /app",
			),
			opts: Options{Target: "Test"}, // --target is case-insensitive, as in BuildKit
			stages: []stageView{
				{0, "build", "build", "golang:1.22", "golang:1.22", -1, 1, true},
				{1, "test", "test", "build", "build", 0, 3, true},
				{2, "final", "final", "alpine:3.20", "alpine:3.20", -1, 5, false},
			},
			refs: []Ref{
				{Stage: 1, Name: "build", Line: 3, Col: 6, Kind: RefFrom, Target: 0},
				{Stage: 2, Name: "build", Line: 6, Col: 13, Kind: RefCopy, Target: 0},
			},
			final: 1,
			images: []imageView{
				{"golang:1.22", "golang:1.22", "docker.io/library/golang:1.22", "golang:1.22", 1, 6, true},
				{"alpine:3.20", "alpine:3.20", "docker.io/library/alpine:3.20", "alpine:3.20", 5, 6, false},
			},
		},
		{
			name: "a stage built FROM a stage",
			src:  df("FROM alpine:3.20 AS build", "RUN touch /x", "FROM build AS final", "RUN ls /x"),
			stages: []stageView{
				{0, "build", "build", "alpine:3.20", "alpine:3.20", -1, 1, true},
				{1, "final", "final", "build", "build", 0, 3, true},
			},
			refs:   []Ref{{Stage: 1, Name: "build", Line: 3, Col: 6, Kind: RefFrom, Target: 0}},
			final:  1,
			images: []imageView{{"alpine:3.20", "alpine:3.20", "docker.io/library/alpine:3.20", "alpine:3.20", 1, 6, true}},
		},
		{
			name: "ARG-parameterised base, defaults",
			src:  df("ARG GO_VERSION=1.22", "FROM golang:${GO_VERSION}-alpine AS build", "RUN go version"),
			stages: []stageView{
				{0, "build", "build", "golang:${GO_VERSION}-alpine", "golang:1.22-alpine", -1, 2, true},
			},
			final:  0,
			images: []imageView{{"golang:${GO_VERSION}-alpine", "golang:1.22-alpine", "docker.io/library/golang:1.22-alpine", "golang:1.22-alpine", 2, 6, true}},
		},
		{
			name: "ARG-parameterised base, build-arg override",
			src:  df("ARG GO_VERSION=1.22", "FROM golang:${GO_VERSION}-alpine AS build", "RUN go version"),
			opts: Options{BuildArgs: map[string]string{"GO_VERSION": "1.23"}},
			stages: []stageView{
				{0, "build", "build", "golang:${GO_VERSION}-alpine", "golang:1.23-alpine", -1, 2, true},
			},
			final:  0,
			images: []imageView{{"golang:${GO_VERSION}-alpine", "golang:1.23-alpine", "docker.io/library/golang:1.23-alpine", "golang:1.23-alpine", 2, 6, true}},
		},
		{
			name: "an ARG naming a stage makes FROM a stage reference",
			src:  df("ARG BASE=build", "FROM busybox AS build", "FROM ${BASE}"),
			stages: []stageView{
				{0, "build", "build", "busybox", "busybox", -1, 2, true},
				{1, "", "", "${BASE}", "build", 0, 3, true},
			},
			refs:   []Ref{{Stage: 1, Name: "${BASE}", Line: 3, Col: 6, Kind: RefFrom, Target: 0}},
			final:  1,
			images: []imageView{{"busybox", "busybox", "docker.io/library/busybox:latest", "busybox", 2, 6, true}},
		},
		{
			name: "RUN --mount from a stage",
			src: df(
				"FROM golang:1.22 AS deps",
				"RUN go mod download",
				"FROM golang:1.22",
				"RUN --mount=type=cache,from=deps,target=/x go build",
			),
			stages: []stageView{
				{0, "deps", "deps", "golang:1.22", "golang:1.22", -1, 1, true},
				{1, "", "", "golang:1.22", "golang:1.22", -1, 3, true},
			},
			refs:  []Ref{{Stage: 1, Name: "deps", Line: 4, Col: 29, Kind: RefMount, Target: 0}},
			final: 1,
			images: []imageView{
				{"golang:1.22", "golang:1.22", "docker.io/library/golang:1.22", "golang:1.22", 1, 6, true},
				{"golang:1.22", "golang:1.22", "docker.io/library/golang:1.22", "golang:1.22", 3, 6, true},
			},
		},
		{
			name:   "COPY --from an image",
			src:    df("FROM alpine:3.20", "COPY --from=nginx:latest /etc/nginx/nginx.conf /etc/"),
			stages: []stageView{{0, "", "", "alpine:3.20", "alpine:3.20", -1, 1, true}},
			refs:   []Ref{{Stage: 0, Name: "nginx:latest", Line: 2, Col: 13, Kind: RefCopy, Target: -1, Image: true}},
			final:  0,
			images: []imageView{
				{"alpine:3.20", "alpine:3.20", "docker.io/library/alpine:3.20", "alpine:3.20", 1, 6, true},
				{"nginx:latest", "nginx:latest", "docker.io/library/nginx:latest", "nginx", 2, 13, true},
			},
		},
		{
			name: "a --from on a continuation line",
			src: df(
				"FROM alpine:3.20 AS build",
				"FROM alpine:3.20",
				"COPY \\",
				"  --from=build \\",
				"  /a /b",
			),
			stages: []stageView{
				{0, "build", "build", "alpine:3.20", "alpine:3.20", -1, 1, true},
				{1, "", "", "alpine:3.20", "alpine:3.20", -1, 2, true},
			},
			refs:  []Ref{{Stage: 1, Name: "build", Line: 4, Col: 10, Kind: RefCopy, Target: 0}},
			final: 1,
			images: []imageView{
				{"alpine:3.20", "alpine:3.20", "docker.io/library/alpine:3.20", "alpine:3.20", 1, 6, true},
				{"alpine:3.20", "alpine:3.20", "docker.io/library/alpine:3.20", "alpine:3.20", 2, 6, true},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := mustAnalyze(t, tt.src, tt.opts)
			if got := stageViews(a); !reflect.DeepEqual(got, tt.stages) {
				t.Errorf("stages:\n got %+v\nwant %+v", got, tt.stages)
			}
			if !reflect.DeepEqual(a.Refs, tt.refs) {
				t.Errorf("refs:\n got %+v\nwant %+v", a.Refs, tt.refs)
			}
			if a.Final != tt.final {
				t.Errorf("final = %d, want %d", a.Final, tt.final)
			}
			if got := imageViews(a); !reflect.DeepEqual(got, tt.images) {
				t.Errorf("images:\n got %+v\nwant %+v", got, tt.images)
			}
			for _, f := range a.Findings {
				if f.Severity != SeverityInfo { // an image named by COPY --from is information
					t.Errorf("unexpected finding: %+v", f)
				}
			}
		})
	}
}

func TestMetaArgs(t *testing.T) {
	a := mustAnalyze(t, df("ARG GO_VERSION=1.22", "ARG DISTRO", "ARG IMAGE=golang:${GO_VERSION}", "FROM ${IMAGE}"),
		Options{BuildArgs: map[string]string{"DISTRO": "alpine"}})
	type mv struct {
		Name, Default, Value string
		Line                 int
	}
	deref := func(p *string) string {
		if p == nil {
			return "<nil>"
		}
		return *p
	}
	var got []mv
	for _, m := range a.MetaArgs {
		got = append(got, mv{m.Name, deref(m.Default), deref(m.Value), m.Line})
	}
	want := []mv{
		{"GO_VERSION", "1.22", "1.22", 1},
		{"DISTRO", "<nil>", "alpine", 2},
		{"IMAGE", "golang:${GO_VERSION}", "golang:1.22", 3},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("meta args:\n got %+v\nwant %+v", got, want)
	}
	if a.Stages[0].BaseExpanded != "golang:1.22" {
		t.Errorf("base = %q, want golang:1.22", a.Stages[0].BaseExpanded)
	}
}

func TestInstructions(t *testing.T) {
	a := mustAnalyze(t, df(
		"FROM golang:1.22 AS build",
		"USER builder",
		"RUN go build \\",
		"    -o /app .",
		"FROM build AS runtime",
		"USER nonroot:nonroot",
		`ENTRYPOINT ["/app"]`,
		"FROM runtime AS final",
		"COPY --from=build /app /app",
		`CMD ["--help"]`,
	), Options{})

	final := a.FinalStage()
	if final == nil || final.Index != 2 {
		t.Fatalf("final stage = %+v, want index 2", final)
	}
	if !a.CopiesFrom(final.Index, 0) {
		t.Error("CopiesFrom(final, build) = false, want true")
	}
	if a.CopiesFrom(final.Index, 1) {
		t.Error("CopiesFrom(final, runtime) = true, want false")
	}
	if _, ok := final.Last("user"); ok {
		t.Error("final stage has no USER of its own")
	}
	user, from, ok := a.Inherited(final.Index, "user")
	if !ok || from != 1 || user.Parsed.(*instructions.UserCommand).User != "nonroot:nonroot" || user.Line != 6 {
		t.Errorf("Inherited(user) = %+v from %d, %v; want nonroot:nonroot on line 6 from stage 1", user, from, ok)
	}
	ep, from, ok := a.Inherited(final.Index, "entrypoint")
	if !ok || from != 1 || !reflect.DeepEqual(ep.Parsed.(*instructions.EntrypointCommand).CmdLine, []string{"/app"}) {
		t.Errorf("Inherited(entrypoint) = %+v from %d, %v", ep, from, ok)
	}
	cmd, ok := final.Last("cmd")
	if !ok || cmd.Original != `CMD ["--help"]` || cmd.Line != 10 {
		t.Errorf("Last(cmd) = %+v, %v", cmd, ok)
	}
	run := a.Stages[0].Commands("run")
	if len(run) != 1 || run[0].Line != 3 || run[0].EndLine != 4 || run[0].Original != "RUN go build     -o /app ." {
		t.Errorf("Commands(run) = %+v", run)
	}
	if got := []string{a.Stages[0].Instructions[0].Command, a.Stages[0].Instructions[1].Command}; !reflect.DeepEqual(got, []string{"user", "run"}) {
		t.Errorf("stage 0 commands = %v", got)
	}
	if a.Stages[0].EndLine != 4 {
		t.Errorf("stage 0 EndLine = %d, want 4", a.Stages[0].EndLine)
	}
	if s, ok := a.Stage("RUNTIME"); !ok || s.Index != 1 {
		t.Errorf(`Stage("RUNTIME") = %+v, %v`, s, ok)
	}
	if refs := a.RefsFrom(2); len(refs) != 2 || refs[0].Kind != RefFrom || refs[1].Kind != RefCopy {
		t.Errorf("RefsFrom(2) = %+v", refs)
	}
}

func TestDirectives(t *testing.T) {
	a := mustAnalyze(t, df("# syntax=docker/dockerfile:1.7", "# check=skip=all", "FROM alpine AS Build"), Options{})
	if a.Syntax != "docker/dockerfile:1.7" || a.SyntaxLine != 1 {
		t.Errorf("Syntax = %q line %d", a.Syntax, a.SyntaxLine)
	}
	if a.CheckDirective != "skip=all" {
		t.Errorf("CheckDirective = %q", a.CheckDirective)
	}
	// The learner's skip=all must not hide BuildKit's lint; the directive itself is a note.
	if len(a.Findings) != 2 || a.Findings[0].Rule != RuleBuiltinFrontend || a.Findings[0].Severity != SeverityInfo ||
		a.Findings[1].Rule != RuleStageNameCasing || a.Findings[1].Source != SourceBuildKit {
		t.Errorf("findings = %+v, want the built-in frontend note and BuildKit's StageNameCasing", a.Findings)
	}
}

func TestCheckCommentAboveInstructionDoesNotHideLint(t *testing.T) {
	a := mustAnalyze(t, df("FROM alpine", "# check=skip=MaintainerDeprecated", "MAINTAINER me"), Options{})
	if len(a.Findings) != 1 || a.Findings[0].Rule != "MaintainerDeprecated" || a.Findings[0].Line != 3 {
		t.Errorf("findings = %+v, want MaintainerDeprecated on line 3", a.Findings)
	}
}

func TestSuggestStage(t *testing.T) {
	stages := []Stage{{Name: "build"}, {Name: ""}, {Name: "test-runner"}}
	tests := []struct {
		name string
		want string
		ok   bool
	}{
		{"build", "build", true},
		{"Build", "build", true},
		{"builder", "build", true},
		{"buidl", "build", true},
		{"test-runer", "test-runner", true},
		{"deploy", "", false},
		{"", "", false},
		{"biulder", "build", true}, // a swap and a suffix
		{"runner", "test-runner", true},
		{"test-runner-stage", "test-runner", true},
	}
	for _, tt := range tests {
		got, ok := SuggestStage(tt.name, stages)
		if got != tt.want || ok != tt.ok {
			t.Errorf("SuggestStage(%q) = %q, %v; want %q, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
	// A part of a stage's name wins over a one-letter edit of another stage.
	stages = []Stage{{Name: "test"}, {Name: "license-set"}}
	for name, want := range map[string]string{"set": "license-set", "tset": "test", "license": "license-set"} {
		if got, _ := SuggestStage(name, stages); got != want {
			t.Errorf("SuggestStage(%q) = %q, want %q", name, got, want)
		}
	}
}
