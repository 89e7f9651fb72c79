// Package quiz owns the course's questions: the quiz file format (parsing and validation with
// every error at file:line:col), scoring an answer, a content hash per question for the progress
// store, and choosing questions for quiz mode. It knows nothing of lessons, the UI or storage.
package quiz

import (
	"regexp"
	"strings"

	"github.com/stagecraft/stagecraft/quiz/yamlpos"
)

// Error is one mistake in a course file, printed as file:line:col: message.
type Error = yamlpos.Error

// ValidationErrors is every mistake found in course files; Parse and the course loader return it
// (use errors.As) so callers can print them one per line.
type ValidationErrors = yamlpos.Errors

// Pos is a 1-based line and column in a course file.
type Pos = yamlpos.Pos

// Type is the kind of question, which decides the fields it uses and the Answer it takes.
type Type string

const (
	TypeSingle    Type = "single"     // one correct option; answered with Choices of one index
	TypeMultiple  Type = "multiple"   // one or more correct options, all-or-nothing; Choices
	TypeTrueFalse Type = "true_false" // a statement; Bool
	TypeShort     Type = "short"      // a typed answer, accepted list and/or pattern; Text
	TypeOrder     Type = "order"      // put items in order; Permutation
	TypeSpotLine  Type = "spot_line"  // which line of the code is wrong; Line
)

// Types lists every question type, in the order the format documents them.
func Types() []Type {
	return []Type{TypeSingle, TypeMultiple, TypeTrueFalse, TypeShort, TypeOrder, TypeSpotLine}
}

// Difficulty is easy, medium or hard.
type Difficulty string

const (
	Easy   Difficulty = "easy"
	Medium Difficulty = "medium"
	Hard   Difficulty = "hard"
)

// Difficulties lists the difficulties from easiest to hardest.
func Difficulties() []Difficulty { return []Difficulty{Easy, Medium, Hard} }

// Rank orders difficulties: easy 0, medium 1, hard 2; -1 for an unknown one.
func (d Difficulty) Rank() int {
	switch d {
	case Easy:
		return 0
	case Medium:
		return 1
	case Hard:
		return 2
	}
	return -1
}

// DefaultPassPercent is a quiz's pass mark when its file does not set pass_percent.
const DefaultPassPercent = 70

// Quiz is one quiz file.
type Quiz struct {
	ID          string
	Title       string
	Lesson      string // the lesson it belongs to
	PassPercent int
	Questions   []*Question

	File      string // path in the course folder, as given to Parse
	IDPos     Pos    // where id's value is (for errors that name the quiz)
	LessonPos Pos    // where lesson's value is
}

// MaxPoints is the sum of the questions' points.
func (q *Quiz) MaxPoints() int {
	total := 0
	for _, qu := range q.Questions {
		total += qu.Points
	}
	return total
}

// Passed reports whether points reach the quiz's pass mark (pass_percent of MaxPoints,
// compared exactly in integers).
func (q *Quiz) Passed(points int) bool {
	return points*100 >= q.PassPercent*q.MaxPoints()
}

// Question is one question of a quiz. Which fields are set depends on Type.
type Question struct {
	ID          string
	Type        Type
	Difficulty  Difficulty
	Points      int // at least 1; 1 when the file does not say
	Tags        []string
	Prompt      string // Markdown
	Code        string // optional Dockerfile shown with the prompt; the subject of spot_line
	Hints       []string
	Explanation string // Markdown, shown after answering

	Options []Option // single, multiple
	// KeepOrder pins the options of a single or multiple question in the order the author wrote
	// them (the file's "shuffle: false"), for options such as "all of the above" that read
	// wrong anywhere else. Otherwise every presentation shuffles them (ShownOrder).
	KeepOrder    bool
	IsTrue       bool           // true_false: the statement's truth (the file's answer:)
	Accept       []string       // short: accepted answers, compared after NormalizeShort
	Pattern      string         // short: a Go regular expression the whole answer must match
	Items        []string       // order: the items in the correct order
	AnswerLine   int            // spot_line: the 1-based line of Code that is wrong
	LineFeedback map[int]string // spot_line: feedback per line of Code

	Quiz   string // the quiz's id
	Lesson string // the quiz's lesson
	Module string // the lesson's module; set by the course loader, empty after Parse alone
	File   string
	IDPos  Pos // where id's value is

	pattern *regexp.Regexp // compiled Pattern, anchored; nil when Pattern is empty
}

// Option is a choice of a single or multiple question.
type Option struct {
	Text     string
	Correct  bool
	Feedback string // shown when the learner picks it
}

// CorrectOptions returns the indexes of the correct options.
func (q *Question) CorrectOptions() []int {
	var idx []int
	for i, o := range q.Options {
		if o.Correct {
			idx = append(idx, i)
		}
	}
	return idx
}

// CodeLines returns Code split into lines (without a final empty line).
func (q *Question) CodeLines() []string {
	return codeLines(q.Code)
}

func codeLines(code string) []string {
	code = strings.TrimRight(strings.ReplaceAll(code, "\r\n", "\n"), "\n")
	if code == "" {
		return nil
	}
	return strings.Split(code, "\n")
}
