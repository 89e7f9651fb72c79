package quiz

import (
	"encoding/json"
	"io"
	"strconv"
)

// ExportSchema names the JSON export of questions.
const ExportSchema = "stagecraft.quiz.export/v1"

// QuestionJSON is a question in the JSON export: the course-format fields under their YAML
// names, plus where it belongs and its content hash (docs/course-format.md).
type QuestionJSON struct {
	ID           string            `json:"id"`
	Quiz         string            `json:"quiz,omitempty"`
	Lesson       string            `json:"lesson,omitempty"`
	Module       string            `json:"module,omitempty"`
	Type         Type              `json:"type"`
	Difficulty   Difficulty        `json:"difficulty"`
	Points       int               `json:"points"`
	Tags         []string          `json:"tags,omitempty"`
	Prompt       string            `json:"prompt"`
	Code         string            `json:"code,omitempty"`
	Options      []OptionJSON      `json:"options,omitempty"`
	Shuffle      *bool             `json:"shuffle,omitempty"` // false: the options' order is pinned
	Answer       *bool             `json:"answer,omitempty"`
	Accept       []string          `json:"accept,omitempty"`
	Pattern      string            `json:"pattern,omitempty"`
	Items        []string          `json:"items,omitempty"`
	AnswerLine   int               `json:"answer_line,omitempty"`
	LineFeedback map[string]string `json:"line_feedback,omitempty"`
	Hints        []string          `json:"hints,omitempty"`
	Explanation  string            `json:"explanation,omitempty"`
	ContentHash  string            `json:"content_hash"`
}

// OptionJSON is an option of a single or multiple question.
type OptionJSON struct {
	Text     string `json:"text"`
	Correct  bool   `json:"correct"`
	Feedback string `json:"feedback,omitempty"`
}

// ToJSON is q in the JSON export's shape.
func (q *Question) ToJSON() QuestionJSON {
	j := QuestionJSON{
		ID: q.ID, Quiz: q.Quiz, Lesson: q.Lesson, Module: q.Module, Type: q.Type, Difficulty: q.Difficulty,
		Points: q.Points, Tags: q.Tags, Prompt: q.Prompt, Code: q.Code, Accept: q.Accept, Pattern: q.Pattern,
		Items: q.Items, Hints: q.Hints, Explanation: q.Explanation, ContentHash: q.ContentHash(),
	}
	for _, o := range q.Options {
		j.Options = append(j.Options, OptionJSON(o))
	}
	if q.KeepOrder {
		pinned := false
		j.Shuffle = &pinned
	}
	switch q.Type {
	case TypeTrueFalse:
		v := q.IsTrue
		j.Answer = &v
	case TypeSpotLine:
		j.AnswerLine = q.AnswerLine
		if len(q.LineFeedback) > 0 {
			j.LineFeedback = map[string]string{}
			for n, f := range q.LineFeedback {
				j.LineFeedback[strconv.Itoa(n)] = f
			}
		}
	}
	return j
}

// ExportJSON writes qs as one JSON document: {"schema": ExportSchema, "questions": [...]}.
func ExportJSON(w io.Writer, qs []*Question) error {
	doc := struct {
		Schema    string         `json:"schema"`
		Questions []QuestionJSON `json:"questions"`
	}{Schema: ExportSchema, Questions: make([]QuestionJSON, 0, len(qs))}
	for _, q := range qs {
		doc.Questions = append(doc.Questions, q.ToJSON())
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
