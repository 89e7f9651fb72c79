package quiz

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
)

// Bank is a course's questions with what quiz mode chooses them by: the quizzes, the lessons
// they belong to and the modules of those lessons. The course loader's model holds far more
// (lesson text, exercises); a Bank is what `stagecraft quiz` needs, and it saves to JSON so that
// a quiz can start without parsing the course's YAML again.
type Bank struct {
	Modules []BankModule `json:"modules"` // in course order
	Lessons []BankLesson `json:"lessons"` // in course order
	Quizzes []*Quiz      `json:"-"`       // in course order: Questions concatenates them

	lessons   map[string]*BankLesson
	modules   map[string]bool
	quizzes   map[string]*Quiz
	questions map[string]*Question
}

// BankModule is a module of the course.
type BankModule struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// BankLesson is a lesson of the course.
type BankLesson struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Module string `json:"module"`
}

// NewBank indexes a course's quizzes (in course order), lessons and modules. It sets each
// question's Module from its lesson.
func NewBank(modules []BankModule, lessons []BankLesson, quizzes []*Quiz) *Bank {
	b := &Bank{Modules: modules, Lessons: lessons, Quizzes: quizzes,
		lessons: map[string]*BankLesson{}, modules: map[string]bool{}, quizzes: map[string]*Quiz{}, questions: map[string]*Question{}}
	for _, m := range modules {
		b.modules[m.ID] = true
	}
	for i := range b.Lessons {
		b.lessons[b.Lessons[i].ID] = &b.Lessons[i]
	}
	for _, qz := range quizzes {
		b.quizzes[qz.ID] = qz
		for _, q := range qz.Questions {
			if l := b.lessons[q.Lesson]; l != nil && q.Module == "" {
				q.Module = l.Module
			}
			b.questions[q.ID] = q
		}
	}
	return b
}

// Questions returns every question, quiz by quiz in course order.
func (b *Bank) Questions() []*Question {
	var out []*Question
	for _, qz := range b.Quizzes {
		out = append(out, qz.Questions...)
	}
	return out
}

// Question returns the question with this id, or nil.
func (b *Bank) Question(id string) *Question { return b.questions[id] }

// Quiz returns the quiz with this id, or nil.
func (b *Bank) Quiz(id string) *Quiz { return b.quizzes[id] }

// Lesson returns the lesson with this id, or nil.
func (b *Bank) Lesson(id string) *BankLesson { return b.lessons[id] }

// HasModule reports whether the course has a module with this id.
func (b *Bank) HasModule(id string) bool { return b.modules[id] }

// Tags lists every tag of the questions, sorted.
func (b *Bank) Tags() []string {
	var tags []string
	for _, q := range b.questions {
		for _, t := range q.Tags {
			if !slices.Contains(tags, t) {
				tags = append(tags, t)
			}
		}
	}
	slices.Sort(tags)
	return tags
}

// bankJSON is the saved form of a Bank.
type bankJSON struct {
	Schema  string       `json:"schema"`
	Modules []BankModule `json:"modules"`
	Lessons []BankLesson `json:"lessons"`
	Quizzes []quizJSON   `json:"quizzes"`
}

type quizJSON struct {
	ID          string         `json:"id"`
	Title       string         `json:"title"`
	Lesson      string         `json:"lesson"`
	PassPercent int            `json:"pass_percent"`
	Questions   []QuestionJSON `json:"questions"`
}

// BankSchema names the JSON form of a Bank.
const BankSchema = "stagecraft.quiz.bank/v1"

// MarshalJSON saves the bank with every question in the JSON export's form.
func (b *Bank) MarshalJSON() ([]byte, error) {
	doc := bankJSON{Schema: BankSchema, Modules: b.Modules, Lessons: b.Lessons}
	for _, qz := range b.Quizzes {
		qj := quizJSON{ID: qz.ID, Title: qz.Title, Lesson: qz.Lesson, PassPercent: qz.PassPercent}
		for _, q := range qz.Questions {
			qj.Questions = append(qj.Questions, q.ToJSON())
		}
		doc.Quizzes = append(doc.Quizzes, qj)
	}
	return json.Marshal(doc)
}

// UnmarshalBank reads a bank saved by MarshalJSON. It trusts the data to be a valid course's
// (it was valid when saved), but refuses another schema and questions it cannot rebuild.
func UnmarshalBank(data []byte) (*Bank, error) {
	var doc bankJSON
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("reading the question bank: %w", err)
	}
	if doc.Schema != BankSchema {
		return nil, fmt.Errorf("reading the question bank: schema %q, want %q", doc.Schema, BankSchema)
	}
	quizzes := make([]*Quiz, 0, len(doc.Quizzes))
	for _, qj := range doc.Quizzes {
		qz := &Quiz{ID: qj.ID, Title: qj.Title, Lesson: qj.Lesson, PassPercent: qj.PassPercent}
		for _, j := range qj.Questions {
			q, err := QuestionFromJSON(j)
			if err != nil {
				return nil, fmt.Errorf("reading the question bank: %w", err)
			}
			qz.Questions = append(qz.Questions, q)
		}
		quizzes = append(quizzes, qz)
	}
	return NewBank(doc.Modules, doc.Lessons, quizzes), nil
}

// QuestionFromJSON rebuilds a question from the JSON export's form. A short question's pattern
// is compiled when first used.
func QuestionFromJSON(j QuestionJSON) (*Question, error) {
	q := &Question{ID: j.ID, Quiz: j.Quiz, Lesson: j.Lesson, Module: j.Module, Type: j.Type, Difficulty: j.Difficulty,
		Points: j.Points, Tags: j.Tags, Prompt: j.Prompt, Code: j.Code, Accept: j.Accept, Pattern: j.Pattern,
		Items: j.Items, AnswerLine: j.AnswerLine, Hints: j.Hints, Explanation: j.Explanation}
	if !slices.Contains(Types(), q.Type) {
		return nil, fmt.Errorf("question %s: unknown type %q", j.ID, j.Type)
	}
	for _, o := range j.Options {
		q.Options = append(q.Options, Option(o))
	}
	if j.Answer != nil {
		q.IsTrue = *j.Answer
	}
	if len(j.LineFeedback) > 0 {
		q.LineFeedback = make(map[int]string, len(j.LineFeedback))
		for k, v := range j.LineFeedback {
			n, err := strconv.Atoi(k)
			if err != nil {
				return nil, fmt.Errorf("question %s: line_feedback key %q is not a line number", j.ID, k)
			}
			q.LineFeedback[n] = v
		}
	}
	if j.ContentHash != "" && q.ContentHash() != j.ContentHash {
		return nil, fmt.Errorf("question %s does not rebuild to the content it was saved with", j.ID)
	}
	return q, nil
}
