package progress

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"
)

// Summary is a learner's progress through a course at a moment.
type Summary struct {
	Learner    string             `json:"learner"`
	At         time.Time          `json:"at"`
	Modules    []ModuleSummary    `json:"modules"`
	Lessons    Count              `json:"lessons"`   // completed of all lessons
	Read       Count              `json:"read"`      // read of all lessons
	Exercises  Count              `json:"exercises"` // passed of all exercises
	Completion Count              `json:"completion"`
	Streak     Streak             `json:"streak"`
	Due        DueCounts          `json:"due"`
	Tags       map[string]Mastery `json:"tags,omitempty"`
	Untracked  []string           `json:"untracked,omitempty"` // ids with progress that the outline no longer has
}

// Count is done out of total, kept as integers so percentages are computed once, at display.
type Count struct {
	Done  int `json:"done"`
	Total int `json:"total"`
}

// Percent is Done/Total as a whole percentage, rounded down (0 when Total is 0).
func (c Count) Percent() int {
	if c.Total == 0 {
		return 0
	}
	return c.Done * 100 / c.Total
}

// Streak counts consecutive days with any activity (a read, an answer, an attempt), in the time
// zone of the summary's now. Current includes today, or ends yesterday if today has none yet.
type Streak struct {
	Current    int       `json:"current"`
	Longest    int       `json:"longest"`
	LastActive time.Time `json:"last_active,omitzero"`
}

// ModuleSummary is the progress through one module.
type ModuleSummary struct {
	ID         string          `json:"id"`
	Title      string          `json:"title"`
	Lessons    []LessonSummary `json:"lessons"`
	Completion Count           `json:"completion"` // completed lessons and passed exercises
}

// LessonSummary is the progress through one lesson.
type LessonSummary struct {
	ID        string            `json:"id"`
	Title     string            `json:"title"`
	Read      bool              `json:"read"`
	LastRead  time.Time         `json:"last_read,omitzero"`
	Completed bool              `json:"completed"`
	Quiz      *QuizSummary      `json:"quiz,omitempty"`
	Mastery   Mastery           `json:"mastery"`
	Exercises []ExerciseSummary `json:"exercises,omitempty"`
}

// Score is points out of a maximum.
type Score struct {
	Score    Points    `json:"score"`
	MaxScore Points    `json:"max_score"`
	At       time.Time `json:"at"`
}

// QuizSummary is the finished runs of a lesson's quiz on its current content.
type QuizSummary struct {
	ID       string `json:"id"`
	Runs     int    `json:"runs"`
	Best     *Score `json:"best,omitempty"` // highest share of the maximum; the earlier on a tie
	Last     *Score `json:"last,omitempty"`
	Outdated int    `json:"outdated,omitempty"` // finished runs on earlier content, not counted
}

// ExerciseStatus is how far a learner got with an exercise.
type ExerciseStatus string

const (
	NotStarted ExerciseStatus = "not started"
	Attempted  ExerciseStatus = "attempted"
	Passed     ExerciseStatus = "passed"
	// PassedEarlier: passed, but only an earlier version of the exercise.
	PassedEarlier ExerciseStatus = "passed earlier version"
)

// ExerciseSummary is the gradable attempts at an exercise on its current content.
type ExerciseSummary struct {
	ID        string         `json:"id"`
	Status    ExerciseStatus `json:"status"`
	Attempts  int            `json:"attempts"`
	Best      *Score         `json:"best,omitempty"`
	Last      *Score         `json:"last,omitempty"`
	BestImage int64          `json:"best_image_bytes,omitempty"` // smallest image of a passing attempt
	Outdated  int            `json:"outdated,omitempty"`         // attempts on earlier content, not counted
}

// Lesson returns the summary of one lesson by id.
func (s Summary) Lesson(id string) (LessonSummary, bool) {
	for _, m := range s.Modules {
		for _, l := range m.Lessons {
			if l.ID == id {
				return l, true
			}
		}
	}
	return LessonSummary{}, false
}

// Summary computes a learner's progress through the outline at now. All reads happen in one
// read transaction, so the figures agree with each other even while others write.
func (s *Store) Summary(ctx context.Context, learner string, o Outline, now time.Time) (Summary, error) {
	sum := Summary{Learner: learner, At: now}
	id, found, err := s.findLearner(ctx, learner)
	if err != nil {
		return sum, fmt.Errorf("summarising progress: %w", err)
	}
	var f facts
	if found {
		tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			return sum, fmt.Errorf("summarising progress: %w", err)
		}
		defer tx.Rollback()
		if f, err = readFacts(ctx, tx, id, o, now); err != nil {
			return sum, fmt.Errorf("summarising progress: %w", err)
		}
		if sum.Due, err = dueCounts(ctx, tx, id, now); err != nil {
			return sum, err
		}
		if sum.Streak, err = streak(ctx, tx, id, now); err != nil {
			return sum, fmt.Errorf("summarising progress: %w", err)
		}
	}
	recall := s.recallByQuestion(f.cards, o.Hashes.Questions, now)
	known := map[string]bool{}
	for _, m := range o.Modules {
		ms := ModuleSummary{ID: m.ID, Title: m.Title}
		for _, l := range m.Lessons {
			known["lesson:"+l.ID] = true
			ls := LessonSummary{ID: l.ID, Title: l.Title, Mastery: masteryOf(recall, l.QuestionIDs)}
			if at, ok := f.lastRead[l.ID]; ok {
				ls.Read, ls.LastRead = true, at
				sum.Read.Done++
			}
			ls.Completed = f.completed[l.ID]
			sum.Read.Total++
			sum.Lessons.Total++
			ms.Completion.Total++
			if ls.Completed {
				sum.Lessons.Done++
				ms.Completion.Done++
			}
			if l.QuizID != "" {
				known["quiz:"+l.QuizID] = true
				ls.Quiz = quizSummary(l.QuizID, f.runs[l.QuizID], o.Hashes.Quizzes[l.QuizID])
			}
			for _, e := range l.ExerciseIDs {
				known["exercise:"+e] = true
				es := exerciseSummary(e, f.attempts[e], o.Hashes.Exercises[e])
				ls.Exercises = append(ls.Exercises, es)
				sum.Exercises.Total++
				ms.Completion.Total++
				if es.Status == Passed {
					sum.Exercises.Done++
					ms.Completion.Done++
				}
			}
			ms.Lessons = append(ms.Lessons, ls)
		}
		sum.Modules = append(sum.Modules, ms)
		sum.Completion.Done += ms.Completion.Done
		sum.Completion.Total += ms.Completion.Total
	}
	if len(o.Tags) > 0 {
		groups := map[string][]string{}
		for q, tags := range o.Tags {
			for _, t := range tags {
				groups[t] = append(groups[t], q)
			}
		}
		sum.Tags = make(map[string]Mastery, len(groups))
		for t, qs := range groups {
			sum.Tags[t] = masteryOf(recall, qs)
		}
	}
	for _, k := range f.ids {
		if !known[k] {
			sum.Untracked = append(sum.Untracked, k)
		}
	}
	sort.Strings(sum.Untracked)
	return sum, nil
}

// facts is what Summary reads from the database, before matching it to the outline.
