package check

import (
	"context"
	"testing"

	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/sandbox/check/spec"
	"github.com/stagecraft/stagecraft/sandbox/internal/sbtest"
)

// multiStageGo is the sandbox's own multi-stage Go Dockerfile (testdata/gohello).
const multiStageGo = `FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod main.go ./
RUN CGO_ENABLED=0 go build -o /hello .

FROM scratch
COPY --from=build /hello /hello
ENTRYPOINT ["/hello"]
`

// benchPlan is a go-multistage-like plan: static checks, then size, paths and user.
func benchPlan() Plan {
	two := 2
	return Plan{
		Exercise:   "bench",
		ContextDir: "../testdata/gohello",
		Checks: []spec.Check{
			{ID: "stages", Kind: spec.KindStageCount, Min: &two, Points: spec.Whole(1)},
			{ID: "named", Kind: spec.KindStageNamed, Name: "build", Points: spec.Whole(1)},
			{ID: "copy", Kind: spec.KindCopyFrom, Stage: "build", Points: spec.Whole(1)},
			{ID: "builds", Kind: spec.KindBuilds, Points: spec.Whole(1)},
			{ID: "size", Kind: spec.KindImageSize, Max: spec.Quantity{Raw: "20MB"}, Points: spec.Whole(1)},
			{ID: "no-go", Kind: spec.KindPathAbsent, Paths: []string{"/usr/local/go"}, Points: spec.Whole(1)},
		},
	}
}

// BenchmarkWarmCheck is the whole checker on an unchanged submission (static checks, lint,
// build, image checks).
func BenchmarkWarmCheck(b *testing.B) {
	sb := sbtest.CatalogSandbox(b)
	ctx := context.Background()
	plan := benchPlan()
	sub := Submission{Dockerfile: []byte(multiStageGo)}
	if rep, err := Run(ctx, sb, plan, sub, nil); err != nil || !rep.Passed {
		b.Fatalf("%v %+v", err, rep)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Run(ctx, sb, plan, sub, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFirstStaticFeedback is the time from asking for a check to the first feedback a
// learner sees: the static verdict, before any build starts. It needs no daemon.
func BenchmarkFirstStaticFeedback(b *testing.B) {
	sb := &sandbox.Sandbox{Endpoint: &sandbox.AddrEndpoint{Addr: "unix:///nonexistent/buildkitd.sock"}, Policy: sandbox.DefaultPolicy()}
	plan := benchPlan()
	sub := Submission{Dockerfile: []byte(multiStageGo)}
	for i := 0; i < b.N; i++ {
		ctx, cancel := context.WithCancel(context.Background())
		events := make(chan Event)
		done := make(chan struct{})
		go func() {
			defer close(done)
			Run(ctx, sb, plan, sub, events)
		}()
		for ev := range events {
			if ev.Static != nil {
				break
			}
		}
		cancel()
		go func() {
			for range events {
			}
		}()
		<-done
		close(events)
	}
}
