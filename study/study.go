// Package study holds the rules of a learner's progress that both faces of stagecraft — the
// terminal app and the command line — apply: how an answer is recorded, how a quiz run ends and
// when it completes its lesson, when reading a lesson completes it. A face reads input and shows
// output; it calls these instead of deciding the rule itself, so the two cannot drift apart.
package study

import (
	"context"
	"time"

	"github.com/stagecraft/stagecraft/progress"
	"github.com/stagecraft/stagecraft/quiz"
)

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

// FinishQuizRun records the end of a quiz run and its score. A passed run of a lesson's quiz
// (lesson != "") completes that lesson, whichever face ran it.
func FinishQuizRun(ctx context.Context, st *progress.Store, learner, runUID, lesson string, sum quiz.Summary, at time.Time) error {
	if err := st.FinishQuizRun(ctx, learner, runUID, progress.PointsOf(int64(sum.Score)), progress.PointsOf(int64(sum.MaxScore)), at); err != nil {
		return err
	}
	if sum.Passed && lesson != "" {
		return st.MarkCompleted(ctx, learner, progress.Completion{Lesson: lesson, At: at})
	}
	return nil
}

// ReadLesson records that a lesson was read to its end. A lesson without a quiz is complete
// once read; one with a quiz is complete when its quiz is passed (FinishQuizRun).
func ReadLesson(ctx context.Context, st *progress.Store, learner, lesson string, hasQuiz bool, at time.Time) error {
	if err := st.MarkRead(ctx, learner, progress.LessonRead{Lesson: lesson, At: at}); err != nil {
		return err
	}
	if !hasQuiz {
		return st.MarkCompleted(ctx, learner, progress.Completion{Lesson: lesson, At: at})
	}
	return nil
}
