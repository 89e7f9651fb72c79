package study

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/stagecraft/stagecraft/progress"
	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/sandbox/check"
	"github.com/stagecraft/stagecraft/sandbox/check/spec"
)

func TestExercisePlanMaterialisesTheContext(t *testing.T) {
	s, _, _ := newService(t)
	if _, err := s.ExercisePlan("go-multistag"); err == nil || !errors.As(err, new(*InputError)) {
		t.Fatalf("unknown exercise: %v", err)
	}
	p, err := s.ExercisePlan("go-multistage")
	if err != nil {
		t.Fatal(err)
	}
	if p.Exercise != "go-multistage" || len(p.Checks) == 0 || len(p.Starter) == 0 || len(p.Reference) == 0 {
		t.Fatalf("plan = %+v", p)
	}
	if p.ContextDir == "" {
		t.Skip("go-multistage has no context")
	}
	entries, err := os.ReadDir(p.ContextDir)
	if err != nil || len(entries) == 0 {
		t.Fatalf("context %s: %v, %v", p.ContextDir, entries, err)
	}
	again, err := s.ExercisePlan("go-multistage")
	if err != nil || again.ContextDir != p.ContextDir {
		t.Fatalf("the same context is materialised twice: %s, %s (%v)", p.ContextDir, again.ContextDir, err)
	}
}

// An attempt is kept the same from both faces: gradable as the report says, the build's duration.
func TestRecordAttemptAndLastReport(t *testing.T) {
	ctx := context.Background()
	s, st, clk := newService(t)
	pass := &check.Report{Schema: check.ReportSchema, Exercise: "go-multistage", Passed: true, Gradable: true,
		Score: spec.Whole(9), MaxScore: spec.Whole(10), Build: &sandbox.BuildInfo{DurationMS: 1500}, Image: &sandbox.ImageInfo{SizeBytes: 7 << 20}}
	if err := s.RecordAttempt(ctx, []byte("FROM scratch\n"), pass); err != nil {
		t.Fatal(err)
	}
	clk.now = t0.Add(time.Minute)
	fault := &check.Report{Schema: check.ReportSchema, Exercise: "go-multistage", Error: "BuildKit went away"}
	if err := s.RecordAttempt(ctx, []byte("FROM busybox\n"), fault); err != nil {
		t.Fatal(err)
	}
	atts, err := st.Attempts(ctx, "ada", "go-multistage")
	if err != nil || len(atts) != 2 {
		t.Fatalf("attempts: %+v, %v", atts, err)
	}
	a := atts[0]
	if !a.Gradable || !a.Passed || a.Duration != 1500*time.Millisecond || a.ImageSize != 7<<20 || a.Score != progress.Points(spec.Whole(9)) || !a.At.Equal(t0) {
		t.Fatalf("attempt = %+v", a)
	}
	if atts[1].Gradable {
		t.Fatal("an environment fault was recorded as gradable")
	}
	rep, at, df, ok := s.LastReport(ctx, "go-multistage")
	if !ok || !rep.Passed || !at.Equal(t0) || string(df) != "FROM scratch\n" {
		t.Fatalf("last report: %+v at %v of %q", rep, at, df)
	}
}
