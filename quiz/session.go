package quiz

import (
	"time"
)

// Mode is how a quiz session runs: whether feedback and hints come after each answer, and
// whether a clock runs.
type Mode string

const (
	// ModePractice shows the result, feedback and explanation after each answer; hints allowed.
	ModePractice Mode = "practice"
	// ModeReview is practice over the cards the spaced-repetition schedule says are due (then
	// new questions); feedback after each answer, hints allowed.
	ModeReview Mode = "review"
	// ModeExam shows no hints and no feedback until the end, and usually has a time limit.
	ModeExam Mode = "exam"
)

// Modes lists the modes.
func Modes() []Mode { return []Mode{ModePractice, ModeReview, ModeExam} }

// HintsAllowed reports whether the learner may ask for hints in this mode.
func (m Mode) HintsAllowed() bool { return m != ModeExam }

// ShowsFeedback reports whether each answer's result, feedback and explanation are shown as soon
// as it is given (otherwise only in the summary at the end).
func (m Mode) ShowsFeedback() bool { return m != ModeExam }

// Response is what happened to one question of a session.
type Response struct {
	Question  *Question
	Answer    Answer // nil when Skipped
	Result    Result // scored; for a skipped question Points 0 and MaxPoints set
	Skipped   bool   // the learner moved on without answering: scores 0; not a recall attempt
	HintsUsed int
	// Shown is the order the options or items were shown in (ShownOrder), so feedback can name
	// options by the letters the learner saw; Answer names the author's, whatever was shown.
	Shown Permutation
	Took  time.Duration // from when the question was shown to the answer
	At    time.Time
	// Late: the answer came after the time limit; it is not scored or kept in Responses, and
	// the session is over. Callers should not save it.
	Late bool
}

// Session is one run through a list of questions, independent of any UI: a screen or the plain
// line mode shows Current, passes the learner's answer to Answer, and asks Summarize at the end.
// The clock is always passed in (now), so tests and replays are exact. A Session is not safe for
// concurrent use. Saving answers is the caller's job (quiz knows nothing of storage): record each
// Response as it is returned.
type Session struct {
	Title       string
	Mode        Mode
	Questions   []*Question
	TimeLimit   time.Duration // 0: no limit
	PassPercent int           // 0–100: the share of the points needed to pass
	// Seed decides the shown order of options and order items (see ShownOrder), so a replay
	// with the same seed shows the same thing.
	Seed      uint64
	Started   time.Time
	Ended     time.Time // zero while the session runs
	Responses []Response

	next  int       // index in Questions of the current question
	shown time.Time // when the current question was shown
}

// SessionOption sets an optional part of a Session.
type SessionOption func(*Session)

// WithTimeLimit gives the session a time limit (exam mode); d ≤ 0 means none.
func WithTimeLimit(d time.Duration) SessionOption {
	return func(s *Session) {
		if d > 0 {
			s.TimeLimit = d
		}
	}
}

// WithPassPercent sets the pass mark (0–100; out-of-range values are clamped).
func WithPassPercent(p int) SessionOption {
	return func(s *Session) { s.PassPercent = min(max(p, 0), 100) }
}

// WithStart sets when the session started (default: time.Now at NewSession).
func WithStart(t time.Time) SessionOption { return func(s *Session) { s.Started = t } }

// WithSeed sets the seed for the shown order of options and order items.
func WithSeed(seed uint64) SessionOption { return func(s *Session) { s.Seed = seed } }

// NewSession starts a session over qs, in that order. An empty mode is ModePractice; the pass
// mark is DefaultPassPercent unless WithPassPercent says otherwise.
func NewSession(title string, mode Mode, qs []*Question, opts ...SessionOption) *Session {
	if mode == "" {
		mode = ModePractice
	}
	s := &Session{Title: title, Mode: mode, Questions: qs, PassPercent: DefaultPassPercent}
	for _, o := range opts {
		o(s)
	}
	if s.Started.IsZero() {
		s.Started = time.Now()
	}
	s.shown = s.Started
	return s
}

// Current returns the question to answer now; ok is false when the session is done.
func (s *Session) Current() (q *Question, ok bool) {
	if s.Done() {
		return nil, false
	}
	return s.Questions[s.next], true
}

// Index is the 0-based position of the current question (len(Questions) when all are done).
func (s *Session) Index() int { return s.next }

