package sandbox

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// prepare runs the sandbox's checks on a Dockerfile without a daemon: prepareSolve never
// contacts one. It returns the failure, or the frontend attributes of an admitted build.
func prepare(t *testing.T, pol Policy, req Request) (*Failure, map[string]string) {
	t.Helper()
	sb := &Sandbox{Endpoint: &AddrEndpoint{Addr: "unix:///nonexistent/buildkitd.sock"}, Policy: pol}
	su, f, err := sb.prepareSolve(context.Background(), &req)
	if err != nil {
		t.Fatalf("prepareSolve: %v", err)
	}
	if su != nil {
		defer su.cleanup()
		return f, su.opt.FrontendAttrs
	}
	return f, nil
}

func lines(ls ...string) []byte { return []byte(strings.Join(ls, "\n") + "\n") }

func TestAdmitRefusesFetches(t *testing.T) {
	pol := DefaultPolicy()
	for _, tt := range []struct {
		name string
		src  []byte
		args map[string]string
		line int
		msg  string
	}{
		{"https", lines("FROM busybox", "", "", "ADD https://example.com/app.tgz /app"), nil, 4,
			"the sandbox has no network: ADD https://example.com/app.tgz at line 4 would fetch from the network; copy the file into the build context instead"},
		{"loopback", lines("FROM busybox", "ADD http://127.0.0.1:8080/secret /s"), nil, 2,
			"ADD http://127.0.0.1:8080/secret at line 2 would fetch from the network"},
		{"via a build arg", lines("FROM busybox", "ARG SRC=notes.txt", "ADD $SRC /n"), map[string]string{"SRC": "http://169.254.169.254/latest/meta-data"}, 3,
			"ADD $SRC at line 3 would fetch from the network"},
		{"git", lines("FROM busybox", "ADD git@github.com:moby/buildkit.git /src"), nil, 2,
			"would clone a git repository from the network"},
		{"onbuild", lines("FROM busybox AS base", "ONBUILD ADD https://example.com/x /x", "FROM base"), nil, 2,
			"ONBUILD ADD https://example.com/x at line 2 would fetch"},
		{"a variable the file does not set", lines("FROM busybox", "ADD ${FROM_IMAGE_ENV} /x"), nil, 2,
			"cannot tell whether it fetches"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f, _ := prepare(t, pol, Request{Dockerfile: tt.src, BuildArgs: tt.args})
			if f == nil {
				t.Fatal("admitted")
			}
			if f.Kind != "network" || f.Line != tt.line || !strings.Contains(f.Message, tt.msg) {
				t.Fatalf("got %s at %d: %q; want network at %d: %q", f.Kind, f.Line, f.Message, tt.line, tt.msg)
			}
		})
	}
	// Paths of the build context are not fetches.
	if f, _ := prepare(t, pol, Request{Dockerfile: lines("FROM busybox", "ADD app.tgz /app/", "ADD ./dir/$X /d")}); f != nil {
		t.Fatalf("local ADD refused: %+v", f)
	}
}

func TestAdmitAllowFetch(t *testing.T) {
	pol := DefaultPolicy()
	// 192.0.2.0/24 is reserved for documentation: nothing is fetched, no name is resolved.
	pol.AllowFetch = []string{"https://192.0.2.10/files/", "http://127.0.0.1:8080/", "http://localhost/",
		"http://169.254.169.254/", "http://[::1]/", "http://0.0.0.0/", "https://192.0.2.20", "http://[::ffff:127.0.0.1]/",
		"http://2130706433/", "http://[fe80::1%25eth0]/"}
	admitted := []string{"https://192.0.2.10/files/a.tgz", "https://192.0.2.20/x", "https://192.0.2.20"}
	refused := map[string]string{
		"https://192.0.2.10/other":          "would fetch from the network",
		"https://192.0.2.200/x":             "would fetch from the network", // a prefix ends at a boundary
		"http://127.0.0.1:8080/secret":      "on 127.0.0.1;",
		"http://localhost/secret":           "localhost (",
		"http://169.254.169.254/latest/x":   "on 169.254.169.254;",
		"http://[::1]/x":                    "on ::1;",
		"http://0.0.0.0/x":                  "on 0.0.0.0;",
		"https://192.0.2.10/files/../a.tgz": "", // admitted: the host is what counts
	}
	for _, u := range admitted {
		if f, attrs := prepare(t, pol, Request{Dockerfile: lines("FROM busybox", "ADD "+u+" /x")}); f != nil || attrs == nil {
			t.Errorf("%s: refused although allowed: %+v", u, f)
		}
	}
	for u, msg := range refused {
		f, _ := prepare(t, pol, Request{Dockerfile: lines("FROM busybox", "ADD "+u+" /x")})
		if msg == "" {
			if f != nil {
				t.Errorf("%s: refused: %+v", u, f)
			}
			continue
		}
		if f == nil || f.Kind != "network" || f.Line != 2 || !strings.Contains(f.Message, msg) {
			t.Errorf("%s: got %+v, want a network refusal saying %q", u, f, msg)
		}
	}
}

