package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stagecraft/stagecraft/progress"
)

// attemptsOf counts a learner's attempts at go-multistage in the database of g.
func attemptsOf(t *testing.T, g *globalOptions, learner string) int {
	t.Helper()
	st, err := progress.Open(context.Background(), g.DB, progress.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a, err := st.Attempts(context.Background(), learner, "go-multistage")
	if err != nil {
		t.Fatal(err)
	}
	return len(a)
}

// resetOpts are the reset options on g's database, set by set.
func resetOpts(t *testing.T, g *globalOptions, set func(*resetOptions)) *resetOptions {
	t.Helper()
	o := newResetOptions(testFactory(t, g))
	set(o)
	return o
}

func TestResetNeedsConfirmation(t *testing.T) {
	ctx := context.Background()
	g, out, _ := progressEnv(t)
	seedProgress(t, g)
	notTTY := func() bool { return false }
	tty := func() bool { return true }

	// No terminal, no --yes: refused, nothing deleted.
	err := runReset(ctx, resetOpts(t, g, func(o *resetOptions) {
		o.Target = "go-multistage"
		o.Terminal = notTTY
		o.Outline = testProgressOutline
	}))
	var ex *exitError
	if !errors.As(err, &ex) || ex.code != exitUsage || !strings.Contains(err.Error(), "--yes") {
		t.Fatalf("reset without a terminal: %v", err)
	}
	if attemptsOf(t, g, "ann") != 1 {
		t.Fatal("a refused reset deleted progress")
	}

	// A terminal, answered no.
	g.In = strings.NewReader("n\n")
	if err := runReset(ctx, resetOpts(t, g, func(o *resetOptions) { o.Target = "go-multistage"; o.Terminal = tty; o.Outline = testProgressOutline })); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Reset the attempts of ann at exercise go-multistage? This cannot be undone. [y/N]") ||
		!strings.Contains(out.String(), "Nothing was reset.") || attemptsOf(t, g, "ann") != 1 {
		t.Fatalf("answered no: %s", out)
	}

	// A terminal, answered yes: ann's attempt goes, bob's stays.
	out.Reset()
	g.In = strings.NewReader("y\n")
	if err := runReset(ctx, resetOpts(t, g, func(o *resetOptions) { o.Target = "go-multistage"; o.Terminal = tty; o.Outline = testProgressOutline })); err != nil {
		t.Fatal(err)
	}
	if attemptsOf(t, g, "ann") != 0 || attemptsOf(t, g, "bob") != 1 || !strings.Contains(out.String(), "removed 1 record") {
		t.Fatalf("answered yes: %s", out)
	}
}

func TestResetLessonAndAll(t *testing.T) {
	ctx := context.Background()
	g, out, _ := progressEnv(t)
	seedProgress(t, g)
	if err := runReset(ctx, resetOpts(t, g, func(o *resetOptions) { o.Target = "why-images-grow"; o.Yes = true; o.Outline = testProgressOutline })); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "removed 5 records (1 reads, 1 completions, 1 quiz runs, 1 answers, 1 review cards, 0 attempts)") {
		t.Errorf("reset lesson said: %s", out)
	}
	out.Reset()
	if err := runReset(ctx, resetOpts(t, g, func(o *resetOptions) { o.All = true; o.Yes = true })); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "removed 1 record") || attemptsOf(t, g, "ann") != 0 {
		t.Errorf("reset --all said: %s", out)
	}
	out.Reset()
	if err := runReset(ctx, resetOpts(t, g, func(o *resetOptions) { o.All = true; o.Yes = true })); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Nothing to reset") {
		t.Errorf("second reset --all said: %s", out)
	}
}

func TestResetUnknownAndRemovedIDs(t *testing.T) {
	ctx := context.Background()
	g, out, _ := progressEnv(t)
	seedProgress(t, g)
	err := runReset(ctx, resetOpts(t, g, func(o *resetOptions) { o.Target = "no-such-thing"; o.Yes = true; o.Outline = testProgressOutline }))
	var ex *exitError
	if !errors.As(err, &ex) || ex.code != exitUsage {
		t.Errorf("unknown id: %v", err)
	}
	// An exercise no longer in the course, with progress kept under its id, can still be reset.
	empty := func() (progress.Outline, error) { return progress.Outline{}, nil }
	if err := runReset(ctx, resetOpts(t, g, func(o *resetOptions) { o.Target = "go-multistage"; o.Yes = true; o.Outline = empty })); err != nil {
		t.Fatal(err)
	}
	if attemptsOf(t, g, "ann") != 0 || !strings.Contains(out.String(), "removed 1 record") {
		t.Errorf("reset of a removed exercise: %s", out)
	}
}

func TestResetArguments(t *testing.T) {
	for _, args := range [][]string{{"reset"}, {"reset", "x", "--all"}, {"reset", "a", "b"}} {
		var out, errw bytes.Buffer
		root := newRootCmd(strings.NewReader(""), &out, &errw)
		root.SetArgs(append(args, "--db", t.TempDir()+"/p.db"))
		err := root.ExecuteContext(context.Background())
		var ex *exitError
		if !errors.As(err, &ex) || ex.code != exitUsage {
			t.Errorf("%v: %v", args, err)
		}
	}
}
