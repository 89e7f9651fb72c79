package progress

// Outline is the shape of the course as the store needs it: which lessons there are, and which
// quiz, questions and exercises belong to each. The caller builds it from the course model, so
// this package does not depend on it.
type Outline struct {
	Modules []OutlineModule
	// Hashes, when given, are the current content hashes; scores recorded against other content
	// are then reported apart (QuizSummary.Outdated, ExerciseSummary.Outdated) and cards learned
	// on other content count as unseen. Missing ids or empty hashes match anything.
	Hashes ContentHashes
	// Tags maps question ids to their tags, for mastery per tag. Optional.
	Tags map[string][]string
}

// OutlineModule is a module of the course, its lessons in order.
type OutlineModule struct {
	ID, Title string
	Lessons   []OutlineLesson
}

// OutlineLesson is a lesson with its quiz (QuizID may be ""), the ids of that quiz's questions,
// and its exercises.
type OutlineLesson struct {
	ID, Title   string
	QuizID      string
	QuestionIDs []string
	ExerciseIDs []string
}

// ContentHashes are the current content hashes by id.
type ContentHashes struct {
	Quizzes, Questions, Exercises map[string]string
}

// Lesson finds a lesson of the outline by id.
func (o Outline) Lesson(id string) (OutlineLesson, bool) {
	for _, m := range o.Modules {
		for _, l := range m.Lessons {
			if l.ID == id {
				return l, true
			}
		}
	}
	return OutlineLesson{}, false
}

// HasExercise reports whether some lesson of the outline has this exercise.
func (o Outline) HasExercise(id string) bool {
	for _, m := range o.Modules {
		for _, l := range m.Lessons {
			for _, e := range l.ExerciseIDs {
				if e == id {
					return true
				}
			}
		}
	}
	return false
}
