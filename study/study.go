// Package study is the one home of a learner's use cases, which both faces of stagecraft — the
// terminal app and the command line — call instead of deciding a rule themselves: the question
// bank and how questions are chosen, what a practice, review or exam asks and in which order,
// how an answer is recorded and how a quiz run ends, when a lesson is complete, what an exercise
// check is given and how its attempt is kept, and the outline progress is summarised against.
// A face reads input and shows output; a Service, made once with the course, the store and a
// clock (the shape of soft-serve's backend), does the rest, so the two faces cannot drift apart.
package study

import (
	"context"
	"errors"
	"io/fs"
	"sync"
	"time"

	"github.com/stagecraft/stagecraft/lessons"
	"github.com/stagecraft/stagecraft/progress"
	"github.com/stagecraft/stagecraft/quiz"
)

// Config is what a Service is made of.
type Config struct {
	// Course is the loaded course. When nil, LoadCourse loads it the first time it is needed:
	// `stagecraft quiz` starts from the bank cache without parsing the course at all.
	Course     *lessons.Course
	LoadCourse func() (*lessons.Course, error)
	// FS is the course's files, for the bank cache key; nil is Course.FS.
	FS fs.FS
	// Store keeps the learner's progress. Nil: nothing is saved and nothing read back (the app
	// still runs, with progress it forgets).
	Store   *progress.Store
	Learner string
	// Now is the clock; nil is time.Now.
	Now func() time.Time
	// CacheDir holds the question bank cache and the exercises' build contexts on disk. "" keeps
	// no bank cache and puts contexts under the system's temporary folder.
	CacheDir string
	// Version is part of the bank cache key: another binary may read the course differently.
	Version string
}

// Service is a learner's use cases on one course and one store.
type Service struct {
	cfg Config

	courseOnce sync.Once
	course     *lessons.Course
	courseErr  error

	bankMu sync.Mutex
	bank   *quiz.Bank

	syncOnce sync.Once
	syncErr  error
}

// New makes the service. It opens nothing: the course loads and the bank is read when first used.
func New(cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Service{cfg: cfg}
	if cfg.Course != nil {
		s.courseOnce.Do(func() { s.course = cfg.Course })
	}
	return s
}

// Learner is whose progress this is.
func (s *Service) Learner() string { return s.cfg.Learner }

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.cfg.Now() }

// Saves reports whether progress is kept (the service has a store).
func (s *Service) Saves() bool { return s.cfg.Store != nil }

// Course is the course, loaded on first use.
func (s *Service) Course() (*lessons.Course, error) {
	s.courseOnce.Do(func() {
		if s.cfg.LoadCourse == nil {
			s.courseErr = errors.New("no course")
			return
		}
		s.course, s.courseErr = s.cfg.LoadCourse()
	})
	return s.course, s.courseErr
}

// Outline is the course as the store summarises progress against it.
func (s *Service) Outline() (progress.Outline, error) {
	c, err := s.Course()
	if err != nil {
		return progress.Outline{}, err
	}
	return OutlineOf(c), nil
}

// Summary is the learner's progress through the course at the service's now. Without a store
// it is the summary of a learner who has done nothing yet.
func (s *Service) Summary(ctx context.Context) (progress.Summary, error) {
	o, err := s.Outline()
	if err != nil {
		return progress.Summary{}, err
	}
	if s.cfg.Store == nil {
		return EmptySummary(s.cfg.Learner, o), nil
	}
	return s.cfg.Store.Summary(ctx, s.cfg.Learner, o, s.Now())
}

// History is everything the learner did, for the stats screen; without a store, nothing.
func (s *Service) History(ctx context.Context) (progress.LearnerDump, error) {
	if s.cfg.Store == nil {
		return progress.LearnerDump{}, nil
	}
	d, err := s.cfg.Store.Dump(ctx, progress.ExportFilter{Learners: []string{s.cfg.Learner}})
	if err != nil || len(d.Learners) == 0 {
		return progress.LearnerDump{}, err
	}
	return d.Learners[0], nil
}

// ReadLesson records that a lesson was read to its end. A lesson without a quiz is complete
// once read; one with a quiz is complete when its quiz is passed (Run.Finish).
func (s *Service) ReadLesson(ctx context.Context, lesson string) error {
	st := s.cfg.Store
	if st == nil {
		return nil
	}
	c, err := s.Course()
	if err != nil {
		return err
	}
	at := s.Now()
	if err := st.MarkRead(ctx, s.cfg.Learner, progress.LessonRead{Lesson: lesson, At: at}); err != nil {
		return err
	}
	if c.QuizForLesson(lesson) == nil {
		return st.MarkCompleted(ctx, s.cfg.Learner, progress.Completion{Lesson: lesson, At: at})
	}
	return nil
}

// syncQuestions tells the review schedule of questions rewritten since their cards were made,
// once per service: before it says what is due, and before a run's first answer.
func (s *Service) syncQuestions(ctx context.Context) error {
	if s.cfg.Store == nil {
		return nil
	}
	s.syncOnce.Do(func() {
		b, err := s.Bank()
		if err != nil {
			s.syncErr = err
			return
		}
		h := map[string]string{}
		for _, q := range b.Questions() {
			h[q.ID] = q.ContentHash()
		}
		_, s.syncErr = s.cfg.Store.SyncQuestions(ctx, h, s.Now())
	})
	return s.syncErr
}

// WithStore is the service on the same course, clock and bank, keeping progress in st: a face
// may start reading the bank while the store opens, then record through the service it returns.
func (s *Service) WithStore(st *progress.Store) *Service {
	cfg := s.cfg
	cfg.Store = st
	n := New(cfg)
	s.bankMu.Lock()
	n.bank = s.bank
	s.bankMu.Unlock()
	return n
}
