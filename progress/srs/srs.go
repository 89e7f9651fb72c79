// Package srs schedules review cards: when a quiz question should come back, and how likely the
// learner is to recall it now. It is pure computation — no storage, no clock of its own.
//
// Two schedulers implement Scheduler: FSRS (the default, see FSRS) and SM2 (the classic SuperMemo
// algorithm, kept as the simple alternative). Quiz outcomes map to ratings with RatingFor.
package srs

import (
	"fmt"
	"time"
)

// Rating is how well a question was recalled: the four FSRS grades.
type Rating int

const (
	Again Rating = 1 // wrong answer: forgotten
	Hard  Rating = 2 // right, but only after a hint
	Good  Rating = 3 // right
	Easy  Rating = 4 // right, without hints, faster than the question type's threshold
)

func (r Rating) String() string {
	switch r {
	case Again:
		return "again"
	case Hard:
		return "hard"
	case Good:
		return "good"
	case Easy:
		return "easy"
	}
	return fmt.Sprintf("rating(%d)", int(r))
}

// Valid reports whether r is one of the four grades.
func (r Rating) Valid() bool { return r >= Again && r <= Easy }

// State is where a card is in its life.
type State int

const (
	New        State = 0 // never reviewed
	Learning   State = 1 // first answer was wrong; comes back soon
	Review     State = 2 // remembered; scheduled days ahead
	Relearning State = 3 // forgotten after having been remembered
)

func (s State) String() string {
	switch s {
	case New:
		return "new"
	case Learning:
		return "learning"
	case Review:
		return "review"
	case Relearning:
		return "relearning"
	}
	return fmt.Sprintf("state(%d)", int(s))
}

// Card is the memory state of one question for one learner. FSRS reads and writes Stability and
// Difficulty; SM2 reads and writes Ease, Interval and Streak. Both keep the common fields.
type Card struct {
	State      State
	Due        time.Time // when the card should be reviewed next; zero on a new card (due now)
	LastReview time.Time // zero before the first review
	Reps       int       // reviews so far
	Lapses     int       // times forgotten after having been remembered

	Stability  float64 // FSRS: days until recall probability falls to 90%
	Difficulty float64 // FSRS: 1 (easy) … 10 (hard)

	Ease     float64 // SM-2 E-Factor (≥ 1.3); 0 on a new card means the initial 2.5
	Interval float64 // SM-2 current interval in days
	Streak   int     // SM-2 successful repetitions in a row
}

// Scheduler decides the next state of a card after a rating, and estimates recall probability.
type Scheduler interface {
	// Name identifies the algorithm ("fsrs-5", "sm-2"); stored beside each card.
	Name() string
	// Next returns the card after it was rated r at now. It never mutates its argument.
	Next(c Card, r Rating, now time.Time) Card
	// Retrievability is the estimated probability (0…1) that the learner recalls the card at
	// now. A card never reviewed has retrievability 0: unseen counts as not known.
	Retrievability(c Card, now time.Time) float64
}

// FastThreshold is the answer time under which a right, hint-free answer counts as Easy. It grows
// with how much there is to read and do for each question type of the course format
// (docs/course-format.md):
//
//	true_false  5s   one statement to judge
//	single      8s   pick one option
//	multiple   15s   judge every option
//	short      20s   type an answer
//	spot_line  20s   read a Dockerfile, pick a line
//	order      25s   reorder several lines
//	other      12s
func FastThreshold(questionType string) time.Duration {
	switch questionType {
	case "true_false":
		return 5 * time.Second
	case "single":
		return 8 * time.Second
	case "multiple":
		return 15 * time.Second
	case "short", "spot_line":
		return 20 * time.Second
	case "order":
		return 25 * time.Second
	}
	return 12 * time.Second
}

// RatingFor maps a quiz answer to a rating: wrong → Again; right after any hint → Hard; right,
// hint-free and faster than FastThreshold(questionType) → Easy; otherwise right → Good. A zero
// took (time not measured) never counts as fast.
func RatingFor(correct bool, hintsUsed int, took time.Duration, questionType string) Rating {
	switch {
	case !correct:
		return Again
	case hintsUsed > 0:
		return Hard
	case took > 0 && took < FastThreshold(questionType):
		return Easy
	}
	return Good
}

// days is a duration in fractional days.
func days(d time.Duration) float64 { return d.Hours() / 24 }

// afterDays is t plus a number of days (fractional days allowed).
func afterDays(t time.Time, n float64) time.Time {
	return t.Add(time.Duration(n * float64(24*time.Hour)))
}