// Shown records when the current question was put on screen, so Took does not count the time
// spent reading the previous question's feedback. Without it, a question counts as shown when
// the previous one was answered (or when the session started).
func (s *Session) Shown(now time.Time) { s.shown = now }

// ShownOrder is the order to show the current question's options or items in (indexes into
// what the author wrote; see Question.ShownOrder), decided by the session's seed and the
// question's place in it; nil for types with nothing to order or when done. A plain-mode answer
// "B" or "3 1 2" names positions in this order; the Answer it becomes names the author's.
func (s *Session) ShownOrder() Permutation {
	q, ok := s.Current()
	if !ok {
		return nil
	}
	return q.ShownOrder(s.Seed + uint64(s.next))
}

// Hint returns the current question's hint n (0-based) when the mode allows hints and the
// question has that many; ok is false otherwise.
func (s *Session) Hint(n int) (hint string, ok bool) {
	q, cur := s.Current()
	if !cur || !s.Mode.HintsAllowed() || n < 0 || n >= len(q.Hints) {
		return "", false
	}
	return q.Hints[n], true
}

// Answer scores a for the current question, records the response and moves on. hintsUsed is
// how many hints the learner saw (0 in exam mode, whatever is passed). An answer given after the
// time limit is Late: the session ends at the deadline without it. Answer on a done session
// returns a zero Response.
func (s *Session) Answer(a Answer, hintsUsed int, now time.Time) Response {
	q, ok := s.Current()
	if !ok {
		return Response{}
	}
	if s.Expired(now) {
		s.Ended = s.Started.Add(s.TimeLimit)
		return Response{Question: q, Answer: a, Result: Result{MaxPoints: q.Points}, Late: true, At: now}
	}
	if !s.Mode.HintsAllowed() {
		hintsUsed = 0
	}
	r := Response{Question: q, Answer: a, Result: q.Check(a), HintsUsed: max(hintsUsed, 0), Shown: s.ShownOrder(), Took: max(now.Sub(s.shown), 0), At: now}
	s.record(r, now)
	return r
}

// Skip moves past the current question without answering it: it scores 0 (and is listed as
// missed) but is not a recall attempt, so callers need not save it.
func (s *Session) Skip(now time.Time) Response {
	q, ok := s.Current()
	if !ok {
		return Response{}
	}
	if s.Expired(now) {
		s.Ended = s.Started.Add(s.TimeLimit)
		return Response{Question: q, Result: Result{MaxPoints: q.Points}, Skipped: true, Late: true, At: now}
	}
	r := Response{Question: q, Result: Result{MaxPoints: q.Points}, Skipped: true, Shown: s.ShownOrder(), Took: max(now.Sub(s.shown), 0), At: now}
	s.record(r, now)
	return r
}

func (s *Session) record(r Response, now time.Time) {
	s.Responses = append(s.Responses, r)
	s.next++
	s.shown = now
	if s.next >= len(s.Questions) {
		s.Ended = now
	}
}

// Finish ends the session early (the learner quit, or the clock ran out): questions not reached
// count as unanswered. Calling it on a finished session changes nothing.
func (s *Session) Finish(now time.Time) {
	if !s.Ended.IsZero() {
		return
	}
	if s.TimeLimit > 0 && now.After(s.Started.Add(s.TimeLimit)) {
		now = s.Started.Add(s.TimeLimit)
	}
	s.Ended = now
}

// Done reports whether the session is over: every question answered or skipped, or Finish was
// called, or an answer came after the time limit. (A clock running out is Expired; call Finish.)
func (s *Session) Done() bool { return !s.Ended.IsZero() || s.next >= len(s.Questions) }

// Remaining is the time left before the time limit at now, never negative; 0 when the session
// has no limit (check TimeLimit) or is over.
func (s *Session) Remaining(now time.Time) time.Duration {
	if s.TimeLimit <= 0 || s.Done() {
		return 0
	}
	return max(s.Started.Add(s.TimeLimit).Sub(now), 0)
}

// Expired reports whether the session has a time limit and now is past it.
func (s *Session) Expired(now time.Time) bool {
	return s.TimeLimit > 0 && !now.Before(s.Started.Add(s.TimeLimit))
}

// MaxScore is the sum of the points of the session's questions.
func (s *Session) MaxScore() int {
	total := 0
	for _, q := range s.Questions {
		total += q.Points
	}
	return total
}

// Score is the points earned so far.
func (s *Session) Score() int {
	total := 0
	for _, r := range s.Responses {
		total += r.Result.Points
	}
	return total
}
