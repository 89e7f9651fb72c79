package check

import (
	"strings"
	"testing"

	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/sandbox/check/spec"
)

func TestBaseFromArg(t *testing.T) {
	spec := spec.Check{ID: "base", Kind: spec.KindBaseFromArg, Stage: "build", Arg: "GO_VERSION", Other: "1.23", Points: spec.Whole(1)}
	tests := []struct {
		name, df string
		pass     bool
		says     string
		line     int
	}{
		{"from uses the arg", "ARG GO_VERSION=1.22\nFROM golang:${GO_VERSION}-alpine AS build\nARG GO_VERSION\n", true, "golang:1.23-alpine", 2},
		{"typed-out from beside a declared arg", "ARG GO_VERSION=1.22\nFROM golang:1.22-alpine AS build\nARG GO_VERSION\n", false, "would change nothing", 2},
		{"arg only inside the stage", "FROM golang:1.22-alpine AS build\nARG GO_VERSION=1.22\n", false, "inside a stage", 2},
		{"no arg at all", "FROM golang:1.22-alpine AS build\n", false, "no ARG GO_VERSION before the first FROM", 0},
		{"stage built from a stage that uses it", "ARG GO_VERSION=1.22\nFROM golang:${GO_VERSION} AS base\nFROM base AS build\n", true, "golang:1.23", 2},
		{"whole image in the arg", "ARG GO_VERSION=1.22\nARG IMAGE=golang:${GO_VERSION}-alpine\nFROM ${IMAGE} AS build\n", true, "golang:1.23-alpine", 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := sandbox.Request{Dockerfile: []byte(tc.df), Filename: "Dockerfile"}
			a, err := sandbox.Analyze(req)
			if err != nil {
				t.Fatal(err)
			}
			ok, detail, line := baseFromArg(spec, a, req)
			if ok != tc.pass || !strings.Contains(detail, tc.says) || line != tc.line {
				t.Errorf("got %v, %q, line %d; want %v, a message with %q, line %d", ok, detail, line, tc.pass, tc.says, tc.line)
			}
		})
	}
}
