package srs

import (
	"math"
	"testing"
	"time"
)

var t0 = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

func near(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-6*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %.10g, want %.10g", what, got, want)
	}
}

// The expected values below were computed by hand (a Python transcription of the formulas in
// the FSRS-5 wiki page, with the default weights), not by this package.

func TestFSRSInitialState(t *testing.T) {
	f := NewFSRS()
	tests := []struct {
		r        Rating
		s, d     float64
		ivl      int
		relearns bool
	}{
		{Again, 0.40255, 7.1949, 0, true},
		{Hard, 1.18385, 6.488305268471453, 1, false},
		{Good, 3.173, 5.282434422319005, 3, false},
		{Easy, 15.69105, 3.2245015893713678, 16, false},
	}
	for _, tt := range tests {
		c := f.Next(Card{}, tt.r, t0)
		near(t, tt.r.String()+" S0", c.Stability, tt.s)
		near(t, tt.r.String()+" D0", c.Difficulty, tt.d)
		if c.Reps != 1 || !c.LastReview.Equal(t0) {
			t.Errorf("%s: reps %d last %v", tt.r, c.Reps, c.LastReview)
		}
		if tt.relearns {
			if c.State != Learning || !c.Due.Equal(t0.Add(10*time.Minute)) {
				t.Errorf("%s: state %v due %v, want learning in 10m", tt.r, c.State, c.Due)
			}
			continue
		}
		if c.State != Review || !c.Due.Equal(t0.AddDate(0, 0, tt.ivl)) {
			t.Errorf("%s: state %v due %v, want review in %d days", tt.r, c.State, c.Due, tt.ivl)
		}
	}
}

func TestFSRSRepeatedGoodGrows(t *testing.T) {
	f := NewFSRS()
	c := f.Next(Card{}, Good, t0)
	want := []struct {
		r, s, d float64
		ivl     int
	}{
		{0.9046982108893272, 10.73892584613159, 5.272967931287446, 11},
		{0.8979285817819184, 34.57762350060534, 5.263544986114632, 35},
		{0.8989574052003393, 100.74831285186508, 5.254165386489613, 101},
		{0.8997864818482658, 269.28383515131185, 5.244828933022869, 269},
	}
	prevIvl := 3
	for i, w := range want {
		now := c.Due
		near(t, "R at due", f.Retrievability(c, now), w.r)
		c = f.Next(c, Good, now)
		near(t, "S", c.Stability, w.s)
		near(t, "D", c.Difficulty, w.d)
		ivl := int(c.Due.Sub(now).Hours() / 24)
		if ivl != w.ivl || ivl <= prevIvl {
			t.Errorf("review %d: interval %d days, want %d (growing from %d)", i+2, ivl, w.ivl, prevIvl)
		}
		prevIvl = ivl
	}
	if c.Lapses != 0 || c.Reps != 5 {
		t.Errorf("reps %d lapses %d", c.Reps, c.Lapses)
	}
}

func TestFSRSAgainResets(t *testing.T) {
	f := NewFSRS()
	c := f.Next(Card{}, Good, t0)
	now := t0.AddDate(0, 0, 3)
	c = f.Next(c, Again, now)
	near(t, "S after lapse", c.Stability, 1.0555610912864883)
	near(t, "D after lapse", c.Difficulty, 6.796932579932991)
	if c.State != Relearning || c.Lapses != 1 || !c.Due.Equal(now.Add(10*time.Minute)) {
		t.Errorf("after Again: state %v lapses %d due %v", c.State, c.Lapses, c.Due)
	}
	// Right again the same day: the short-term formula, back to a 1-day interval.
	later := now.Add(10 * time.Minute)
	c = f.Next(c, Good, later)
	near(t, "S same day", c.Stability, 1.0555610912864883*math.Exp(0.51655*0.6621))
	if c.State != Review || !c.Due.Equal(later.AddDate(0, 0, 1)) {
		t.Errorf("after relearning: state %v due %v", c.State, c.Due)
	}
}

func TestFSRSSameDayAfterFirstAgain(t *testing.T) {
	f := NewFSRS()
	c := f.Next(Card{}, Again, t0)
	c = f.Next(c, Good, t0.Add(10*time.Minute))
	near(t, "S", c.Stability, 0.5666983024925972)
	near(t, "D", c.Difficulty, 7.176636167311107)
	if c.Lapses != 0 {
		t.Errorf("a card never remembered has no lapses, got %d", c.Lapses)
	}
}

func TestFSRSHardAndEasyRecall(t *testing.T) {
	f := NewFSRS()
	c := f.Next(Card{}, Good, t0)
	at := t0.AddDate(0, 0, 3)
	h := f.Next(c, Hard, at)
	e := f.Next(c, Easy, at)
	near(t, "S hard", h.Stability, 4.924511833379462)
	near(t, "D hard", h.Difficulty, 6.0349502556102195)
	near(t, "S easy", e.Stability, 25.79360509476422)
	near(t, "D easy", e.Difficulty, 4.510985606964673)
}

func TestFSRSRetrievability(t *testing.T) {
	f := NewFSRS()
	if r := f.Retrievability(Card{}, t0); r != 0 {
		t.Errorf("unseen card: R = %v, want 0", r)
	}
	c := Card{State: Review, Stability: 5, LastReview: t0}
	near(t, "R(t=S)", f.Retrievability(c, t0.AddDate(0, 0, 5)), 0.9)
	near(t, "R(10, 5)", f.Retrievability(c, t0.AddDate(0, 0, 10)), 0.8250286473253902)
	near(t, "R(0)", f.Retrievability(c, t0), 1)
	for _, s := range []float64{0.5, 3, 40, 900} {
		if got := f.IntervalDays(s); got != max(1, int(math.Round(s))) {
			t.Errorf("interval at retention 0.9 for S=%v: %d, want S", s, got)
		}
	}
	if got := (FSRS{RequestRetention: 0.8}).IntervalDays(10); got != 24 {
		// 10/(19/81)·(0.8^−2 − 1) = 23.98
		t.Errorf("interval at retention 0.8 = %d, want 24", got)
	}
}

func TestFSRSZeroValueIsDefault(t *testing.T) {
	a := FSRS{}.Next(Card{}, Good, t0)
	b := NewFSRS().Next(Card{}, Good, t0)
	if a != b {
		t.Errorf("zero value %+v differs from NewFSRS %+v", a, b)
	}
}

func TestNextDoesNotMutate(t *testing.T) {
	c := Card{State: Review, Stability: 4, Difficulty: 5, LastReview: t0, Reps: 2}
	orig := c
	for _, s := range []Scheduler{NewFSRS(), SM2{}} {
		s.Next(c, Again, t0.AddDate(0, 0, 4))
		if c != orig {
			t.Fatalf("%s mutated its argument", s.Name())
		}
	}
}
