package srs

import (
	"math"
	"time"
)

// FSRS-5 constants of the forgetting curve R(t, S) = (1 + FACTOR·t/S)^DECAY, chosen so that
// R(S, S) = 0.9: stability is the number of days after which recall falls to 90%.
const (
	fsrsDecay = -0.5
	// fsrsFactor = 0.9^(1/DECAY) - 1 = 19/81.
	fsrsFactor = 19.0 / 81.0

	fsrsMinStability = 0.001
)

// DefaultFSRSWeights returns the published FSRS-5 default parameters w0…w18 (py-fsrs 4.x,
// ts-fsrs 4.x, fsrs-rs 1.x; Anki 24.11).
func DefaultFSRSWeights() [19]float64 {
	return [19]float64{
		0.40255, 1.18385, 3.173, 15.69105, 7.1949, 0.5345, 1.4604, 0.0046, 1.54575,
		0.1192, 1.01925, 1.9395, 0.11, 0.29605, 2.2698, 0.2315, 2.9898, 0.51655, 0.6621,
	}
}

// FSRS is the Free Spaced Repetition Scheduler, version 5 (FSRS-5), written from the published
// algorithm (github.com/open-spaced-repetition/fsrs4anki/wiki/The-Algorithm) with its default
// weights (DefaultFSRSWeights) and request retention 0.9. With G the rating (1…4):
//
//	initial stability    S0(G) = w[G-1]
//	initial difficulty   D0(G) = w4 − e^(w5·(G−1)) + 1, clamped to [1, 10]
//	next difficulty      D' = D − w6·(G−3)·(10−D)/9          (linear damping)
//	                     D'' = w7·D0(4) + (1−w7)·D'          (mean reversion), clamped to [1, 10]
//	retrievability       R = (1 + FACTOR·t/S)^DECAY, DECAY = −0.5, FACTOR = 19/81, t in days
//	after a recall       S' = S·(e^w8·(11−D)·S^−w9·(e^(w10·(1−R))−1)·h·b + 1),
//	                     h = w15 if Hard else 1, b = w16 if Easy else 1
//	after a lapse        S' = min(w11·D^−w12·((S+1)^w13 − 1)·e^(w14·(1−R)), S / e^(w17·w18))
//	same-day review      S' = S·e^(w17·(G−3+w18))                 (t < 1 day)
//	interval             I = S/FACTOR·(r^(1/DECAY) − 1) days, r = RequestRetention (I = S at 0.9)
//
// Stability is updated with the difficulty from before the review, as the reference
// implementations do. Choices of this course, not of FSRS: there are no learning steps — a right
// answer schedules the card I days ahead (rounded, at least 1 day, at most MaximumInterval) and
// a wrong one brings it back after RelearnDelay, so it returns within the same session; there is
// no interval fuzz, so schedules are reproducible.
//
// The zero value is usable and means the defaults.
type FSRS struct {
	W                [19]float64   // weights; all zero means DefaultFSRSWeights
	RequestRetention float64       // target recall probability at review; 0 means 0.9
	MaximumInterval  int           // days; 0 means 36500
	RelearnDelay     time.Duration // wait after a wrong answer; 0 means 10 minutes
}

// NewFSRS returns FSRS-5 with the default weights, retention 0.9, a 100-year cap and a
// 10-minute relearning delay.
func NewFSRS() FSRS {
	return FSRS{W: DefaultFSRSWeights(), RequestRetention: 0.9, MaximumInterval: 36500, RelearnDelay: 10 * time.Minute}
}

func (f FSRS) withDefaults() FSRS {
	if f.W == ([19]float64{}) {
		f.W = DefaultFSRSWeights()
	}
	if f.RequestRetention <= 0 || f.RequestRetention >= 1 {
		f.RequestRetention = 0.9
	}
	if f.MaximumInterval <= 0 {
		f.MaximumInterval = 36500
	}
	if f.RelearnDelay <= 0 {
		f.RelearnDelay = 10 * time.Minute
	}
	return f
}

// Name implements Scheduler.
func (FSRS) Name() string { return "fsrs-5" }

