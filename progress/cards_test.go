package progress

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/stagecraft/stagecraft/progress/srs"
)

func TestCardIntervalsGrowThenResetThroughStore(t *testing.T) {
	ctx := context.Background()
	for _, sched := range []srs.Scheduler{srs.NewFSRS(), srs.SM2{}} {
		t.Run(sched.Name(), func(t *testing.T) {
			s, err := Open(ctx, t.TempDir()+"/p.db", Options{Scheduler: sched})
			mustNil(t, err)
			defer s.Close()
			now := t0
			prev := time.Duration(0)
			for i := range 4 {
				c, err := s.RecordAnswer(ctx, "ann", Answer{Question: "q1", Correct: true, Rating: srs.Good, At: now})
				mustNil(t, err)
				ivl := c.Due.Sub(now)
				if ivl <= prev {
					t.Fatalf("answer %d: interval %v did not grow from %v", i+1, ivl, prev)
				}
				prev, now = ivl, c.Due
			}
			c, err := s.RecordAnswer(ctx, "ann", Answer{Question: "q1", Correct: false, At: now})
			mustNil(t, err)
			if ivl := c.Due.Sub(now); ivl > 24*time.Hour || c.Lapses != 1 || c.Scheduler != sched.Name() {
				t.Errorf("after a wrong answer: interval %v, lapses %d, scheduler %s", ivl, c.Lapses, c.Scheduler)
			}
			stored, _, err := s.Card(ctx, "ann", "q1")
			mustNil(t, err)
			if !sameCard(stored, c) {
				t.Errorf("stored card differs:\n%+v\n%+v", stored, c)
			}
		})
	}
}

func TestAnswerMapsToRating(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	cases := []struct {
		a    Answer
		want srs.Rating
	}{
		{Answer{Question: "wrong", Correct: false, Took: time.Second, QuestionType: "single"}, srs.Again},
		{Answer{Question: "hinted", Correct: true, HintsUsed: 1, QuestionType: "single"}, srs.Hard},
		{Answer{Question: "slow", Correct: true, Took: 30 * time.Second, QuestionType: "single"}, srs.Good},
		{Answer{Question: "fast", Correct: true, Took: 3 * time.Second, QuestionType: "single"}, srs.Easy},
	}
	for _, c := range cases {
		c.a.At = t0
		card, err := s.RecordAnswer(ctx, "ann", c.a)
		mustNil(t, err)
		want := srs.NewFSRS().Next(srs.Card{}, c.want, t0)
		if card.Stability != want.Stability {
			t.Errorf("%s: card stability %v, want %v (%s)", c.a.Question, card.Stability, want.Stability, c.want)
		}
		got, _ := s.Answers(ctx, "ann", c.a.Question)
		if len(got) != 1 || got[0].Rating != c.want {
			t.Errorf("%s: stored rating %v, want %v", c.a.Question, got, c.want)
		}
	}
}

func TestDueQueueOrderAndCounts(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	// Due dates: q-easy in 16 days, q-good in 3, q-hard in 1, q-again in 10 minutes.
	for _, a := range []struct {
		q string
		r srs.Rating
	}{{"q-easy", srs.Easy}, {"q-good", srs.Good}, {"q-hard", srs.Hard}, {"q-again", srs.Again}} {
		_, err := s.RecordAnswer(ctx, "ann", Answer{Question: a.q, Rating: a.r, At: t0})
		mustNil(t, err)
	}
	_, err := s.RecordAnswer(ctx, "bob", Answer{Question: "q-again", Rating: srs.Again, At: t0})
	mustNil(t, err)

	ids := func(cs []ReviewCard) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Question)
		}
		return out
	}
	due, err := s.DueCards(ctx, "ann", t0.Add(5*time.Minute), 10)
	mustNil(t, err)
	if len(due) != 0 {
		t.Errorf("nothing is due after 5 minutes, got %v", ids(due))
	}
	later := t0.AddDate(0, 0, 4)
	due, err = s.DueCards(ctx, "ann", later, 10)
	mustNil(t, err)
	if got := ids(due); len(got) != 3 || got[0] != "q-again" || got[1] != "q-hard" || got[2] != "q-good" {
		t.Errorf("due queue %v, want most overdue first: q-again q-hard q-good", got)
	}
	due, err = s.DueCards(ctx, "ann", later, 2)
	mustNil(t, err)
	if len(due) != 2 {
		t.Errorf("limit 2 gave %d", len(due))
	}
	// At 09:00 on day 0: q-again is due today (09:10); q-hard is due tomorrow at 09:00.
	counts, err := s.DueCounts(ctx, "ann", t0)
	mustNil(t, err)
	if counts != (DueCounts{Now: 0, Today: 1, Tomorrow: 1}) {
		t.Errorf("counts at t0: %+v", counts)
	}
	counts, err = s.DueCounts(ctx, "ann", later)
	mustNil(t, err)
	if counts != (DueCounts{Now: 3, Today: 3, Tomorrow: 0}) {
		t.Errorf("counts four days later: %+v", counts)
	}
	if due, _ := s.DueCards(ctx, "nobody", later, 10); len(due) != 0 {
		t.Errorf("an unknown learner has due cards: %v", due)
	}
}

