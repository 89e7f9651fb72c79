package progress

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/stagecraft/stagecraft/progress/srs"
)

// A lesson's quiz answered 6 right and 3 wrong: its recall right after is 6/9, not 100%. The
// wrong ones count again once answered right.
func TestRecallReflectsWrongAnswers(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	var qs []string
	for i := range 9 {
		q := fmt.Sprintf("q%d", i)
		qs = append(qs, q)
		_, err := s.RecordAnswer(ctx, "ann", Answer{Question: q, Correct: i >= 3, Took: 5 * time.Second, At: t0})
		mustNil(t, err)
	}
	now := t0.Add(time.Minute)
	m, err := s.Mastery(ctx, "ann", map[string][]string{"lesson": qs}, now)
	mustNil(t, err)
	f := srs.NewFSRS()
	var right float64
	for i := 3; i < 9; i++ {
		c, _, err := s.Card(ctx, "ann", qs[i])
		mustNil(t, err)
		right += f.Retrievability(c.Card, now)
	}
	if got := m["lesson"]; math.Abs(got.Recall-right/9) > 1e-12 || got.Seen != 9 || got.Total != 9 {
		t.Errorf("after 6 right and 3 wrong: %+v, want recall %.4f (the wrong ones count 0), 9 seen", got, right/9)
	}
	if m["lesson"].Recall > 0.7 {
		t.Errorf("recall %.0f%% right after 3 of 9 wrong answers", m["lesson"].Recall*100)
	}

	// q0 answered right a minute later counts again; q1 wrong twice stays at 0.
	_, err = s.RecordAnswer(ctx, "ann", Answer{Question: "q0", Correct: true, Took: 5 * time.Second, At: now})
	mustNil(t, err)
	_, err = s.RecordAnswer(ctx, "ann", Answer{Question: "q1", Correct: false, At: now})
	mustNil(t, err)
	later := now.Add(time.Minute)
	m, err = s.Mastery(ctx, "ann", map[string][]string{"q0": {"q0"}, "q1": {"q1"}}, later)
	mustNil(t, err)
	if got := m["q0"].Recall; got < 0.9 {
		t.Errorf("q0 answered right after a wrong answer: recall %v, want the curve's (near 1)", got)
	}
	if got := m["q1"]; got.Recall != 0 || got.Seen != 1 {
		t.Errorf("q1 answered wrong twice: %+v, want recall 0, seen", got)
	}

	// The progress summary reads the same recall.
	o := Outline{Modules: []OutlineModule{{ID: "m", Lessons: []OutlineLesson{{ID: "lesson", QuestionIDs: qs}}}}}
	sum, err := s.Summary(ctx, "ann", o, later)
	mustNil(t, err)
	if len(sum.Modules) != 1 || len(sum.Modules[0].Lessons) != 1 {
		t.Fatalf("summary: %+v", sum.Modules)
	}
	if got := sum.Modules[0].Lessons[0].Mastery; got.Recall >= 0.8 || got.Recall < 0.6 || got.Seen != 9 {
		t.Errorf("summary: %+v, want the lesson's recall near 7/9 (q1 and two others still wrong)", got)
	}
}
