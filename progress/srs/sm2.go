package srs

import (
	"math"
	"time"
)

// SM2 is the SuperMemo-2 algorithm (P. Woźniak, 1987), the simple alternative to FSRS. Ratings
// map to SM-2 response qualities Again→1, Hard→3, Good→4, Easy→5. A quality below 3 restarts
// the repetitions (interval 1 day) and, as the original says, leaves the E-Factor unchanged.
// Otherwise EF' = EF + (0.1 − (5−q)·(0.08 + (5−q)·0.02)), never below 1.3 (start 2.5), and the
// intervals are 1 day, 6 days, then the previous interval times EF', rounded up to whole days.
// SM-2's same-session repetition of items rated below 4 is left to the quiz.
//
// SM-2 has no memory model, so Retrievability assumes the exponential forgetting curve
// R = 0.9^(t/I) with I the current interval: SM-2 schedules a review when recall is expected to
// have fallen to about 90%.
type SM2 struct{}

// Name implements Scheduler.
func (SM2) Name() string { return "sm-2" }

func sm2Quality(r Rating) float64 {
	switch r {
	case Hard:
		return 3
	case Good:
		return 4
	case Easy:
		return 5
	}
	return 1
}

// Next implements Scheduler.
func (SM2) Next(c Card, r Rating, now time.Time) Card {
	next := c
	ef := c.Ease
	if ef == 0 {
		ef = 2.5
	}
	q := sm2Quality(r)
	next.Ease = ef
	if q < 3 {
		if c.State == Review || c.State == Relearning {
			next.Lapses++
			next.State = Relearning
		} else {
			next.State = Learning
		}
		next.Streak = 0
		next.Interval = 1
	} else {
		next.Ease = math.Max(1.3, ef+0.1-(5-q)*(0.08+(5-q)*0.02))
		next.Streak++
		switch next.Streak {
		case 1:
			next.Interval = 1
		case 2:
			next.Interval = 6
		default:
			next.Interval = math.Ceil(c.Interval * next.Ease)
		}
		next.State = Review
	}
	next.Reps++
	next.LastReview = now
	next.Due = now.AddDate(0, 0, int(next.Interval))
	return next
}

// Retrievability implements Scheduler.
func (SM2) Retrievability(c Card, now time.Time) float64 {
	if c.State == New || c.LastReview.IsZero() || c.Interval <= 0 {
		return 0
	}
	t := days(now.Sub(c.LastReview))
	if t < 0 {
		t = 0
	}
	return math.Pow(0.9, t/c.Interval)
}