func TestChangedQuestionResetsCard(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	now := t0
	var c ReviewCard
	var err error
	for range 3 {
		c, err = s.RecordAnswer(ctx, "ann", Answer{Question: "q1", ContentHash: "v1", Rating: srs.Good, At: now})
		mustNil(t, err)
		now = c.Due
	}
	if c.Reps != 3 {
		t.Fatalf("reps %d", c.Reps)
	}
	// The question was rewritten: the next answer starts a new card, flagged.
	c, err = s.RecordAnswer(ctx, "ann", Answer{Question: "q1", ContentHash: "v2", Rating: srs.Good, At: now})
	mustNil(t, err)
	fresh := srs.NewFSRS().Next(srs.Card{}, srs.Good, now)
	if c.Reps != 1 || c.Stability != fresh.Stability || c.ContentHash != "v2" || !c.Changed.Equal(now) {
		t.Errorf("card after the content changed: %+v", c)
	}
	answers, _ := s.Answers(ctx, "ann", "q1")
	if len(answers) != 4 || answers[0].ContentHash != "v1" || answers[3].ContentHash != "v2" {
		t.Errorf("answers keep the hash they were given on: %+v", answers)
	}

	// SyncQuestions resets cards of changed questions for every learner without an answer.
	_, err = s.RecordAnswer(ctx, "bob", Answer{Question: "q1", ContentHash: "v2", Rating: srs.Easy, At: now})
	mustNil(t, err)
	_, err = s.RecordAnswer(ctx, "bob", Answer{Question: "q2", ContentHash: "x", Rating: srs.Easy, At: now})
	mustNil(t, err)
	n, err := s.SyncQuestions(ctx, map[string]string{"q1": "v3", "q2": "x", "q3": "new"}, now)
	mustNil(t, err)
	if n != 2 {
		t.Errorf("SyncQuestions reset %d cards, want 2 (ann's and bob's q1)", n)
	}
	c, _, _ = s.Card(ctx, "bob", "q1")
	if c.State != srs.New || c.Reps != 0 || c.ContentHash != "v3" || !c.Changed.Equal(now) || !c.Due.Equal(now) {
		t.Errorf("bob's q1 after sync: %+v", c)
	}
	if c, _, _ := s.Card(ctx, "bob", "q2"); c.Reps != 1 {
		t.Errorf("an unchanged question was reset: %+v", c)
	}
	m, err := s.Mastery(ctx, "bob", map[string][]string{"all": {"q1", "q2"}}, now)
	mustNil(t, err)
	if m["all"].Seen != 1 || m["all"].Total != 2 {
		t.Errorf("a reset card counts as unseen: %+v", m["all"])
	}
}

func TestMastery(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	_, err := s.RecordAnswer(ctx, "ann", Answer{Question: "a", Rating: srs.Good, At: t0})
	mustNil(t, err)
	_, err = s.RecordAnswer(ctx, "ann", Answer{Question: "b", Rating: srs.Easy, At: t0})
	mustNil(t, err)
	at := t0.AddDate(0, 0, 3)
	f := srs.NewFSRS()
	ra := f.Retrievability(f.Next(srs.Card{}, srs.Good, t0), at)
	rb := f.Retrievability(f.Next(srs.Card{}, srs.Easy, t0), at)
	m, err := s.Mastery(ctx, "ann", map[string][]string{
		"lesson-1": {"a", "b"},
		"lesson-2": {"a", "b", "unseen-1", "unseen-2"},
		"empty":    nil,
	}, at)
	mustNil(t, err)
	if got := m["lesson-1"]; math.Abs(got.Recall-(ra+rb)/2) > 1e-12 || got.Seen != 2 || got.Total != 2 {
		t.Errorf("lesson-1: %+v, want recall %v", got, (ra+rb)/2)
	}
	if got := m["lesson-2"]; math.Abs(got.Recall-(ra+rb)/4) > 1e-12 || got.Seen != 2 || got.Total != 4 {
		t.Errorf("lesson-2 (unseen count as 0): %+v", got)
	}
	if got := m["empty"]; got.Total != 0 || got.Recall != 0 {
		t.Errorf("empty: %+v", got)
	}
	m, err = s.Mastery(ctx, "nobody", map[string][]string{"x": {"a"}}, at)
	mustNil(t, err)
	if m["x"].Recall != 0 || m["x"].Total != 1 {
		t.Errorf("unknown learner: %+v", m["x"])
	}
}
