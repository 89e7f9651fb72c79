package grade

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stagecraft/stagecraft/progress"
)

// A run stopped part way is shown as interrupted, with how many of its submissions were graded;
// a complete run shows no such line. The run goes through a real store, as `grade` and
// `grade show` use it.
func TestInterruptedRunShowsAsSuch(t *testing.T) {
	ctx := context.Background()
	st, err := progress.Open(ctx, filepath.Join(t.TempDir(), "progress.db"), progress.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sample := sampleRun()
	run := &Run{Schema: RunSchema, Exercise: "ex", Title: "An exercise", Checks: sample.Checks, Started: sample.Started, Submissions: 5}
	if err := StartRun(ctx, st, run, RunOptions{Source: "subs", Checks: run.Checks}); err != nil {
		t.Fatal(err)
	}
	// Two of the five were graded before the run was stopped.
	for _, r := range sample.Results[:2] {
		sr, err := StoredResult(r)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.RecordResult(ctx, run.UID, sr); err != nil {
			t.Fatal(err)
		}
	}
	show := func() (*Run, string) {
		t.Helper()
		gr, err := FindRun(ctx, st, "last", "")
		if err != nil {
			t.Fatal(err)
		}
		loaded, _, err := LoadRun(ctx, st, gr)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		WriteText(&b, loaded)
		return loaded, b.String()
	}
	if loaded, text := show(); loaded.Status != progress.RunRunning || !strings.Contains(text, "RUNNING") || !strings.Contains(text, "2 of 5 submissions graded") {
		t.Errorf("while running: status %q\n%s", loaded.Status, text)
	}

	run.Finished = run.Started.Add(time.Minute)
	if err := FinishRun(ctx, st, run, context.Canceled); err != nil {
		t.Fatal(err)
	}
	loaded, text := show()
	t.Logf("grade show of an interrupted run:\n%s", text)
	if loaded.Status != progress.RunInterrupted || loaded.Submissions != 5 {
		t.Errorf("status %q, %d submissions; want interrupted, 5", loaded.Status, loaded.Submissions)
	}
	for _, want := range []string{"INTERRUPTED", "2 of 5 submissions graded", "--regrade " + run.UID} {
		if !strings.Contains(text, want) {
			t.Errorf("grade show does not say %q:\n%s", want, text)
		}
	}
	var js bytes.Buffer
	if err := WriteJSON(&js, loaded); err != nil || !strings.Contains(js.String(), `"status": "interrupted"`) {
		t.Errorf("JSON output does not carry the status: %v\n%s", err, js.String())
	}

	// Re-graded to the end, the same run is complete and the line goes.
	run.Submissions = 5
	if err := ResumeRun(ctx, st, run); err != nil {
		t.Fatal(err)
	}
	if err := FinishRun(ctx, st, run, nil); err != nil {
		t.Fatal(err)
	}
	if loaded, text := show(); loaded.Status != progress.RunComplete || strings.Contains(text, "INTERRUPTED") || strings.Contains(text, "RUNNING") {
		t.Errorf("complete run: status %q\n%s", loaded.Status, text)
	}
}