func TestAdmitCacheIDs(t *testing.T) {
	pol := DefaultPolicy()
	for id, ok := range map[string]bool{"gomod": true, "go/mod": true, "a..b": true, "../other": false,
		"/abs": false, "x/../../y": false, "..": false} {
		src := lines("FROM busybox", "RUN --mount=type=cache,id="+id+",target=/c true")
		f, _ := prepare(t, pol, Request{Dockerfile: src})
		if ok && f != nil {
			t.Errorf("id=%s refused: %+v", id, f)
		}
		if !ok && (f == nil || f.Kind != "cache" || f.Line != 2 || !strings.Contains(f.Message, "id="+id)) {
			t.Errorf("id=%s: got %+v, want a cache refusal at line 2", id, f)
		}
	}
	// Expanded first, as BuildKit does.
	src := lines("FROM busybox", "ARG ID=../../x", "RUN --mount=type=cache,id=$ID,target=/c true")
	if f, _ := prepare(t, pol, Request{Dockerfile: src}); f == nil || !strings.Contains(f.Message, "id=$ID (../../x)") {
		t.Errorf("an ARG id: got %+v", f)
	}
}

func TestAdmitCacheNamespacePerTenant(t *testing.T) {
	src := lines("FROM busybox", "RUN --mount=type=cache,target=/c true")
	ns := func(tenant string, args map[string]string) string {
		_, attrs := prepare(t, DefaultPolicy(), Request{Dockerfile: src, Tenant: tenant, BuildArgs: args})
		return attrs["build-arg:BUILDKIT_CACHE_MOUNT_NS"]
	}
	a, b := ns("alice", nil), ns("bob", nil)
	if a == "" || a == b || a != ns("alice", nil) || ns("", nil) == a {
		t.Fatalf("namespaces: alice %q, bob %q, none %q", a, b, ns("", nil))
	}
	if strings.Contains(a, "alice") || strings.ContainsAny(a, "/.") {
		t.Errorf("namespace %q shows the tenant or has path characters", a)
	}
	// A build arg cannot pick another tenant's namespace, nor a frontend image.
	_, attrs := prepare(t, DefaultPolicy(), Request{Dockerfile: src, Tenant: "alice",
		BuildArgs: map[string]string{"BUILDKIT_CACHE_MOUNT_NS": b, "BUILDKIT_SYNTAX": "example.com/evil"}})
	if attrs["build-arg:BUILDKIT_CACHE_MOUNT_NS"] != a {
		t.Errorf("a build arg overrode the namespace: %q", attrs["build-arg:BUILDKIT_CACHE_MOUNT_NS"])
	}
	if _, ok := attrs["build-arg:BUILDKIT_SYNTAX"]; ok {
		t.Error("BUILDKIT_SYNTAX reached the frontend")
	}
	if _, ok := attrs["cmdline"]; !ok {
		t.Error("cmdline is not set: the frontend may forward to a # syntax= image")
	}
}

func TestAdmitSyntax(t *testing.T) {
	for _, s := range []string{"docker/dockerfile:1", "docker/dockerfile:1.7-labs", "docker.io/docker/dockerfile-upstream:1.12.0"} {
		f, attrs := prepare(t, DefaultPolicy(), Request{Dockerfile: lines("# syntax="+s, "FROM busybox")})
		if f != nil || attrs == nil {
			t.Errorf("%s: refused: %+v", s, f)
		}
	}
	for _, src := range [][]byte{lines("# syntax=example.com/frontend:1", "FROM busybox"), lines("#syntax = docker/dockerfile:2", "FROM busybox")} {
		f, _ := prepare(t, DefaultPolicy(), Request{Dockerfile: src})
		if f == nil || f.Kind != "frontend" || f.Line != 1 || !strings.Contains(f.Message, "external frontend image") {
			t.Errorf("%q: got %+v, want a frontend refusal at line 1", src, f)
		}
	}
}

