package sandbox

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkWarmRecheck: an unchanged multi-stage Dockerfile through the sandbox (build with
// export, image read, report), against BenchmarkBareSolve of the same Dockerfile on the same
// daemon. Compare the two with benchstat.
func BenchmarkWarmRecheck(b *testing.B) {
	sb := testCatalogSandbox(b)
	ctx := context.Background()
	req := Request{Dockerfile: []byte(multiStageGo), ContextDir: "testdata/gohello", Export: true}
	warm := func() {
		res, err := sb.Build(ctx, req)
		if err != nil || res.Failure != nil {
			b.Fatalf("%v %+v", err, res)
		}
		im, err := sb.OpenImage(res.Manifest)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ImageInfoOf(im, 10); err != nil {
			b.Fatal(err)
		}
	}
	warm()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		warm()
	}
}

// BenchmarkBareSolve is client.Solve of the same Dockerfile with the same named contexts, no
// policy, no export: the floor the sandbox is measured against. The whole warm check
// (sandbox/check's BenchmarkWarmCheck, run alongside on the same daemon) should stay within
// 1.5× of it: its lint runs beside its build, and an unchanged Dockerfile's lint is kept.
func BenchmarkBareSolve(b *testing.B) {
	sb := testCatalogSandbox(b)
	ctx := context.Background()
	req := Request{Dockerfile: []byte(multiStageGo), ContextDir: "testdata/gohello"}
	su, failure, err := sb.prepareSolve(ctx, &req)
	if err != nil || failure != nil {
		b.Fatalf("%v %+v", err, failure)
	}
	defer su.cleanup()
	c, err := sb.Client(ctx)
	if err != nil {
		b.Fatal(err)
	}
	opt := su.opt
	opt.FrontendAttrs = map[string]string{"filename": "Dockerfile"}
	for k, v := range su.opt.FrontendAttrs {
		if len(k) > 8 && k[:8] == "context:" {
			opt.FrontendAttrs[k] = v
		}
	}
	solve := func() {
		if _, err := c.Solve(ctx, nil, opt, nil); err != nil {
			b.Fatal(err)
		}
	}
	solve()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		solve()
	}
}

// BenchmarkFirstBuild builds a never-seen multi-stage Go server each iteration (the source
// changes, so go build really compiles) with the catalog already built: the learner's first
// check of an exercise.
func BenchmarkFirstBuild(b *testing.B) {
	sb := testCatalogSandbox(b)
	ctx := context.Background()
	src, err := os.ReadFile("testdata/gohello/main.go")
	if err != nil {
		b.Fatal(err)
	}
	// Warm the daemon's copy of the catalog image outside the timing.
	if res, err := sb.Build(ctx, Request{Dockerfile: []byte(multiStageGo), ContextDir: "testdata/gohello"}); err != nil || res.Failure != nil {
		b.Fatalf("%v %+v", err, res)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dir := b.TempDir()
		gomod, _ := os.ReadFile("testdata/gohello/go.mod")
		os.WriteFile(filepath.Join(dir, "go.mod"), gomod, 0o644)
		unique := fmt.Sprintf("%s\nconst buildID = %q\n", src, fmt.Sprint(time.Now().UnixNano(), i))
		os.WriteFile(filepath.Join(dir, "main.go"), []byte(unique), 0o644)
		b.StartTimer()
		res, err := sb.Build(ctx, Request{Dockerfile: []byte(multiStageGo), ContextDir: dir, Export: true})
		if err != nil || res.Failure != nil {
			b.Fatalf("%v %+v", err, res)
		}
	}
}
