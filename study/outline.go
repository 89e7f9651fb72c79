package study

import (
	"github.com/stagecraft/stagecraft/lessons"
	"github.com/stagecraft/stagecraft/progress"
)

// OutlineOf turns the course model into the outline the progress store summarises against.
// Question content hashes come from the quiz package, so a rewritten question's old review card
// counts as unseen.
//
// TODO(progress): quiz-run and exercise-attempt hashes (Outline.Hashes.Quizzes/Exercises) are not
// set: the course model has no canonical content hash for a quiz or an exercise yet. Once lessons
// exports one (e.g. (*lessons.Exercise).ContentHash) and runs and attempts are recorded with it,
// set them here so scores on earlier content are reported apart.
func OutlineOf(c *lessons.Course) progress.Outline {
	o := progress.Outline{
		Hashes: progress.ContentHashes{Questions: map[string]string{}},
		Tags:   map[string][]string{},
	}
	for _, m := range c.Modules {
		om := progress.OutlineModule{ID: m.ID, Title: m.Title}
		for _, l := range m.Lessons {
			ol := progress.OutlineLesson{ID: l.ID, Title: l.Title}
			if q := c.QuizForLesson(l.ID); q != nil {
				ol.QuizID = q.ID
				for _, qu := range q.Questions {
					ol.QuestionIDs = append(ol.QuestionIDs, qu.ID)
					o.Hashes.Questions[qu.ID] = qu.ContentHash()
					if len(qu.Tags) > 0 {
						o.Tags[qu.ID] = qu.Tags
					}
				}
			}
			for _, e := range c.ExercisesForLesson(l.ID) {
				ol.ExerciseIDs = append(ol.ExerciseIDs, e.ID)
			}
			om.Lessons = append(om.Lessons, ol)
		}
		o.Modules = append(o.Modules, om)
	}
	return o
}

// EmptySummary is the summary of a learner who has done nothing: every lesson and exercise
// counted, none done. It is what a face shows without a store, or when the store fails.
func EmptySummary(learner string, o progress.Outline) progress.Summary {
	s := progress.Summary{Learner: learner}
	for _, m := range o.Modules {
		ms := progress.ModuleSummary{ID: m.ID, Title: m.Title}
		for _, l := range m.Lessons {
			ls := progress.LessonSummary{ID: l.ID, Title: l.Title}
			for _, e := range l.ExerciseIDs {
				ls.Exercises = append(ls.Exercises, progress.ExerciseSummary{ID: e, Status: progress.NotStarted})
				s.Exercises.Total++
			}
			ms.Lessons = append(ms.Lessons, ls)
			s.Lessons.Total++
			s.Read.Total++
		}
		s.Modules = append(s.Modules, ms)
	}
	s.Completion.Total = s.Lessons.Total + s.Exercises.Total
	return s
}

// EmptySummary is the summary of the service's learner before anything is done.
func (s *Service) EmptySummary() progress.Summary {
	o, _ := s.Outline()
	return EmptySummary(s.cfg.Learner, o)
}