func TestAdmitPlatforms(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip("the cases name amd64 as the daemon's platform")
	}
	pol := DefaultPolicy()
	refused := map[string]int{ // Dockerfile → line of the refused stage
		string(lines("FROM --platform=linux/arm64 busybox", "RUN true")):                                         1,
		string(lines("ARG P=linux/arm64/v8", "FROM busybox AS a", "FROM --platform=$P busybox", "RUN uname -m")): 3,
		string(lines("FROM --platform=linux/arm64 busybox AS a", "FROM a", "RUN true")):                          2,
	}
	for src, line := range refused {
		f, _ := prepare(t, pol, Request{Dockerfile: []byte(src)})
		if f == nil || f.Kind != "platform" || f.Line != line || !strings.Contains(f.Message, "would need emulation") ||
			!strings.Contains(f.Hint, "$BUILDPLATFORM") {
			t.Errorf("%q: got %+v, want a platform refusal at line %d", src, f, line)
		}
	}
	admitted := []string{
		string(lines("FROM --platform=$BUILDPLATFORM busybox AS build", "ARG TARGETARCH", "RUN echo $TARGETARCH", "FROM --platform=$TARGETPLATFORM busybox", "COPY --from=build / /x")),
		string(lines("FROM --platform=linux/arm64 busybox", "COPY a /a")),                          // nothing runs
		string(lines("FROM --platform=linux/386 busybox", "RUN true")),                             // amd64 runs 386
		string(lines("FROM --platform=linux/arm64 busybox AS unused", "RUN true", "FROM busybox")), // never built
	}
	for _, src := range admitted {
		if f, _ := prepare(t, pol, Request{Dockerfile: []byte(src)}); f != nil {
			t.Errorf("%q: refused: %+v", src, f)
		}
	}
}

func TestAdmitInstructionCap(t *testing.T) {
	var b strings.Builder
	b.WriteString("FROM busybox\n")
	for i := 0; i < 20000; i++ {
		fmt.Fprintf(&b, "RUN echo %d\n", i)
	}
	start := time.Now()
	f, _ := prepare(t, DefaultPolicy(), Request{Dockerfile: []byte(b.String())})
	t.Logf("a 20,000-step Dockerfile refused in %s", time.Since(start))
	if f == nil || f.Kind != "limit" || f.Line != DefaultMaxInstructions+1 ||
		!strings.Contains(f.Message, fmt.Sprintf("more than %d instructions", DefaultMaxInstructions)) ||
		!strings.Contains(f.Message, fmt.Sprintf("line %d", DefaultMaxInstructions+1)) {
		t.Fatalf("got %+v, want a limit refusal naming the limit and line %d", f, DefaultMaxInstructions+1)
	}
	pol := DefaultPolicy()
	pol.MaxInstructions = 0 // no cap
	if f, _ := prepare(t, pol, Request{Dockerfile: []byte(b.String())}); f != nil {
		t.Fatalf("uncapped: %+v", f)
	}
}

func TestAdmitLocalRegistries(t *testing.T) {
	pol := DefaultPolicy()
	for src, line := range map[string]int{
		"FROM 127.0.0.1:5000/app\n":                                    1,
		"FROM localhost/app:1\n":                                       1,
		"ARG REG=169.254.169.254\nFROM ${REG}/x\n":                     2,
		"FROM busybox\nCOPY --from=[::1]:5000/tools /t /t\n":           2,
		"FROM busybox\nRUN --mount=from=0.0.0.0:80/x,target=/x true\n": 2,
	} {
		f, _ := prepare(t, pol, Request{Dockerfile: []byte(src)})
		if f == nil || f.Kind != "image" || f.Line != line || !strings.Contains(f.Message, "never fetches from the daemon's own machine") {
			t.Errorf("%q: got %+v, want an image refusal at line %d", src, f, line)
		}
	}
	for _, src := range []string{"FROM golang:1.22-alpine\n", "FROM gcr.io/distroless/static-debian12\n", "FROM registry.example.com:5000/app\n", "FROM localhostx/app\n"} {
		if f, _ := prepare(t, pol, Request{Dockerfile: []byte(src)}); f != nil {
			t.Errorf("%q refused: %+v", src, f)
		}
	}
}
