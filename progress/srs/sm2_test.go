package srs

import (
	"math"
	"testing"
	"time"
)

func TestSM2Intervals(t *testing.T) {
	var s SM2
	c := Card{}
	now := t0
	var ivls []int
	for range 5 {
		c = s.Next(c, Good, now)
		ivl := int(c.Due.Sub(now).Hours() / 24)
		ivls = append(ivls, ivl)
		now = c.Due
	}
	// Good is q=4: EF stays 2.5. Intervals 1, 6, ceil(6·2.5)=15, ceil(15·2.5)=38, ceil(38·2.5)=95.
	want := []int{1, 6, 15, 38, 95}
	for i := range want {
		if ivls[i] != want[i] {
			t.Fatalf("intervals %v, want %v", ivls, want)
		}
	}
	if c.Ease != 2.5 || c.Streak != 5 {
		t.Errorf("ease %v streak %d", c.Ease, c.Streak)
	}

	// Again resets the repetitions and keeps the E-Factor.
	c = s.Next(c, Again, now)
	if c.Streak != 0 || c.Interval != 1 || c.Ease != 2.5 || c.Lapses != 1 || c.State != Relearning {
		t.Errorf("after Again: %+v", c)
	}
	if !c.Due.Equal(now.AddDate(0, 0, 1)) {
		t.Errorf("due %v, want a day later", c.Due)
	}
}

func TestSM2Ease(t *testing.T) {
	var s SM2
	tests := []struct {
		r    Rating
		ease float64
	}{
		{Easy, 2.6},
		{Good, 2.5},
		{Hard, 2.36},
		{Again, 2.5},
	}
	for _, tt := range tests {
		c := s.Next(Card{}, tt.r, t0)
		if math.Abs(c.Ease-tt.ease) > 1e-9 {
			t.Errorf("%s: ease %v, want %v", tt.r, c.Ease, tt.ease)
		}
	}
	c := Card{Ease: 1.35, State: Review, Streak: 3, Interval: 10, LastReview: t0}
	if c = s.Next(c, Hard, t0.AddDate(0, 0, 10)); c.Ease != 1.3 {
		t.Errorf("ease floor: %v, want 1.3", c.Ease)
	}
}

func TestSM2Retrievability(t *testing.T) {
	var s SM2
	if s.Retrievability(Card{}, t0) != 0 {
		t.Error("unseen card should have R 0")
	}
	c := s.Next(Card{}, Good, t0)
	near(t, "R at due", s.Retrievability(c, c.Due), 0.9)
	near(t, "R two intervals later", s.Retrievability(c, c.Due.Add(24*time.Hour)), 0.81)
}

func TestRatingFor(t *testing.T) {
	tests := []struct {
		correct bool
		hints   int
		took    time.Duration
		typ     string
		want    Rating
	}{
		{false, 0, time.Second, "single", Again},
		{false, 2, time.Minute, "short", Again},
		{true, 1, time.Second, "single", Hard},
		{true, 0, 7 * time.Second, "single", Easy},
		{true, 0, 8 * time.Second, "single", Good},
		{true, 0, 14 * time.Second, "multiple", Easy},
		{true, 0, 6 * time.Second, "true_false", Good},
		{true, 0, 0, "single", Good},
		{true, 0, 11 * time.Second, "unknown-type", Easy},
	}
	for _, tt := range tests {
		if got := RatingFor(tt.correct, tt.hints, tt.took, tt.typ); got != tt.want {
			t.Errorf("RatingFor(%v, %d, %v, %q) = %v, want %v", tt.correct, tt.hints, tt.took, tt.typ, got, tt.want)
		}
	}
}
