package dockerfile

import (
	"fmt"
	"strings"
	"testing"
)

// want is one expected finding: every field set here must match, and Message must contain
// each of msg.
type want struct {
	rule     string
	severity Severity
	line     int
	col      int
	sug      string
	source   string
	msg      []string
}

func TestFindings(t *testing.T) {
	tests := []struct {
		name string
		src  []byte
		opts Options
		want []want
	}{
		{
			name: "UndefinedStageRef: typo of a stage name pulls an image",
			src: df(
				"FROM golang:1.22 AS build",
				"RUN go build -o /app .",
				"FROM alpine:3.20",
				"COPY --from=builder /app /app",
			),
			want: []want{{rule: RuleUndefinedStageRef, severity: SeverityError, line: 4, col: 13, sug: "build",
				msg: []string{`no stage is named "builder"`, `pull an image called "builder"`, "docker.io/library/builder:latest", "Docker Hub", `Did you mean stage "build"?`}}},
		},
		{
			name: "UndefinedStageRef: a plain word far from every stage",
			src:  df("FROM golang:1.22 AS build", "FROM alpine:3.20", "COPY --from=compiler /app /app"),
			want: []want{{rule: RuleUndefinedStageRef, severity: SeverityWarning, line: 3, col: 13,
				msg: []string{`pull an image called "compiler"`, "Docker Hub", "compiler:latest", "the stages above are: build"}}},
		},
		{
			name: "CopyFromImage: a well-known image named bare is information",
			src:  df("FROM alpine:3.20 AS base", "COPY --from=busybox /bin/busybox /bin/"),
			want: []want{{rule: RuleCopyFromImage, severity: SeverityInfo, line: 2, col: 13,
				msg: []string{"copies from the image busybox", "docker.io/library/busybox:latest"}}},
		},
		{
			name: "CopyFromImage: a name with a tag or a registry is information",
			src:  df("FROM alpine:3.20", "COPY --from=nginx:1.27 /etc/nginx /etc/nginx", "COPY --from=gcr.io/distroless/static /etc/passwd /etc/passwd"),
			want: []want{
				{rule: RuleCopyFromImage, severity: SeverityInfo, line: 2, col: 13, msg: []string{"copies from the image nginx:1.27"}},
				{rule: RuleCopyFromImage, severity: SeverityInfo, line: 3, col: 13, msg: []string{"copies from the image gcr.io/distroless/static"}},
			},
		},
		{
			name: "UndefinedStageRef: an index out of range",
			src:  df("FROM golang:1.22", "FROM alpine:3.20", "COPY --from=5 /app /app"),
			want: []want{{rule: RuleUndefinedStageRef, severity: SeverityError, line: 3, col: 13,
				msg: []string{"there is no stage 5", "numbered 0 to 1", `"invalid stage index 5"`}}},
		},
		{
			name: "UndefinedStageRef: a negative index",
			src:  df("FROM alpine:3.20", "COPY --from=-1 /a /b"),
			want: []want{{rule: RuleUndefinedStageRef, severity: SeverityError, line: 2, col: 13, msg: []string{"invalid stage index -1"}}},
		},
		{
			name: "UndefinedStageRef: RUN --mount from= takes no index",
			src:  df("FROM golang:1.22 AS deps", "FROM golang:1.22", "RUN --mount=from=0,target=/go/pkg go build"),
			want: []want{{rule: RuleUndefinedStageRef, severity: SeverityError, line: 3, col: 18, sug: "deps",
				msg: []string{"not an index", `pull an image called "0"`}}},
		},
		{
			name: "UndefinedStageRef: FROM with the wrong case is matched case-sensitively",
			src:  df("FROM alpine:3.20 AS build", "FROM Build AS final"),
			want: []want{{rule: RuleUndefinedStageRef, severity: SeverityError, line: 2, col: 6, sug: "build",
				msg: []string{"case-sensitively", "not a valid image reference", "write FROM build"}}},
		},
		{
			name: "UndefinedStageRef: FROM a typo of a stage name",
			src:  df("FROM golang:1.22 AS build", "FROM biuld AS final"),
			want: []want{{rule: RuleUndefinedStageRef, severity: SeverityWarning, line: 2, col: 6, sug: "build",
				msg: []string{`no stage above is named "biuld"`, "Docker Hub"}}},
		},
		{
			name: "an image reference with a tag, digest or registry is information, not a warning",
			src: df(
				"FROM alpine:3.20 AS build",
				"COPY --from=nginx:latest /a /b",
				"COPY --from=gcr.io/x/y /a /b",
				"COPY --from=alpine@sha256:0000000000000000000000000000000000000000000000000000000000000000 /a /b",
				"COPY --from=library/buildr /a /b",
			),
			want: []want{
				{rule: RuleCopyFromImage, severity: SeverityInfo, line: 2, col: 13, msg: []string{"copies from the image nginx:latest"}},
				{rule: RuleCopyFromImage, severity: SeverityInfo, line: 3, col: 13, msg: []string{"copies from the image gcr.io/x/y"}},
				{rule: RuleCopyFromImage, severity: SeverityInfo, line: 4, col: 13, msg: []string{"copies from the image alpine@sha256:"}},
				{rule: RuleCopyFromImage, severity: SeverityInfo, line: 5, col: 13, msg: []string{"copies from the image library/buildr"}},
			},
		},
		{
			name: "ForwardStageRef: COPY --from a later stage",
			src:  df("FROM alpine:3.20 AS a", "COPY --from=b /x /y", "FROM alpine:3.20 AS b"),
			want: []want{{rule: RuleForwardStageRef, severity: SeverityError, line: 2, col: 13,
				msg: []string{"defined later (line 3)", `cannot copy from stage \"b\", it needs to be defined before current stage \"a\"`, `move stage "b" above`}}},
		},
		{
			name: "ForwardStageRef: COPY --from a later stage by index",
			src:  df("FROM alpine:3.20 AS a", "COPY --from=1 /x /y", "FROM alpine:3.20 AS b"),
			want: []want{{rule: RuleForwardStageRef, severity: SeverityError, line: 2, col: 13, msg: []string{`cannot copy from stage \"1\"`}}},
		},
		{
			name: "ForwardStageRef: RUN --mount from a later stage",
			src:  df("FROM alpine:3.20 AS a", "RUN --mount=from=b,target=/x true", "FROM alpine:3.20 AS b"),
			want: []want{{rule: RuleForwardStageRef, severity: SeverityError, line: 2, col: 18, msg: []string{"cannot mount from stage"}}},
		},
		{
			name: "ForwardStageRef: FROM a later stage pulls an image",
			src:  df("FROM b AS a", "FROM alpine:3.20 AS b"),
			want: []want{{rule: RuleForwardStageRef, severity: SeverityError, line: 1, col: 6,
				msg: []string{"defined later (line 2)", `pull an image called "b"`, "Docker Hub"}}},
		},
		{
			name: "ForwardStageRef: of two stages with one name, BuildKit binds --from to the last",
			src: df(
				"FROM alpine:3.20 AS a",
				"FROM alpine:3.20 AS b",
				"COPY --from=a /x /y",
				"FROM busybox AS a",
			),
			want: []want{
				{rule: RuleForwardStageRef, severity: SeverityError, line: 3, col: 13, msg: []string{"Two stages are named \"a\" (lines 1 and 4)", "last one"}},
				{rule: RuleDuplicateStageName, severity: SeverityWarning, line: 4, col: 17, msg: []string{"stage on line 1"}},
			},
		},
		{
			name: "SelfStageRef: COPY --from its own stage",
			src:  df("FROM alpine:3.20 AS a", "RUN true", "COPY --from=a /x /y"),
			want: []want{{rule: RuleSelfStageRef, severity: SeverityError, line: 3, col: 13, msg: []string{"circular dependency detected on stage: a"}}},
		},
		{
			name: "SelfStageRef: COPY --from its own index",
			src:  df("FROM alpine:3.20", "FROM alpine:3.20", "COPY --from=1 /x /y"),
			want: []want{{rule: RuleSelfStageRef, severity: SeverityError, line: 3, col: 13, msg: []string{"stage-1"}}},
		},
		{
			name: "SelfStageRef: RUN --mount from its own stage",
			src:  df("FROM alpine:3.20 AS a", "RUN --mount=type=bind,from=a,target=/x true"),
			want: []want{{rule: RuleSelfStageRef, severity: SeverityError, line: 2, col: 28}},
		},
		{
			name: "SelfStageRef: FROM itself",
			src:  df("FROM app AS app"),
			want: []want{{rule: RuleSelfStageRef, severity: SeverityError, line: 1, col: 6, msg: []string{`pull an image called "app"`}}},
		},
		{
			name: "DuplicateStageName says which stage wins",
			src: df(
				"FROM alpine:3.20 AS build",
				"FROM busybox AS build",
				"FROM build",
			),
			want: []want{{rule: RuleDuplicateStageName, severity: SeverityWarning, line: 2, col: 17,
				source: SourceStagecraft, msg: []string{`Duplicate stage name "build"`, "stage on line 1", "last stage", "nearest one above"}}},
		},
		{
			name: "ReservedStageName: scratch",
			src:  df("FROM alpine:3.20 AS scratch", "FROM scratch"),
			want: []want{{rule: RuleReservedStageName, severity: SeverityWarning, line: 1, col: 21,
				msg: []string{`reserved stage "scratch"`, "builds on this stage"}}},
		},
		{
			name: "ReservedStageName: context",
			src:  df("FROM alpine:3.20 AS context", "FROM alpine:3.20", "COPY --from=context /a /b"),
			want: []want{{rule: RuleReservedStageName, severity: SeverityWarning, line: 1, col: 21, msg: []string{`reserved stage "context"`}}},
		},
		{
			name: "StageNameCasing: an upper-case definition is BuildKit's finding",
			src:  df("FROM golang:1.22 AS Build", "FROM alpine:3.20", "COPY --from=Build /a /b"),
			want: []want{{rule: RuleStageNameCasing, severity: SeverityWarning, line: 1, col: 1, source: SourceBuildKit,
				msg: []string{"Stage name 'Build' should be lowercase"}}},
		},
		{
			name: "StageNameCasing: a reference in another case than the definition",
			src:  df("FROM golang:1.22 AS build", "FROM alpine:3.20", "COPY --from=Build /a /b", "RUN --mount=from=BUILD,target=/x true"),
			want: []want{
				{rule: RuleStageNameCasing, severity: SeverityWarning, line: 3, col: 13, sug: "build", source: SourceStagecraft,
					msg: []string{`the stage is written "build" (line 1)`, "lower-cases"}},
				{rule: RuleStageNameCasing, severity: SeverityWarning, line: 4, col: 18, sug: "build"},
			},
		},
		{
			name: "StageNameCasing: both, each on its own line",
			src:  df("FROM golang:1.22 AS Build", "FROM build"),
			want: []want{
				{rule: RuleStageNameCasing, line: 1, source: SourceBuildKit},
				{rule: RuleStageNameCasing, line: 2, col: 6, source: SourceStagecraft, msg: []string{`"AS Build" (line 1) differ in case`}},
			},
		},
		{
			name: "VariableStageRef",
			src:  df("ARG SRC=build", "FROM alpine:3.20 AS build", "FROM alpine:3.20", "COPY --from=${SRC} /a /b"),
			want: []want{{rule: RuleVariableStageRef, severity: SeverityError, line: 4, col: 13, msg: []string{"does not expand variables"}}},
		},
		{
			name: "InvalidImageRef: upper case in an image",
			src:  df("FROM Alpine:3.20"),
			want: []want{{rule: RuleInvalidImageRef, severity: SeverityError, line: 1, col: 6, msg: []string{"must be lowercase"}}},
		},
		{
			name: "InvalidImageRef: a FROM that expands to nothing",
			src:  df("ARG BASE", "FROM ${BASE}"),
			want: []want{{rule: RuleInvalidImageRef, severity: SeverityError, line: 2, col: 6, msg: []string{"empty name"}}},
		},
		{
			name: "UndefinedArgInFrom, as BuildKit's linter",
			src:  df("ARG GO_VERSION=1.22", "FROM golang:${GO_VERSON}"),
			want: []want{
				{rule: RuleUndefinedArgInFrom, severity: SeverityWarning, line: 2, source: SourceBuildKit,
					msg: []string{"FROM argument 'GO_VERSON' is not declared (did you mean GO_VERSION?)"}},
				{rule: RuleInvalidImageRef, line: 2},
			},
		},
		{
			name: "UnknownTarget",
			src:  df("FROM alpine:3.20 AS build", "FROM alpine:3.20 AS test"),
			opts: Options{Target: "tests"},
			want: []want{{rule: RuleUnknownTarget, severity: SeverityError, line: 0, sug: "test", msg: []string{`target stage "tests" could not be found (did you mean test?)`}}},
		},
		{
			name: "BuildKit's parse-time lint runs: FromAsCasing, MaintainerDeprecated, NoEmptyContinuation",
			src:  df("FROM alpine:3.20 as build", "MAINTAINER me", "RUN echo a \\", "", "  b"),
			want: []want{
				{rule: "FromAsCasing", line: 1, source: SourceBuildKit},
				{rule: "MaintainerDeprecated", line: 2, source: SourceBuildKit},
				{rule: "NoEmptyContinuation", line: 5, source: SourceBuildKit},
			},
		},
		{
			name: "findings come sorted by line",
			src: df(
				"FROM alpine:3.20 AS a",
				"COPY --from=c /x /y",
				"COPY --from=a /x /y",
				"FROM alpine:3.20 AS b",
				"COPY --from=aa /x /y",
				"FROM alpine:3.20 AS c",
			),
			want: []want{
				{rule: RuleForwardStageRef, line: 2},
				{rule: RuleSelfStageRef, line: 3},
				{rule: RuleUndefinedStageRef, line: 5, sug: "a"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := mustAnalyze(t, tt.src, tt.opts)
			if len(a.Findings) != len(tt.want) {
				t.Fatalf("got %d findings, want %d:\n%s", len(a.Findings), len(tt.want), dumpFindings(a.Findings))
			}
			for i, w := range tt.want {
				checkFinding(t, a.Findings[i], w)
			}
		})
	}
}

func checkFinding(t *testing.T, f Finding, w want) {
	t.Helper()
	if f.Rule != w.rule || f.Line != w.line {
		t.Errorf("finding = %s at line %d, want %s at line %d\n%s", f.Rule, f.Line, w.rule, w.line, dumpFindings([]Finding{f}))
		return
	}
	if w.severity != "" && f.Severity != w.severity {
		t.Errorf("%s line %d: severity %s, want %s", f.Rule, f.Line, f.Severity, w.severity)
	}
	if w.col != 0 && f.Col != w.col {
		t.Errorf("%s line %d: col %d, want %d", f.Rule, f.Line, f.Col, w.col)
	}
	if w.sug != "" && f.Suggestion != w.sug {
		t.Errorf("%s line %d: suggestion %q, want %q", f.Rule, f.Line, f.Suggestion, w.sug)
	}
	if w.source != "" && f.Source != w.source {
		t.Errorf("%s line %d: source %q, want %q", f.Rule, f.Line, f.Source, w.source)
	}
	for _, m := range w.msg {
		if !strings.Contains(f.Message, m) {
			t.Errorf("%s line %d: message %q does not contain %q", f.Rule, f.Line, f.Message, m)
		}
	}
	ours := f.Source == SourceStagecraft
	switch {
	case f.Source == SourceBuildKit && !strings.HasPrefix(f.URL, "https://docs.docker.com/"):
		t.Errorf("%s: BuildKit finding without its docs URL: %q", f.Rule, f.URL)
	case ours && buildkitURL[f.Rule] == "" && f.URL != "":
		t.Errorf("%s: our own rule carries a URL: %q", f.Rule, f.URL)
	case ours && buildkitURL[f.Rule] != "" && f.URL != buildkitURL[f.Rule]:
		t.Errorf("%s: a BuildKit rule name without BuildKit's URL: %q", f.Rule, f.URL)
	}
}

func dumpFindings(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "  %s %s %d:%d %s [%s] (%s)\n", f.Rule, f.Severity, f.Line, f.Col, f.Message, f.Suggestion, f.Source)
	}
	return b.String()
}

// The messages' claims about BuildKit hold only if the bindings do: a stage's lower-cased name
// is what COPY --from finds, and the last of duplicates wins for --target too.
func TestDuplicateTargetIsTheLast(t *testing.T) {
	a := mustAnalyze(t, df("FROM alpine:3.20 AS a", "FROM busybox AS a", "FROM alpine:3.20"), Options{Target: "A"})
	if a.Final != 1 {
		t.Errorf("Final = %d, want 1 (the last stage named a)", a.Final)
	}
}

func TestUnknownTargetHasNoFinalStage(t *testing.T) {
	a := mustAnalyze(t, df("FROM alpine:3.20 AS build"), Options{Target: "nope"})
	if a.Final != -1 || a.FinalStage() != nil {
		t.Errorf("Final = %d, FinalStage = %v; want -1, nil", a.Final, a.FinalStage())
	}
	for _, s := range a.Stages {
		if s.Reachable {
			t.Errorf("stage %d reachable without a target", s.Index)
		}
	}
}
