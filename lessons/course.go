// Package lessons owns the course model: it loads a course folder (course.yaml, lessons with
// front matter, quizzes through package quiz, exercise metadata), cross-checks it with every error
// at file:line:col, answers lookups (modules and lessons in order, a lesson's quiz and
// exercises), and renders lesson Markdown for the terminal with Glamour.
package lessons

import (
	"io/fs"

	"github.com/stagecraft/stagecraft/quiz"
)

// Course is a loaded, valid course.
type Course struct {
	Title     string
	Modules   []*Module    // in course.yaml order
	Lessons   []*Lesson    // in course order: by module, then by order within it
	Quizzes   []*quiz.Quiz // in file name order
	Exercises []*Exercise  // in folder name order

	// FS is the course folder it was loaded from; exercise paths (Context, Starter, Solution)
	// are paths in it.
	FS fs.FS

	modules   map[string]*Module
	lessons   map[string]*Lesson
	quizzes   map[string]*quiz.Quiz
	exercises map[string]*Exercise
	questions map[string]*quiz.Question
}

// Module is a group of lessons.
type Module struct {
	ID      string
	Title   string
	Summary string
	Index   int       // 0-based position in the course
	Lessons []*Lesson // by order
}

// Lesson is one lesson file.
type Lesson struct {
	ID         string
	Title      string
	Module     string // the module's id
	Order      int    // position within the module, as written (1, 2, … or with gaps)
	Minutes    int    // reading time; 0 when not given
	Objectives []string
	Quiz       string   // the quiz id named in the front matter, or ""
	Exercises  []string // the exercise ids named in the front matter

	Body     string // the Markdown after the front matter
	BodyLine int    // the file line Body starts on
	File     string // path in the course folder
	Index    int    // 0-based position in Course.Lessons

	pos         map[string]quiz.Pos // where front matter values are, for cross-checks
	exercisePos []quiz.Pos          // where each of Exercises is
	snippets    []Snippet           // the complete Dockerfile snippets, in file order
}

// Exercise is one exercises/<id>/exercise.yaml. Its checks stay raw YAML here: their typed form
// belongs to the sandbox, which decodes RawChecks (see ChecksLine for positions).
type Exercise struct {
	ID         string
	Title      string
	Lesson     string // the lesson that teaches it
	Difficulty quiz.Difficulty
	Points     int
	Brief      string // Markdown shown above the editor
	Hints      []string

	Dir      string // the exercise folder in the course FS: exercises/<id>
	File     string // Dir + "/exercise.yaml"
	Context  string // the build context folder in the course FS; "" when the exercise has none
	Starter  string // the starter Dockerfile in the course FS
	Solution string // the reference Dockerfile in the course FS
	Platform string // the target platform every build is for (normalized, "linux/arm64"); "" is the daemon's

	// RawChecks is the source text of the checks list, verbatim from File: its line 1 is line
	// ChecksLine of File and columns are unchanged (text before the list on its first line is
	// blanked), so a decoder can report errors at File's real positions — e.g. with
	// yamlpos.Decoder{File: e.File}.Parse(e.RawChecks, e.ChecksLine).
	RawChecks  []byte
	ChecksLine int

	pos map[string]quiz.Pos
}

// Module returns the module with this id, or nil.
func (c *Course) Module(id string) *Module { return c.modules[id] }

// Lesson returns the lesson with this id, or nil.
func (c *Course) Lesson(id string) *Lesson { return c.lessons[id] }

// Quiz returns the quiz with this id, or nil.
func (c *Course) Quiz(id string) *quiz.Quiz { return c.quizzes[id] }

// Exercise returns the exercise with this id, or nil.
func (c *Course) Exercise(id string) *Exercise { return c.exercises[id] }

// Question returns the question with this id (ids are unique across the course), or nil.
func (c *Course) Question(id string) *quiz.Question { return c.questions[id] }

// Next returns the lesson after l in course order (across modules), or nil after the last.
func (c *Course) Next(l *Lesson) *Lesson {
	if l == nil || l.Index+1 >= len(c.Lessons) {
		return nil
	}
	return c.Lessons[l.Index+1]
}

// Prev returns the lesson before l in course order, or nil before the first.
func (c *Course) Prev(l *Lesson) *Lesson {
	if l == nil || l.Index <= 0 || l.Index > len(c.Lessons) {
		return nil
	}
	return c.Lessons[l.Index-1]
}

// QuizForLesson returns the lesson's quiz (the one its front matter names, else the one whose
// lesson: is it), or nil.
func (c *Course) QuizForLesson(lessonID string) *quiz.Quiz {
	if l := c.lessons[lessonID]; l != nil && l.Quiz != "" {
		return c.quizzes[l.Quiz]
	}
	for _, q := range c.Quizzes {
		if q.Lesson == lessonID {
			return q
		}
	}
	return nil
}

// ExercisesForLesson returns the exercises the lesson names, in its order, then any other
// exercise whose lesson: is it.
func (c *Course) ExercisesForLesson(lessonID string) []*Exercise {
	var out []*Exercise
	seen := map[string]bool{}
	if l := c.lessons[lessonID]; l != nil {
		for _, id := range l.Exercises {
			if e := c.exercises[id]; e != nil && !seen[id] {
				out, seen[id] = append(out, e), true
			}
		}
	}
	for _, e := range c.Exercises {
		if e.Lesson == lessonID && !seen[e.ID] {
			out, seen[e.ID] = append(out, e), true
		}
	}
	return out
}

// AllQuestions returns every question of the course, quiz by quiz in lesson order (quizzes of
// no lesson last, which a valid course does not have).
func (c *Course) AllQuestions() []*quiz.Question {
	var out []*quiz.Question
	done := map[*quiz.Quiz]bool{}
	for _, l := range c.Lessons {
		if q := c.QuizForLesson(l.ID); q != nil && !done[q] {
			out, done[q] = append(out, q.Questions...), true
		}
	}
	for _, q := range c.Quizzes {
		if !done[q] {
			out = append(out, q.Questions...)
		}
	}
	return out
}