// Next implements Scheduler.
func (f FSRS) Next(c Card, r Rating, now time.Time) Card {
	f = f.withDefaults()
	if !r.Valid() {
		r = Again
	}
	next := c
	if c.State == New || c.LastReview.IsZero() || c.Stability <= 0 {
		next.Stability = f.InitialStability(r)
		next.Difficulty = f.InitialDifficulty(r)
	} else {
		t := days(now.Sub(c.LastReview))
		if t < 0 {
			t = 0
		}
		switch {
		case t < 1:
			next.Stability = f.ShortTermStability(c.Stability, r)
		case r == Again:
			next.Stability = f.ForgetStability(c.Difficulty, c.Stability, f.retrievability(t, c.Stability))
		default:
			next.Stability = f.RecallStability(c.Difficulty, c.Stability, f.retrievability(t, c.Stability), r)
		}
		next.Difficulty = f.NextDifficulty(c.Difficulty, r)
		if r == Again && (c.State == Review || c.State == Relearning) {
			next.Lapses++
		}
	}
	next.Stability = math.Max(next.Stability, fsrsMinStability)
	next.Reps++
	next.LastReview = now
	if r == Again {
		if c.State == New || c.State == Learning {
			next.State = Learning
		} else {
			next.State = Relearning
		}
		next.Due = now.Add(f.RelearnDelay)
		return next
	}
	next.State = Review
	next.Due = now.AddDate(0, 0, f.IntervalDays(next.Stability))
	return next
}

// Retrievability implements Scheduler.
func (f FSRS) Retrievability(c Card, now time.Time) float64 {
	if c.State == New || c.LastReview.IsZero() || c.Stability <= 0 {
		return 0
	}
	t := days(now.Sub(c.LastReview))
	if t < 0 {
		t = 0
	}
	return f.retrievability(t, c.Stability)
}

func (FSRS) retrievability(t, s float64) float64 {
	return math.Pow(1+fsrsFactor*t/s, fsrsDecay)
}

// InitialStability is S0(G) = w[G−1].
func (f FSRS) InitialStability(r Rating) float64 {
	f = f.withDefaults()
	return math.Max(f.W[r-1], fsrsMinStability)
}

// InitialDifficulty is D0(G) = w4 − e^(w5·(G−1)) + 1, clamped to [1, 10].
func (f FSRS) InitialDifficulty(r Rating) float64 {
	return clampDifficulty(f.rawInitialDifficulty(r))
}

func (f FSRS) rawInitialDifficulty(r Rating) float64 {
	f = f.withDefaults()
	return f.W[4] - math.Exp(f.W[5]*float64(r-1)) + 1
}

// NextDifficulty applies linear damping and mean reversion towards D0(Easy).
func (f FSRS) NextDifficulty(d float64, r Rating) float64 {
	f = f.withDefaults()
	delta := -f.W[6] * float64(r-3)
	damped := d + delta*(10-d)/9
	return clampDifficulty(f.W[7]*f.rawInitialDifficulty(Easy) + (1-f.W[7])*damped)
}

// RecallStability is the stability after a successful review (Hard, Good or Easy) at
// retrievability rr.
func (f FSRS) RecallStability(d, s, rr float64, r Rating) float64 {
	f = f.withDefaults()
	hard, easy := 1.0, 1.0
	if r == Hard {
		hard = f.W[15]
	}
	if r == Easy {
		easy = f.W[16]
	}
	return s * (math.Exp(f.W[8])*(11-d)*math.Pow(s, -f.W[9])*(math.Exp(f.W[10]*(1-rr))-1)*hard*easy + 1)
}

// ForgetStability is the stability after a lapse (Again) at retrievability rr; never above the
// short-term bound S/e^(w17·w18).
func (f FSRS) ForgetStability(d, s, rr float64) float64 {
	f = f.withDefaults()
	long := f.W[11] * math.Pow(d, -f.W[12]) * (math.Pow(s+1, f.W[13]) - 1) * math.Exp(f.W[14]*(1-rr))
	return math.Min(long, s/math.Exp(f.W[17]*f.W[18]))
}

// ShortTermStability is the stability after a review on the same day as the previous one.
func (f FSRS) ShortTermStability(s float64, r Rating) float64 {
	f = f.withDefaults()
	return s * math.Exp(f.W[17]*(float64(r)-3+f.W[18]))
}

// IntervalDays is the next interval for stability s: S/FACTOR·(r^(1/DECAY) − 1), rounded, at
// least 1 day and at most MaximumInterval.
func (f FSRS) IntervalDays(s float64) int {
	f = f.withDefaults()
	ivl := s / fsrsFactor * (math.Pow(f.RequestRetention, 1/fsrsDecay) - 1)
	n := int(math.Round(ivl))
	return max(1, min(n, f.MaximumInterval))
}

func clampDifficulty(d float64) float64 { return math.Min(10, math.Max(1, d)) }
