package quiz

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"
)

// Tally is the score of a group of questions (a difficulty, a tag).
type Tally struct {
	Correct  int `json:"correct"`   // questions answered right
	Total    int `json:"total"`     // questions in the group
	Score    int `json:"score"`     // points earned
	MaxScore int `json:"max_score"` // points available
}

// Percent is Score as a share of MaxScore, 0–100 (0 for an empty group).
func (t Tally) Percent() float64 {
	if t.MaxScore == 0 {
		return 0
	}
	return float64(t.Score) * 100 / float64(t.MaxScore)
}

func (t *Tally) add(correct bool, points, maxPoints int) {
	t.Total++
	t.MaxScore += maxPoints
	if correct {
		t.Correct++
		t.Score += points
	}
}

// Outcome is what became of one question of a session, for reports.
type Outcome struct {
	ID         string        `json:"id"`
	Difficulty Difficulty    `json:"difficulty"`
	Tags       []string      `json:"tags,omitempty"`
	Status     string        `json:"status"`               // correct, wrong, skipped, unanswered
	Given      string        `json:"given,omitempty"`      // FormatAnswer: options by the author's letters
	GivenText  string        `json:"given_text,omitempty"` // AnswerText: the options' texts, the items
	Points     int           `json:"points"`
	MaxPoints  int           `json:"max_points"`
	HintsUsed  int           `json:"hints_used,omitempty"`
	Took       time.Duration `json:"took_ns,omitempty"`
}

// Outcome statuses.
const (
	StatusCorrect    = "correct"
	StatusWrong      = "wrong"
	StatusSkipped    = "skipped"    // the learner moved on
	StatusUnanswered = "unanswered" // never reached: quit early or out of time
)

// SummarySchema names the JSON form of a Summary.
const SummarySchema = "stagecraft.quiz.summary/v1"

// Summary is the score report of a session: what an exam shows at the end and what
// `stagecraft quiz --report` writes.
type Summary struct {
	Schema       string               `json:"schema"`
	Title        string               `json:"title"`
	Mode         Mode                 `json:"mode"`
	Score        int                  `json:"score"`
	MaxScore     int                  `json:"max_score"`
	Percent      float64              `json:"percent"`
	Passed       bool                 `json:"passed"`
	PassPercent  int                  `json:"pass_percent"`
	Answered     int                  `json:"answered"` // questions answered (not skipped or unreached)
	Correct      int                  `json:"correct"`
	Total        int                  `json:"total"`
	ByDifficulty map[Difficulty]Tally `json:"by_difficulty"`
	ByTag        map[string]Tally     `json:"by_tag"`
	Missed       []string             `json:"missed"` // ids of questions not answered right, in session order
	Started      time.Time            `json:"started"`
	TimeUsed     time.Duration        `json:"time_used_ns"`
	TimeLimit    time.Duration        `json:"time_limit_ns,omitempty"`
	TimedOut     bool                 `json:"timed_out,omitempty"`
	Questions    []Outcome            `json:"questions"`
}

// Summarize scores a session at now (the end, for one still running). Every question of the
// session counts towards MaxScore, answered or not; the pass mark is compared in integers, as
// Quiz.Passed does.
func Summarize(s *Session, now time.Time) Summary {
	end := s.Ended
	if end.IsZero() {
		end = now
	}
	deadline := s.Started.Add(s.TimeLimit)
	sum := Summary{
		Schema: SummarySchema, Title: s.Title, Mode: s.Mode, PassPercent: s.PassPercent,
		Total: len(s.Questions), ByDifficulty: map[Difficulty]Tally{}, ByTag: map[string]Tally{},
		Missed: []string{}, Started: s.Started, TimeLimit: s.TimeLimit,
	}
	if s.TimeLimit > 0 && !end.Before(deadline) {
		end, sum.TimedOut = deadline, len(s.Responses) < len(s.Questions)
	}
	sum.TimeUsed = max(end.Sub(s.Started), 0)
	byQuestion := make(map[*Question]*Response, len(s.Responses))
	for i := range s.Responses {
		byQuestion[s.Responses[i].Question] = &s.Responses[i]
	}
	for _, q := range s.Questions {
		o := Outcome{ID: q.ID, Difficulty: q.Difficulty, Tags: q.Tags, Status: StatusUnanswered, MaxPoints: q.Points}
		if r := byQuestion[q]; r != nil {
			o.HintsUsed, o.Took = r.HintsUsed, r.Took
			switch {
			case r.Skipped:
				o.Status = StatusSkipped
			case r.Result.Correct && r.Result.Err == nil:
				o.Status, o.Points = StatusCorrect, r.Result.Points
			default:
				o.Status = StatusWrong
			}
			if !r.Skipped {
				sum.Answered++
				o.Given, o.GivenText = FormatAnswer(q, r.Answer), AnswerText(q, r.Answer)
			}
		}
		correct := o.Status == StatusCorrect
		sum.Score += o.Points
		sum.MaxScore += o.MaxPoints
		if correct {
			sum.Correct++
		} else {
			sum.Missed = append(sum.Missed, q.ID)
		}
		t := sum.ByDifficulty[q.Difficulty]
		t.add(correct, o.Points, o.MaxPoints)
		sum.ByDifficulty[q.Difficulty] = t
		for _, tag := range q.Tags {
			t := sum.ByTag[tag]
			t.add(correct, o.Points, o.MaxPoints)
			sum.ByTag[tag] = t
		}
		sum.Questions = append(sum.Questions, o)
	}
	if sum.MaxScore > 0 {
		sum.Percent = float64(sum.Score) * 100 / float64(sum.MaxScore)
	}
	sum.Passed = sum.MaxScore > 0 && sum.Score*100 >= sum.PassPercent*sum.MaxScore
	return sum
}

