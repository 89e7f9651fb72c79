package study

import (
	"context"
	"time"

	"github.com/stagecraft/stagecraft/progress"
	"github.com/stagecraft/stagecraft/quiz"
)

// Default sizes of a run when the learner does not say.
const (
	DefaultExamCount   = 10
	DefaultReviewCount = 20
	DefaultExamTime    = 20 * time.Minute
)

// Request is what a learner asks for: a mode and how many questions of the chosen ones.
type Request struct {
	Mode    quiz.Mode // practice (""), review or exam
	Count   int       // at most this many; 0: the mode's default (practice: all)
	Shuffle bool      // practice and review's new questions: in a seeded random order
	// Seed orders the run (shuffle, the exam's draw, the shown order of options); without
	// SeedSet it comes from the clock, so each run is new.
	Seed    uint64
	SeedSet bool
	// Pass is the pass mark in percent when PassSet; otherwise a lesson's whole quiz has its
	// own pass_percent and anything else quiz.DefaultPassPercent.
	Pass    int
	PassSet bool
	// At is when the run starts (the session's start, the seed's clock, what is due); zero is
	// the service's now.
	At time.Time
}

// Plan is what a run will ask, decided before anything is shown.
type Plan struct {
	Title     string
	Mode      quiz.Mode
	QuizID    string // what the store files the run under
	Lesson    string // the lesson whose whole quiz this is: passing it completes the lesson
	Questions []*quiz.Question
	Selected  []*quiz.Question // what the filter chose, before the mode picked from it
	Pass      int
	Seed      uint64
	// Review: the reviews waiting among the selected questions when planned, and how many of
	// the run's questions are due ones (the rest are new).
	Due      progress.DueCounts
	DueInRun int
}

// Session starts the plan's session at now.
func (p *Plan) Session(now time.Time, timeLimit time.Duration) *quiz.Session {
	return quiz.NewSession(p.Title, p.Mode, p.Questions, quiz.WithStart(now), quiz.WithPassPercent(p.Pass),
		quiz.WithSeed(p.Seed), quiz.WithTimeLimit(timeLimit))
}

// Plan decides the questions, order, title and pass mark of a run over the selected questions
// (Select's result, or the whole bank). A review first brings the schedule up to date with
// rewritten questions, then takes the due questions, most overdue first, then new ones; a plan
// with no questions is a review with nothing due and nothing new.
func (s *Service) Plan(ctx context.Context, selected []*quiz.Question, r Request) (*Plan, error) {
	b, err := s.Bank()
	if err != nil {
		return nil, err
	}
	now := r.At
	if now.IsZero() {
		now = s.Now()
	}
	p := &Plan{Mode: quiz.ModePractice, Pass: quiz.DefaultPassPercent, Seed: r.Seed, Selected: selected}
	if !r.SeedSet {
		p.Seed = uint64(now.UnixNano())
	}
	whole := wholeQuiz(b, selected)
	switch {
	case r.PassSet:
		p.Pass = r.Pass
	case whole != nil:
		p.Pass = whole.PassPercent
	}
	switch r.Mode {
	case quiz.ModeExam:
		p.Mode, p.Title, p.QuizID = quiz.ModeExam, "Exam", "session:exam"
		p.Questions = quiz.Draw(selected, countOr(r.Count, DefaultExamCount), p.Seed)
	case quiz.ModeReview:
		p.Mode, p.Title, p.QuizID = quiz.ModeReview, "Review", "session:review"
		if err := s.syncQuestions(ctx); err != nil {
			return nil, err
		}
		if p.Due, err = s.DueAmong(ctx, selected, now); err != nil {
			return nil, err
		}
		p.Questions, p.DueInRun, err = s.reviewOrder(ctx, selected, now, countOr(r.Count, DefaultReviewCount), r.Shuffle, p.Seed)
		if err != nil {
			return nil, err
		}
	default:
		p.Title, p.QuizID = "Practice", "session:practice"
		qs := selected
		if r.Shuffle {
			qs = quiz.Shuffle(qs, p.Seed)
		}
		if r.Count > 0 && r.Count < len(qs) {
			qs = qs[:r.Count]
		}
		p.Questions = qs
		if whole != nil && !r.Shuffle && len(qs) == len(whole.Questions) {
			// The lesson's whole quiz, as the course runs it: the run counts as that quiz's.
			p.Title, p.QuizID, p.Lesson = whole.Title, whole.ID, whole.Lesson
		}
	}
	return p, nil
}

