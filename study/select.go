package study

import (
	"fmt"
	"slices"
	"strings"

	"github.com/stagecraft/stagecraft/quiz"
	"github.com/stagecraft/stagecraft/quiz/yamlpos"
)

// Filter chooses questions: each list is "any of these", and a question must match every list
// given. Empty lists choose everything.
type Filter struct {
	Lessons, Modules, Tags, Difficulties []string
}

// Empty reports whether the filter chooses every question.
func (f Filter) Empty() bool {
	return len(f.Lessons)+len(f.Modules)+len(f.Tags)+len(f.Difficulties) == 0
}

// UnknownError is a filter naming what the course does not have, with the closest names.
type UnknownError struct {
	Kind string // lesson, module, tag or difficulty
	Name string
	Hint string // " (did you mean …?)", or where to look; may be ""
}

func (e *UnknownError) Error() string {
	switch e.Kind {
	case "tag":
		return fmt.Sprintf("tag %s: no question has this tag%s", e.Name, e.Hint)
	case "difficulty":
		return fmt.Sprintf("difficulty %q: use easy, medium or hard%s", e.Name, e.Hint)
	}
	return fmt.Sprintf("%s %s: no such %s%s", e.Kind, e.Name, e.Kind, e.Hint)
}

// NoMatchError is a filter whose lists, together, choose no question.
type NoMatchError struct {
	Filter Filter
	// WithoutDifficulty counts, by difficulty, the questions the other lists leave ("3 easy,
	// 1 hard") when it is the difficulty that emptied the choice; "" otherwise.
	WithoutDifficulty string
	// NoQuestions: the course has no questions at all.
	NoQuestions bool
}

func (e *NoMatchError) Error() string {
	switch {
	case e.NoQuestions:
		return "the course has no questions"
	case e.WithoutDifficulty != "":
		return "no question matches the filter: without the difficulty there are " + e.WithoutDifficulty
	}
	return "no question matches the filter: each filter narrows the choice (a question must match all of them)"
}

// CheckDifficulty says whether d is a difficulty, with the closest one when it is not.
func CheckDifficulty(d string) error {
	if quiz.Difficulty(d).Rank() >= 0 {
		return nil
	}
	return &UnknownError{Kind: "difficulty", Name: d, Hint: DidYouMean(d, []string{"easy", "medium", "hard"})}
}

// Select applies the filter to the bank, in course order. An unknown lesson, module, tag or
// difficulty is an UnknownError with the closest name; a filter that chooses nothing is a
// NoMatchError saying which list emptied the choice.
func Select(b *quiz.Bank, f Filter) ([]*quiz.Question, error) {
	all := b.Questions()
	qf := quiz.Filter{Lessons: f.Lessons, Modules: f.Modules, Tags: f.Tags}
	for _, d := range f.Difficulties {
		if err := CheckDifficulty(d); err != nil {
			return nil, err
		}
		qf.Difficulties = append(qf.Difficulties, quiz.Difficulty(d))
	}
	var lessonIDs, moduleIDs []string
	for _, l := range b.Lessons {
		lessonIDs = append(lessonIDs, l.ID)
	}
	for _, m := range b.Modules {
		moduleIDs = append(moduleIDs, m.ID)
	}
	tags := b.Tags()
	for _, id := range f.Lessons {
		if b.Lesson(id) == nil {
			hint := DidYouMean(id, lessonIDs)
			if hint == "" {
				hint = "; the lessons are " + strings.Join(lessonIDs, ", ")
			}
			return nil, &UnknownError{Kind: "lesson", Name: id, Hint: hint}
		}
	}
	for _, id := range f.Modules {
		if !b.HasModule(id) {
			return nil, &UnknownError{Kind: "module", Name: id, Hint: DidYouMean(id, moduleIDs) + "; the modules are " + strings.Join(moduleIDs, ", ")}
		}
	}
	for _, t := range f.Tags {
		if !slices.Contains(tags, t) {
			return nil, &UnknownError{Kind: "tag", Name: t, Hint: DidYouMean(t, tags)}
		}
	}
	qs := quiz.Select(all, qf)
	if len(qs) > 0 {
		return qs, nil
	}
	// Say which list emptied the choice: the questions the others leave, by difficulty.
	without := qf
	without.Difficulties = nil
	if rest := quiz.Select(all, without); len(rest) > 0 && len(qf.Difficulties) > 0 {
		return nil, &NoMatchError{Filter: f, WithoutDifficulty: difficultyCounts(rest)}
	}
	return nil, &NoMatchError{Filter: f, NoQuestions: len(all) == 0}
}

func difficultyCounts(qs []*quiz.Question) string {
	n := map[quiz.Difficulty]int{}
	for _, q := range qs {
		n[q.Difficulty]++
	}
	var parts []string
	for _, d := range quiz.Difficulties() {
		if n[d] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n[d], d))
		}
	}
	return strings.Join(parts, ", ")
}

// DidYouMean suggests the candidate within two edits of s, else those that contain s (or that
// s contains), at most three: " (did you mean x?)", or "" when none is close.
func DidYouMean(s string, candidates []string) string {
	if c := yamlpos.Closest(s, candidates); c != "" {
		return fmt.Sprintf(" (did you mean %s?)", c)
	}
	var near []string
	for _, c := range candidates {
		if len(s) >= 3 && (strings.Contains(c, s) || strings.Contains(s, c)) && len(near) < 3 {
			near = append(near, c)
		}
	}
	if len(near) > 0 {
		return fmt.Sprintf(" (did you mean %s?)", strings.Join(near, " or "))
	}
	return ""
}
