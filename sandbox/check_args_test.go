package sandbox

import (
	"strings"
	"testing"
)

func TestBaseFromArg(t *testing.T) {
	spec := CheckSpec{ID: "base", Kind: KindBaseFromArg, Stage: "build", Arg: "GO_VERSION", Other: "1.23", Points: Whole(1)}
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
			req := Request{Dockerfile: []byte(tc.df), Filename: "Dockerfile"}
			a, err := Analyze(req)
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

func TestValidateNewKinds(t *testing.T) {
	write := "package main\n"
	bad := []struct {
		spec CheckSpec
		says string
	}{
		{CheckSpec{ID: "m", Kind: KindMutation, Edit: &EditSpec{Path: "a"}, BuildFails: true}, "exactly one of append and write"},
		{CheckSpec{ID: "m", Kind: KindMutation, Edit: &EditSpec{Path: "a", Write: &write}}, "build_fails: true, or cached/rebuilt"},
		{CheckSpec{ID: "m", Kind: KindMutation, Edit: &EditSpec{Path: "a", Append: "x"}, BuildFails: true, Rebuilt: []string{"go"}}, "not both"},
		{CheckSpec{ID: "m", Kind: KindMutation, Edit: &EditSpec{Path: "a", Append: "x"}, Rebuilt: []string{"("}}, "step pattern"},
		{CheckSpec{ID: "m", Kind: KindMutation, Edit: &EditSpec{Path: "a", Append: "x"}, Cached: []string{"go"}, LogContains: "x"}, "log_contains goes with build_fails"},
		{CheckSpec{ID: "b", Kind: KindBaseFromArg, Arg: "V"}, "needs arg"},
		{CheckSpec{ID: "c", Kind: KindContentLeak, Value: "v", File: "f"}, "value or file"},
		{CheckSpec{ID: "s", Kind: KindService}, "port"},
		{CheckSpec{ID: "s", Kind: KindService, Port: 80}, "requests, health: true or stop_within"},
		{CheckSpec{ID: "s", Kind: KindService, Port: 80, StopWithin: "soon"}, "invalid duration"},
		{CheckSpec{ID: "s", Kind: KindService, Port: 80, Requests: []HTTPProbe{{Path: "healthz"}}}, "must start with /"},
	}
	for _, tc := range bad {
		err := tc.spec.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%+v: got %v, want an error saying %q", tc.spec, err, tc.says)
		}
	}
	good := []CheckSpec{
		{ID: "m", Kind: KindMutation, Edit: &EditSpec{Path: "a", Write: &write}, BuildFails: true, LogContains: "FAIL"},
		{ID: "m", Kind: KindMutation, Edit: &EditSpec{Path: "go.mod", Append: "\n"}, Rebuilt: []string{"go mod download"}, Cached: []string{"apk"}},
		{ID: "b", Kind: KindBaseFromArg, Arg: "V", Other: "2"},
		{ID: "c", Kind: KindContentLeak, File: ".env"},
		{ID: "s", Kind: KindService, Port: 8080, Health: true, StopWithin: "5s", Requests: []HTTPProbe{{Path: "/"}}},
	}
	for _, c := range good {
		if err := c.Validate(); err != nil {
			t.Errorf("%+v: %v", c, err)
		}
	}
}
