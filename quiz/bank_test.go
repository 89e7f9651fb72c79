package quiz_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/stagecraft/stagecraft/content"
	"github.com/stagecraft/stagecraft/lessons"
	"github.com/stagecraft/stagecraft/quiz"
)

// TestBankJSONRoundTrip saves the embedded course's questions as a bank and reads them back:
// every question is the same, and the lookups work on the copy.
func TestBankJSONRoundTrip(t *testing.T) {
	c, err := lessons.Load(content.FS())
	if err != nil {
		t.Fatal(err)
	}
	var modules []quiz.BankModule
	for _, m := range c.Modules {
		modules = append(modules, quiz.BankModule{ID: m.ID, Title: m.Title})
	}
	var ls []quiz.BankLesson
	var quizzes []*quiz.Quiz
	for _, l := range c.Lessons {
		ls = append(ls, quiz.BankLesson{ID: l.ID, Title: l.Title, Module: l.Module})
		if qz := c.QuizForLesson(l.ID); qz != nil {
			quizzes = append(quizzes, qz)
		}
	}
	b := quiz.NewBank(modules, ls, quizzes)
	data, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	back, err := quiz.UnmarshalBank(data)
	if err != nil {
		t.Fatal(err)
	}
	want, got := c.AllQuestions(), back.Questions()
	if len(got) != len(want) || len(got) == 0 {
		t.Fatalf("%d questions back, want %d", len(got), len(want))
	}
	for i, q := range got {
		if !reflect.DeepEqual(q.ToJSON(), want[i].ToJSON()) {
			t.Errorf("%s changed:\n got %+v\nwant %+v", q.ID, q.ToJSON(), want[i].ToJSON())
		}
		if q.Module == "" || q.Module != want[i].Module || back.Question(q.ID) != q {
			t.Errorf("%s: module %q (want %q) or lookup broken", q.ID, q.Module, want[i].Module)
		}
	}
	for _, l := range c.Lessons {
		if back.Lesson(l.ID) == nil || !back.HasModule(l.Module) {
			t.Errorf("lesson %s or its module is missing", l.ID)
		}
	}
	if qz := c.Quizzes[0]; back.Quiz(qz.ID) == nil || back.Quiz(qz.ID).PassPercent != qz.PassPercent {
		t.Errorf("quiz %s lookup", qz.ID)
	}
	if len(back.Tags()) == 0 {
		t.Error("no tags")
	}

	// A saved question whose content does not match its hash is refused.
	var doc map[string]any
	json.Unmarshal(data, &doc)
	doc["quizzes"].([]any)[0].(map[string]any)["questions"].([]any)[0].(map[string]any)["prompt"] = "tampered"
	bad, _ := json.Marshal(doc)
	if _, err := quiz.UnmarshalBank(bad); err == nil {
		t.Error("a tampered bank was read")
	}
	if _, err := quiz.UnmarshalBank([]byte(`{"schema":"other"}`)); err == nil {
		t.Error("another schema was read")
	}
}
