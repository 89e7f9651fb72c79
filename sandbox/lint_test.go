package sandbox

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestLintKey(t *testing.T) {
	dir := t.TempDir()
	req := Request{Dockerfile: []byte("FROM golang:1.22 AS build\n"), ContextDir: dir}
	needed := []ImageRef{{Ref: "golang:1.22", Line: 1}}
	pinned := map[string]string{"filename": "Dockerfile", "context:golang:1.22": "oci-layout://catalog@sha256:" + strings.Repeat("ab", 32)}
	base := lintKey(req, needed, pinned)
	if base == "" {
		t.Fatal("an image pinned by digest through a named context gave no key")
	}
	if again := lintKey(req, needed, pinned); again != base {
		t.Fatalf("the same inputs gave two keys: %s, %s", base, again)
	}
	if k := lintKey(req, needed, map[string]string{"filename": "Dockerfile"}); k != "" {
		t.Fatalf("an image left to its registry (a tag that may move) gave key %s, want none", k)
	}
	if k := lintKey(req, needed, map[string]string{"context:golang:1.22": "docker-image://golang:1.22"}); k != "" {
		t.Fatalf("a named context not pinned by digest gave key %s, want none", k)
	}
	other := req
	other.Dockerfile = []byte("FROM golang:1.22 as build\n")
	if lintKey(other, needed, pinned) == base {
		t.Fatal("another Dockerfile gave the same key")
	}
	withArg := map[string]string{"build-arg:X": "1"}
	for k, v := range pinned {
		withArg[k] = v
	}
	if lintKey(req, needed, withArg) == base {
		t.Fatal("a build arg did not change the key")
	}
	if err := os.WriteFile(filepath.Join(dir, ".dockerignore"), []byte("*.md\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if lintKey(req, needed, pinned) == base {
		t.Fatal("a .dockerignore did not change the key")
	}
	os.Remove(filepath.Join(dir, ".dockerignore"))
	if err := os.Symlink("/etc/hostname", filepath.Join(dir, ".dockerignore")); err != nil {
		t.Fatal(err)
	}
	if k := lintKey(req, needed, pinned); k != "" {
		t.Fatalf("a .dockerignore that links out of the context gave key %s, want none", k)
	}
}

// TestBuildLintsAlongside: a build that asks for lint answers what Lint answers, the second
// time from the cache, and a Dockerfile refused before the daemon sees it fails its lint too.
func TestBuildLintsAlongside(t *testing.T) {
	sb := testSandbox(t)
	ctx := context.Background()
	df := []byte("FROM scratch as base\nMAINTAINER someone\nLABEL stage=base\n\nFROM base\nLABEL test=" + t.Name() + "\n")
	req := Request{Dockerfile: df}
	want, failure, err := sb.Lint(ctx, req)
	if err != nil || failure != nil {
		t.Fatalf("lint: %v %+v", err, failure)
	}
	if len(want) < 2 {
		t.Fatalf("lint found %+v, want at least FromAsCasing and MaintainerDeprecated", want)
	}
	sb.lints.reset()
	for round := 0; round < 2; round++ {
		res, err := sb.Build(ctx, Request{Dockerfile: df, Lint: true})
		if err != nil || res.Failure != nil {
			t.Fatalf("round %d: %v %+v", round, err, res)
		}
		if res.LintFailure != nil || !reflect.DeepEqual(res.Lint, want) {
			t.Fatalf("round %d: build's lint = %+v (failure %+v), want %+v", round, res.Lint, res.LintFailure, want)
		}
		if round == 0 && len(sb.lints.m) != 1 {
			t.Fatalf("the lint of a Dockerfile with no external image was not kept: %d entries", len(sb.lints.m))
		}
	}

	refused := []byte("# syntax=example.com/frontend:1\nFROM scratch\n")
	res, err := sb.Build(ctx, Request{Dockerfile: refused, Lint: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Failure == nil || res.Failure.Kind != "frontend" || res.LintFailure == nil || res.LintFailure.Kind != "frontend" {
		t.Fatalf("an external frontend: failure %+v, lint failure %+v; want both refused", res.Failure, res.LintFailure)
	}
	if res.Lint != nil {
		t.Fatalf("a refused Dockerfile got lint findings %+v", res.Lint)
	}
}
