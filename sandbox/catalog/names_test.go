package catalog

import "testing"

func TestMatch(t *testing.T) {
	tests := []struct {
		ref  string
		want string // "" = not in the catalog
	}{
		{"golang", Golang},
		{"golang:1.22", Golang},
		{"golang:1.23-alpine", Golang},
		{"golang:1.22-alpine3.20", Golang},
		{"golang:1.24-bookworm", Golang},
		{"golang:latest", Golang},
		{"docker.io/library/golang", Golang},
		{"docker.io/library/golang:1.22", Golang},
		{"index.docker.io/library/golang:1.22", Golang},
		{"docker.io/golang:1.22", Golang},
		{"library/golang", Golang},
		{"golang@sha256:0000000000000000000000000000000000000000000000000000000000000000", Golang},
		{"golang:1.22@sha256:0000000000000000000000000000000000000000000000000000000000000000", Golang},
		{"  golang:1.22 ", Golang},
		{"busybox", Busybox},
		{"busybox:1.36-musl", Busybox},
		{"alpine", Alpine},
		{"alpine:3.20", Alpine},
		{"docker.io/library/alpine:edge", Alpine},
		{"gcr.io/distroless/static", Static},
		{"gcr.io/distroless/static:latest", Static},
		{"gcr.io/distroless/static-debian11", Static},
		{"gcr.io/distroless/static-debian12", Static},
		{"gcr.io/distroless/static-debian12:debug", Static},
		{"gcr.io/distroless/base", Base},
		{"gcr.io/distroless/base-debian12", Base},
		{"gcr.io/distroless/base-nossl-debian12", Base},
		{"gcr.io/distroless/cc", Base},
		{"gcr.io/distroless/cc-debian12", Base},
		{"gcr.io/distroless/cc-debian12:nonroot", BaseNonroot},
		{"debian:bookworm-slim", DebianSlim},
		{"debian:12-slim", DebianSlim},
		{"docker.io/library/debian:stable-slim", DebianSlim},
		{"node", Node},
		{"node:20", Node},
		{"node:20-alpine", Node},
		{"node:22-slim", Node},
		{"node:20.11-bookworm-slim", Node},
		{"docker.io/library/node:lts", Node},
		{"gcr.io/distroless/nodejs", Nodejs},
		{"gcr.io/distroless/nodejs20-debian12", Nodejs},
		{"gcr.io/distroless/nodejs22-debian12:nonroot", Nodejs},
		{"python", Python},
		{"python:3.11-slim", Python},
		{"python:3.12-alpine", Python},
		{"docker.io/library/python:3.11", Python},
		{"gcr.io/distroless/static:nonroot", StaticNonroot},
		{"gcr.io/distroless/static-debian12:nonroot", StaticNonroot},
		{"gcr.io/distroless/static-debian12:debug-nonroot", StaticNonroot},
		{"gcr.io/distroless/base-debian12:nonroot", BaseNonroot},
		{"scratch", Scratch},
		// Not in the catalog.
		{"ghcr.io/nodejs/node:20", ""},
		{"debian", ""},
		{"ubuntu", ""},
		{"ubuntu:24.04", ""},
		{"pypy:3.10", ""},
		{"gcr.io/distroless/java17", ""},
		{"gcr.io/other/static", ""},
		{"ghcr.io/library/golang", ""},
		{"myregistry.example.com/golang:1.22", ""},
		{"golangci/golangci-lint", ""},
		{"golang-builder", ""},
		{"Golang:1.22", ""}, // invalid reference (upper case)
		{"golang:${GO_VERSION}", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, ok := match(tt.ref)
		if ok != (tt.want != "") || got != tt.want {
			t.Errorf("match(%q) = %q, %v; want %q", tt.ref, got, ok, tt.want)
		}
	}
}

func TestContextKey(t *testing.T) {
	tests := []struct{ ref, want string }{
		{"golang", "context:golang"},
		{"golang:latest", "context:golang"},
		{"docker.io/library/golang", "context:golang"},
		{"golang:1.22-alpine", "context:golang:1.22-alpine"},
		{"docker.io/library/golang:1.22", "context:golang:1.22"},
		{"gcr.io/distroless/static-debian12:nonroot", "context:gcr.io/distroless/static-debian12:nonroot"},
		{"golang@sha256:0000000000000000000000000000000000000000000000000000000000000000", "context:golang@sha256:0000000000000000000000000000000000000000000000000000000000000000"},
	}
	for _, tt := range tests {
		got, err := ContextKey(tt.ref)
		if err != nil || got != tt.want {
			t.Errorf("ContextKey(%q) = %q, %v; want %q", tt.ref, got, err, tt.want)
		}
	}
	if _, err := ContextKey("golang:${V}"); err == nil {
		t.Error("ContextKey accepted an unexpanded ARG")
	}
}

func TestResolveUnbuilt(t *testing.T) {
	c := Open(t.TempDir())
	e, ok := c.Resolve("golang:1.22-alpine")
	if !ok || e.Name != Golang || e.Built || e.Context() != "" {
		t.Errorf("Resolve on an empty catalog = %+v, %v", e, ok)
	}
	if _, ok := c.Resolve("debian:12"); ok {
		t.Error("debian:12 resolved")
	}
	e, ok = c.Resolve("scratch")
	if !ok || !e.BuiltIn || e.Context() != "" {
		t.Errorf("scratch = %+v", e)
	}
	if n := len(c.NamedContexts([]string{"golang", "scratch"})); n != 0 {
		t.Errorf("%d named contexts from an unbuilt catalog", n)
	}
}
