package dockerfile

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"
)

func TestFetches(t *testing.T) {
	type fv struct {
		Line    int
		URL     string
		Git     bool
		Host    string
		Onbuild bool
		Unknown bool
	}
	tests := []struct {
		name string
		src  []byte
		args []string // build args, K=V
		want []fv
	}{
		{"https", df("FROM busybox", "ADD https://example.com/a.tgz /a"),
			nil, []fv{{2, "https://example.com/a.tgz", false, "example.com", false, false}}},
		{"loopback with port and user", df("FROM busybox", "ADD http://u:p@127.0.0.1:8080/s /s"),
			nil, []fv{{2, "http://u:p@127.0.0.1:8080/s", false, "127.0.0.1", false, false}}},
		{"ipv6", df("FROM busybox", "ADD http://[::1]:80/s /s"),
			nil, []fv{{2, "http://[::1]:80/s", false, "::1", false, false}}},
		{"local paths fetch nothing", df("FROM busybox", "ADD app.tgz ./dir/ /dst/", "ADD ./$X/f /f", "COPY . /src"),
			nil, nil},
		{"meta ARG expanded in the stage", df("ARG URL=http://169.254.169.254/latest", "FROM busybox", "ARG URL", "ADD $URL /m"),
			nil, []fv{{4, "http://169.254.169.254/latest", false, "169.254.169.254", false, false}}},
		{"build arg wins", df("FROM busybox", "ARG SRC=local.txt", "ADD ${SRC} /x"),
			[]string{"SRC=https://h.test/x"}, []fv{{3, "https://h.test/x", false, "h.test", false, false}}},
		{"stage ARG default", df("FROM busybox", "ARG HOST=localhost", "ADD http://${HOST}/f /f"),
			nil, []fv{{3, "http://localhost/f", false, "localhost", false, false}}},
		{"ENV inherited by a stage built FROM it", df("FROM busybox AS base", "ENV U=http://h.test/f", "FROM base", "ADD $U /f"),
			nil, []fv{{4, "http://h.test/f", false, "h.test", false, false}}},
		{"ARG not inherited: unknown", df("FROM busybox AS base", "ARG U=http://h.test/f", "FROM base", "ADD $U /f"),
			nil, []fv{{4, "", false, "", false, true}}},
		{"git scp form", df("FROM busybox", "ADD git@github.com:moby/buildkit.git /src"),
			nil, []fv{{2, "git@github.com:moby/buildkit.git", true, "github.com", false, false}}},
		{"git https form", df("FROM busybox", "ADD --keep-git-dir https://github.com/moby/buildkit.git#v0.1 /src"),
			nil, []fv{{2, "https://github.com/moby/buildkit.git#v0.1", true, "github.com", false, false}}},
		{"checksum", df("FROM busybox", "ADD --checksum=sha256:0000000000000000000000000000000000000000000000000000000000000000 https://h.test/f /f"),
			nil, []fv{{2, "https://h.test/f", false, "h.test", false, false}}},
		{"onbuild", df("FROM busybox AS base", "ONBUILD ADD http://127.0.0.1/x /x", "FROM base"),
			nil, []fv{{2, "http://127.0.0.1/x", false, "127.0.0.1", true, false}}},
		{"unreachable stage still counts", df("FROM scratch AS epoch", "ADD https://h.test/f /f", "FROM busybox"),
			nil, []fv{{2, "https://h.test/f", false, "h.test", false, false}}},
		{"several sources, one remote", df("FROM busybox", "ADD a.txt https://h.test/b /dst/"),
			nil, []fv{{2, "https://h.test/b", false, "h.test", false, false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := Options{BuildArgs: map[string]string{}}
			for _, kv := range tt.args {
				k, v, _ := strings.Cut(kv, "=")
				opts.BuildArgs[k] = v
			}
			a := mustAnalyze(t, tt.src, opts)
			var got []fv
			for _, f := range a.Fetches {
				got = append(got, fv{f.Line, f.URL, f.Git, f.Host, f.Onbuild, f.Unknown})
				if f.Unknown {
					got[len(got)-1].URL = ""
				}
			}
			if len(got) != len(tt.want) {
				t.Fatalf("fetches = %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("fetch %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestCacheMounts(t *testing.T) {
	src := df(
		"ARG DIR=/abs",
		"FROM busybox",
		"ARG DIR",
		"ARG NAME=gomod",
		"RUN --mount=type=cache,target=/root/.cache true",
		"RUN --mount=type=cache,id=$NAME,target=/go/pkg/mod \\",
		"    --mount=type=bind,source=.,target=/src \\",
		"    --mount=type=cache,id=../other,target=/x true",
		"RUN --mount=type=cache,id=${DIR},target=/y true",
		"RUN --mount=type=tmpfs,target=/t true",
	)
	a := mustAnalyze(t, src, Options{})
	type cv struct {
		Line, Col           int
		ID, Written, Target string
	}
	want := []cv{
		{5, 1, "", "", "/root/.cache"},
		{6, 27, "gomod", "$NAME", "/go/pkg/mod"},
		{8, 27, "../other", "../other", "/x"},
		{9, 27, "/abs", "${DIR}", "/y"},
	}
	var got []cv
	for _, m := range a.CacheMounts {
		got = append(got, cv{m.Line, m.Col, m.ID, m.IDWritten, m.Target})
	}
	if len(got) != len(want) {
		t.Fatalf("cache mounts = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i].ID != want[i].ID || got[i].Target != want[i].Target {
			t.Errorf("mount %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("mount %d at %d:%d written %q, want %+v", i, got[i].Line, got[i].Col, got[i].Written, want[i])
		}
	}
}

func TestMaxInstructions(t *testing.T) {
	lines := []string{"FROM busybox"}
	for i := 0; i < 400; i++ {
		lines = append(lines, "RUN echo "+strings.Repeat("x", i%5))
	}
	src := df(lines...)
	_, err := Analyze("Dockerfile", src, Options{MaxInstructions: 300})
	var te *TooManyInstructionsError
	if !errors.As(err, &te) {
		t.Fatalf("err = %v, want a TooManyInstructionsError", err)
	}
	if te.Line != 301 || te.Limit != 300 {
		t.Errorf("line %d limit %d, want 301 and 300", te.Line, te.Limit)
	}
	if !strings.Contains(err.Error(), "Dockerfile:301:") || !strings.Contains(err.Error(), "300 instructions") {
		t.Errorf("message %q does not name the line and the limit", err)
	}
	// Continuation lines and comments: the line is that of the instruction, not a count.
	src = df("FROM busybox", "# a comment", "RUN a \\", "  b", "", "RUN c")
	_, err = Analyze("Dockerfile", src, Options{MaxInstructions: 2})
	if !errors.As(err, &te) || te.Line != 6 {
		t.Fatalf("err = %v, want line 6", err)
	}
	if a, err := Analyze("Dockerfile", src, Options{MaxInstructions: 3}); err != nil || a.Instructions != 3 {
		t.Fatalf("at the limit: %v, %d instructions", err, a.Instructions)
	}
}

func TestBuiltinSyntax(t *testing.T) {
	for ref, want := range map[string]bool{
		"docker/dockerfile:1":                                    true,
		"docker/dockerfile:1.7":                                  true,
		"docker/dockerfile:1.7.1":                                true,
		"docker/dockerfile:1-labs":                               true,
		"docker/dockerfile:1.7-labs":                             true,
		"docker.io/docker/dockerfile:1":                          true,
		"docker/dockerfile-upstream:1.12.0":                      true,
		"docker/dockerfile:1@sha256:" + strings.Repeat("ab", 32): true,
		"docker/dockerfile":                                      false,
		"docker/dockerfile:2":                                    false,
		"docker/dockerfile:10":                                   false,
		"docker/dockerfile:1.7.1.2":                              false,
		"evil.example/docker/dockerfile:1":                       false,
		"docker/dockerfile:1@sha256:abc":                         false,
		"tonistiigi/dockerfile:1":                                false,
		"docker/dockerfile:1 --evil":                             false,
	} {
		if got := BuiltinSyntax(ref); got != want {
			t.Errorf("BuiltinSyntax(%q) = %v, want %v", ref, got, want)
		}
	}
	a := mustAnalyze(t, df("# syntax=docker/dockerfile:1.7", "FROM busybox"), Options{})
	if !a.SyntaxBuiltin || a.SyntaxLine != 1 {
		t.Fatalf("syntax %q builtin %v line %d", a.Syntax, a.SyntaxBuiltin, a.SyntaxLine)
	}
	var note *Finding
	for i := range a.Findings {
		if a.Findings[i].Rule == RuleBuiltinFrontend {
			note = &a.Findings[i]
		}
	}
	if note == nil || note.Severity != SeverityInfo || note.Line != 1 ||
		note.Message != "# syntax=docker/dockerfile:1.7 uses the built-in Dockerfile frontend" {
		t.Fatalf("note = %+v", note)
	}
	a = mustAnalyze(t, df("# syntax=example.com/frontend:1", "FROM busybox"), Options{})
	if a.SyntaxBuiltin || a.Syntax != "example.com/frontend:1" {
		t.Fatalf("an external frontend: syntax %q builtin %v", a.Syntax, a.SyntaxBuiltin)
	}
	for _, f := range a.Findings {
		if f.Rule == RuleBuiltinFrontend {
			t.Fatalf("note for an external frontend: %+v", f)
		}
	}
}

func TestForPlatform(t *testing.T) {
	a := mustAnalyze(t, df(
		"ARG ARCH=arm64",
		"FROM --platform=$BUILDPLATFORM busybox AS build",
		"FROM --platform=linux/${ARCH} busybox AS arm",
		"FROM --platform=$TARGETPLATFORM busybox",
	), Options{})
	native := "linux/" + runtime.GOARCH
	for i, want := range []string{native, "linux/arm64", native} {
		if got := a.Stages[i].ForPlatform; got != want {
			t.Errorf("stage %d platform %q, want %q", i, got, want)
		}
	}
}

func TestForeignPlatformFindings(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip("the cases name amd64 as the daemon's platform")
	}
	a := mustAnalyze(t, df(
		"FROM --platform=linux/arm64 busybox AS arm",    // 1: no RUN, copied from: warning
		"FROM arm AS armrun",                            // 2: inherits arm64, RUNs: error
		"RUN true",                                      // 3
		"FROM --platform=linux/s390x busybox AS unused", // 4: never built: nothing
		"RUN true",                               // 5
		"FROM --platform=$BUILDPLATFORM busybox", // 6: native
		"RUN true",                               // 7
		"COPY --from=arm /bin/busybox /bb",       // 8
		"COPY --from=armrun /bin/busybox /bb2",   // 9
	), Options{})
	if got := a.Stages[1].ForPlatform; got != "linux/arm64" {
		t.Errorf("stage FROM arm: platform %q, want it inherited", got)
	}
	var got []string
	for _, f := range a.Findings {
		if f.Rule == RuleForeignPlatform {
			got = append(got, fmt.Sprintf("%d %s", f.Line, f.Severity))
		}
	}
	if want := []string{"1 warning", "2 error"}; !slices.Equal(got, want) {
		t.Fatalf("ForeignPlatform findings %v, want %v", got, want)
	}
}