// LessonQuiz plans a practice run of a lesson's whole quiz, or returns nil when it has none.
func (s *Service) LessonQuiz(ctx context.Context, lesson string, r Request) (*Plan, error) {
	b, err := s.Bank()
	if err != nil {
		return nil, err
	}
	qs, err := Select(b, Filter{Lessons: []string{lesson}})
	if _, none := err.(*NoMatchError); none {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	r.Mode, r.Count, r.Shuffle = quiz.ModePractice, 0, false
	return s.Plan(ctx, qs, r)
}

// Review plans a review over every question of the course, as `stagecraft quiz --review` does.
func (s *Service) Review(ctx context.Context, r Request) (*Plan, error) {
	b, err := s.Bank()
	if err != nil {
		return nil, err
	}
	r.Mode = quiz.ModeReview
	return s.Plan(ctx, b.Questions(), r)
}

func countOr(n, def int) int {
	if n == 0 {
		return def
	}
	return n
}

// wholeQuiz is the quiz whose questions are exactly the selection, or nil.
func wholeQuiz(b *quiz.Bank, selected []*quiz.Question) *quiz.Quiz {
	if len(selected) == 0 {
		return nil
	}
	qz := b.Quiz(selected[0].Quiz)
	if qz == nil || len(qz.Questions) != len(selected) {
		return nil
	}
	for i, q := range qz.Questions {
		if selected[i] != q {
			return nil
		}
	}
	return qz
}

// reviewOrder puts the due questions first (most overdue first, as the store orders them), then
// questions never answered (course order, or shuffled), at most n. Questions answered and not
// yet due are left for their day. It returns how many due ones it took.
func (s *Service) reviewOrder(ctx context.Context, selected []*quiz.Question, now time.Time, n int, shuffle bool, seed uint64) ([]*quiz.Question, int, error) {
	byID := make(map[string]*quiz.Question, len(selected))
	for _, q := range selected {
		byID[q.ID] = q
	}
	var cards, due []progress.ReviewCard
	if st := s.cfg.Store; st != nil {
		var err error
		if cards, err = st.Cards(ctx, s.cfg.Learner); err != nil {
			return nil, 0, err
		}
		if due, err = st.DueCards(ctx, s.cfg.Learner, now, 0); err != nil {
			return nil, 0, err
		}
	}
	hasCard := map[string]bool{}
	for _, c := range cards {
		hasCard[c.Question] = true
	}
	var out []*quiz.Question
	for _, c := range due {
		if q := byID[c.Question]; q != nil && len(out) < n {
			out = append(out, q)
		}
	}
	dueTaken := len(out)
	var fresh []*quiz.Question
	for _, q := range selected {
		if !hasCard[q.ID] {
			fresh = append(fresh, q)
		}
	}
	if shuffle {
		fresh = quiz.Shuffle(fresh, seed)
	}
	for _, q := range fresh {
		if len(out) < n {
			out = append(out, q)
		}
	}
	return out, dueTaken, nil
}

// DueAmong counts the reviews waiting among the given questions at now — due now, before the end
// of today, tomorrow — with the store's day boundary: when the next reviews come.
func (s *Service) DueAmong(ctx context.Context, questions []*quiz.Question, now time.Time) (progress.DueCounts, error) {
	var c progress.DueCounts
	if s.cfg.Store == nil {
		return c, nil
	}
	cards, err := s.cfg.Store.Cards(ctx, s.cfg.Learner)
	if err != nil {
		return c, err
	}
	in := make(map[string]bool, len(questions))
	for _, q := range questions {
		in[q.ID] = true
	}
	for _, card := range cards {
		if in[card.Question] {
			c.Count(card.Due, now)
		}
	}
	return c, nil
}
