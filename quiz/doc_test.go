package quiz

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestCourseFormatExamples keeps docs/course-format.md honest: its examples of each question
// type parse as a quiz.
func TestCourseFormatExamples(t *testing.T) {
	doc, err := os.ReadFile("../docs/course-format.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(string(doc), -1)
	found, whole := 0, 0
	for _, b := range blocks {
		if strings.HasPrefix(b[1], "id: ") && strings.Contains(b[1], "\nquestions:") {
			whole++
			if _, err := Parse("course-format.md", []byte(b[1])); err != nil {
				t.Errorf("the quiz example does not parse:\n%v", err)
			}
			continue
		}
		if !strings.HasPrefix(b[1], "  - id: ") {
			continue // course.yaml and exercise.yaml examples
		}
		found++
		src := "id: doc\ntitle: Doc\nlesson: l\nquestions:\n" + b[1]
		qz, err := Parse("course-format.md", []byte(src))
		if err != nil {
			t.Errorf("an example does not parse:\n%v\n%s", err, b[1])
			continue
		}
		seen := map[Type]bool{}
		for _, q := range qz.Questions {
			seen[q.Type] = true
		}
		for _, typ := range []Type{TypeTrueFalse, TypeShort, TypeOrder, TypeSpotLine} {
			if !seen[typ] {
				t.Errorf("the examples have no %s question", typ)
			}
		}
	}
	if found != 1 || whole != 1 {
		t.Errorf("found %d question-example blocks and %d quiz examples, want 1 and 1", found, whole)
	}
}
