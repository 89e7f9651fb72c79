package study

import (
	"context"
	"sync"
	"time"

	"github.com/stagecraft/stagecraft/progress"
	"github.com/stagecraft/stagecraft/quiz"
)

// Run records one quiz run: Begin (once; Record waits for it), Record each response as it is
// given, Finish at the end. Both faces record through it, so an answer, a run's score and the
// lesson it completes are the same whichever face the learner used.
type Run struct {
	s       *Service
	quizID  string // "": answers are recorded outside any run
	lesson  string
	started time.Time

	once sync.Once
	uid  string
	err  error
}

// NewRun is the recorder of a run of the plan starting at started. Nothing is written yet.
func (s *Service) NewRun(p *Plan, started time.Time) *Run {
	return &Run{s: s, quizID: p.QuizID, lesson: p.Lesson, started: started}
}

// Begin writes the start of the run, once: the first caller writes it (after bringing the review
// schedule up to date with rewritten questions), later and concurrent callers wait for it. A face
// may call it in the background once the first question is on the screen, so the write is not
// on the way to it. A cancelled ctx does not leave a run half started.
func (r *Run) Begin(ctx context.Context) error {
	r.once.Do(func() {
		st := r.s.cfg.Store
		if st == nil {
			return
		}
		ctx := context.WithoutCancel(ctx)
		if r.err = r.s.syncQuestions(ctx); r.err != nil || r.quizID == "" {
			return
		}
		r.uid, r.err = st.StartQuizRun(ctx, r.s.cfg.Learner, progress.QuizRun{Quiz: r.quizID, Started: r.started})
	})
	return r.err
}

// Record saves one response as it is given (AnswerOf). A skipped question, an answer given
// after the time ran out or an empty response is not an answer and is not recorded.
func (r *Run) Record(ctx context.Context, resp quiz.Response) error {
	if r.s.cfg.Store == nil || resp.Question == nil || resp.Skipped || resp.Late {
		return nil
	}
	if err := r.Begin(ctx); err != nil {
		return err
	}
	_, err := r.s.cfg.Store.RecordAnswer(ctx, r.s.cfg.Learner, AnswerOf(resp, r.uid))
	return err
}

// Finish ends the run at at. Only a run that reached its end (RanToEnd) is scored: one quit
// early keeps its answers, saved as they were given, and stays unfinished. A passed run of a
// lesson's whole quiz completes that lesson. It reports whether the run was scored.
func (r *Run) Finish(ctx context.Context, sess *quiz.Session, sum quiz.Summary, at time.Time) (bool, error) {
	st := r.s.cfg.Store
	if st == nil || r.quizID == "" || !RanToEnd(sess, sum) {
		return false, nil
	}
	ctx = context.WithoutCancel(ctx)
	if err := r.Begin(ctx); err != nil {
		return false, err
	}
	learner := r.s.cfg.Learner
	if err := st.FinishQuizRun(ctx, learner, r.uid, progress.PointsOf(int64(sum.Score)), progress.PointsOf(int64(sum.MaxScore)), at); err != nil {
		return false, err
	}
	if sum.Passed && r.lesson != "" {
		return true, st.MarkCompleted(ctx, learner, progress.Completion{Lesson: r.lesson, At: at})
	}
	return true, nil
}

// AnswerOf is how one response is recorded: by the option the author wrote (quiz.FormatAnswer),
// never by the position it was shown in. runUID ties it to its run; "" records it alone.
func AnswerOf(r quiz.Response, runUID string) progress.Answer {
	q := r.Question
	return progress.Answer{RunUID: runUID, Question: q.ID, QuestionType: string(q.Type), ContentHash: q.ContentHash(),
		Given: quiz.FormatAnswer(q, r.Answer), Correct: r.Result.Correct,
		Points: progress.PointsOf(int64(r.Result.Points)), MaxPoints: progress.PointsOf(int64(r.Result.MaxPoints)),
		HintsUsed: r.HintsUsed, Took: r.Took, At: r.At}
}

// RanToEnd reports whether a quiz session reached its end — every question answered or skipped,
// or its time limit passed. Only such a run is scored: one quit after 3 of 9 questions is not a
// best of 1/9, and one whose input ended before any answer is not 0/10.
func RanToEnd(s *quiz.Session, sum quiz.Summary) bool {
	return len(s.Responses) >= len(s.Questions) || sum.TimedOut
}