// Markdown renders the summary as a Markdown report: the score and pass mark, time used, a table
// by difficulty, one by tag, and the questions missed. title overrides the session title when
// not empty.
func (s Summary) Markdown(title string) string {
	if title == "" {
		title = s.Title
	}
	if title == "" {
		title = "Quiz"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# %s — results\n\n", title)
	verdict := "**Not passed**"
	if s.Passed {
		verdict = "**Passed**"
	}
	fmt.Fprintf(&b, "%s: %d / %d points (%s), pass mark %d%%.\n\n", verdict, s.Score, s.MaxScore, formatPercent(s.Percent), s.PassPercent)
	fmt.Fprintf(&b, "- Mode: %s\n", s.Mode)
	fmt.Fprintf(&b, "- Questions: %d answered of %d, %d right\n", s.Answered, s.Total, s.Correct)
	if s.TimeLimit > 0 {
		fmt.Fprintf(&b, "- Time used: %s of %s", FormatDuration(s.TimeUsed), FormatDuration(s.TimeLimit))
		if s.TimedOut {
			b.WriteString(" (time ran out)")
		}
		b.WriteString("\n")
	} else {
		fmt.Fprintf(&b, "- Time used: %s\n", FormatDuration(s.TimeUsed))
	}
	if !s.Started.IsZero() {
		fmt.Fprintf(&b, "- Started: %s\n", s.Started.Format(time.RFC3339))
	}
	b.WriteString("\n## By difficulty\n\n| difficulty | right | points | score |\n| --- | --- | --- | --- |\n")
	for _, d := range sortedDifficulties(s.ByDifficulty) {
		writeTallyRow(&b, string(d), s.ByDifficulty[d])
	}
	if len(s.ByTag) > 0 {
		b.WriteString("\n## By tag\n\n| tag | right | points | score |\n| --- | --- | --- | --- |\n")
		for _, tag := range slices.Sorted(maps.Keys(s.ByTag)) {
			writeTallyRow(&b, tag, s.ByTag[tag])
		}
	}
	b.WriteString("\n## Missed\n\n")
	if len(s.Missed) == 0 {
		b.WriteString("None — every question right.\n")
	} else {
		status := map[string]string{}
		for _, o := range s.Questions {
			status[o.ID] = o.Status
		}
		for _, id := range s.Missed {
			fmt.Fprintf(&b, "- `%s` (%s)\n", id, status[id])
		}
	}
	return b.String()
}

func writeTallyRow(b *strings.Builder, name string, t Tally) {
	fmt.Fprintf(b, "| %s | %d / %d | %d / %d | %s |\n", name, t.Correct, t.Total, t.Score, t.MaxScore, formatPercent(t.Percent()))
}

// sortedDifficulties orders easy, medium, hard, then any unknown ones by name.
func sortedDifficulties(m map[Difficulty]Tally) []Difficulty {
	ds := slices.Collect(maps.Keys(m))
	slices.SortFunc(ds, func(a, b Difficulty) int {
		ra, rb := a.Rank(), b.Rank()
		if ra < 0 {
			ra = 99
		}
		if rb < 0 {
			rb = 99
		}
		return cmp.Or(cmp.Compare(ra, rb), strings.Compare(string(a), string(b)))
	})
	return ds
}

// formatPercent shows whole percentages as such and others with one decimal, truncated, so
// 69.96% never reads as a pass mark of 70%.
func formatPercent(p float64) string {
	t := math.Floor(p*10) / 10
	if t == math.Trunc(t) {
		return fmt.Sprintf("%.0f%%", t)
	}
	return fmt.Sprintf("%.1f%%", t)
}

// FormatDuration shows a duration as a countdown or time used does: 1:05 (minutes:seconds),
// 1:02:05 past an hour. Negative durations show as 0:00.
func FormatDuration(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	secs := int(d.Round(time.Second) / time.Second)
	h, m, sec := secs/3600, secs/60%60, secs%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, sec)
	}
	return fmt.Sprintf("%d:%02d", m, sec)
}
