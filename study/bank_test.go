package study

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stagecraft/stagecraft/content"
	"github.com/stagecraft/stagecraft/lessons"
	"github.com/stagecraft/stagecraft/quiz"
)

// Unknown names get the closest one; a filter that selects nothing says which list did it.
func TestSelectSaysWhatIsWrong(t *testing.T) {
	s, _, _ := newService(t)
	b, _ := s.Bank()
	lesson := course(t).Lessons[0].ID
	_, err := Select(b, Filter{Lessons: []string{lesson[:len(lesson)-1]}})
	var unknown *UnknownError
	if !errors.As(err, &unknown) || !strings.Contains(err.Error(), "did you mean "+lesson+"?") {
		t.Fatalf("err = %v", err)
	}
	if err := CheckDifficulty("hrad"); err == nil || !strings.Contains(err.Error(), "did you mean hard?") {
		t.Fatalf("difficulty: %v", err)
	}
	// A tag whose questions lack a difficulty: asking for both selects nothing.
	var f Filter
	for _, tag := range b.Tags() {
		for _, d := range []string{"easy", "medium", "hard"} {
			if n, _ := Select(b, Filter{Tags: []string{tag}, Difficulties: []string{d}}); len(n) == 0 && f.Empty() {
				f = Filter{Tags: []string{tag}, Difficulties: []string{d}}
			}
		}
	}
	if f.Empty() {
		t.Fatal("every tag has questions of every difficulty: no filter to empty")
	}
	_, err = Select(b, f)
	var none *NoMatchError
	if !errors.As(err, &none) || none.WithoutDifficulty == "" {
		t.Fatalf("err = %v", err)
	}
}

// The bank is cached: a service on unchanged course files starts from the cache without loading
// the course; a changed quiz file, another binary's version or a damaged cache loads it again.
func TestBankCache(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	if err := os.CopyFS(dir, content.FS()); err != nil {
		t.Fatal(err)
	}
	loads := 0
	service := func(version string) *Service {
		load := func() (*lessons.Course, error) { loads++; return lessons.Load(os.DirFS(dir)) }
		return New(Config{FS: os.DirFS(dir), LoadCourse: load, CacheDir: cache, Version: version})
	}
	b, err := service("test").Bank()
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(cache, "quiz-bank", "*.json"))
	if len(files) != 1 || loads != 1 || len(b.Questions()) != len(course(t).AllQuestions()) {
		t.Fatalf("cache files %v, %d loads, %d questions", files, loads, len(b.Questions()))
	}
	// Mark the cached copy (explanations are not part of the content hash) to see it read.
	first := b.Questions()[0]
	data, _ := os.ReadFile(files[0])
	cached, err := quiz.UnmarshalBank(data)
	if err != nil {
		t.Fatal(err)
	}
	cached.Question(first.ID).Explanation = "from the cache"
	if data, err = json.Marshal(cached); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(files[0], data, 0o644)
	if b, err = service("test").Bank(); err != nil || loads != 1 || b.Question(first.ID).Explanation != "from the cache" {
		t.Fatalf("the cache was not read: %d loads, %v", loads, err)
	}
	if _, err = service("another").Bank(); err != nil || loads != 2 {
		t.Fatalf("another version read this version's cache: %d loads, %v", loads, err)
	}
	// A changed quiz: another key, the course is loaded again.
	qf := filepath.Join(dir, filepath.FromSlash(first.File))
	text, err := os.ReadFile(qf)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(qf, append(text, []byte("\n# an edit\n")...), 0o644)
	if b, err = service("test").Bank(); err != nil || loads != 3 || b.Question(first.ID).Explanation == "from the cache" {
		t.Fatalf("a changed course was read from the cache: %d loads, %v", loads, err)
	}
	// A damaged cache is only slower.
	files, _ = filepath.Glob(filepath.Join(cache, "quiz-bank", "*.json"))
	for _, f := range files {
		os.WriteFile(f, []byte("{not json"), 0o644)
	}
	if b, err = service("test").Bank(); err != nil || loads != 4 || len(b.Questions()) == 0 {
		t.Fatalf("damaged cache: %d loads, %v", loads, err)
	}
}

// The outline has every lesson and question of the course, each question with its content hash.
func TestOutlineOfTheRealCourse(t *testing.T) {
	c := course(t)
	o := OutlineOf(c)
	lessonsN, questions := 0, 0
	for _, m := range o.Modules {
		for _, l := range m.Lessons {
			lessonsN++
			questions += len(l.QuestionIDs)
			for _, q := range l.QuestionIDs {
				if o.Hashes.Questions[q] == "" {
					t.Errorf("question %s has no content hash", q)
				}
			}
		}
	}
	if lessonsN != len(c.Lessons) || questions == 0 || questions != len(c.AllQuestions()) {
		t.Errorf("outline: %d lessons (course %d), %d questions (course %d)", lessonsN, len(c.Lessons), questions, len(c.AllQuestions()))
	}
}
