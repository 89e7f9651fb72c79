package quiz

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSummarize(t *testing.T) {
	qs := sessionQuestions(t) // points 1, 2, 1, 1, 3, 1 = 9
	tests := []struct {
		name      string
		pass      int
		answers   []Answer // nil: skip
		score     int
		passed    bool
		missed    []string
		byDiff    map[Difficulty]Tally
		tagStages Tally
	}{
		{
			name:    "all right",
			pass:    70,
			answers: []Answer{Choices{0}, Choices{0, 1}, Bool(true), Text("--from"), Permutation{0, 1, 2, 3}, Line(3)},
			score:   9, passed: true, missed: []string{},
			byDiff: map[Difficulty]Tally{
				Easy:   {Correct: 2, Total: 2, Score: 2, MaxScore: 2},
				Medium: {Correct: 2, Total: 2, Score: 3, MaxScore: 3},
				Hard:   {Correct: 2, Total: 2, Score: 4, MaxScore: 4},
			},
			tagStages: Tally{Correct: 3, Total: 3, Score: 4, MaxScore: 4},
		},
		{
			// 63/90 < 70%: 6.3 points needed, integer comparison 6*100 < 70*9
			name:    "just under the pass mark",
			pass:    70,
			answers: []Answer{Choices{0}, Choices{0}, Bool(true), nil, Permutation{0, 1, 2, 3}, Line(3)},
			score:   6, passed: false, missed: []string{"s-multiple", "s-short"},
			byDiff: map[Difficulty]Tally{
				Easy:   {Correct: 2, Total: 2, Score: 2, MaxScore: 2},
				Medium: {Correct: 0, Total: 2, Score: 0, MaxScore: 3},
				Hard:   {Correct: 2, Total: 2, Score: 4, MaxScore: 4},
			},
			tagStages: Tally{Correct: 2, Total: 3, Score: 2, MaxScore: 4},
		},
		{
			// exactly 2/3 of 9 is 6: 6*100 >= 66*9 = 594
			name:    "at the pass mark",
			pass:    66,
			answers: []Answer{Choices{0}, Choices{0}, Bool(true), nil, Permutation{0, 1, 2, 3}, Line(3)},
			score:   6, passed: true, missed: []string{"s-multiple", "s-short"},
			byDiff: map[Difficulty]Tally{
				Easy:   {Correct: 2, Total: 2, Score: 2, MaxScore: 2},
				Medium: {Correct: 0, Total: 2, Score: 0, MaxScore: 3},
				Hard:   {Correct: 2, Total: 2, Score: 4, MaxScore: 4},
			},
			tagStages: Tally{Correct: 2, Total: 3, Score: 2, MaxScore: 4},
		},
		{
			name:    "nothing answered",
			pass:    0,
			answers: nil,
			score:   0, passed: true, missed: []string{"s-single", "s-multiple", "s-tf", "s-short", "s-order", "s-spot"},
			byDiff: map[Difficulty]Tally{
				Easy:   {Total: 2, MaxScore: 2},
				Medium: {Total: 2, MaxScore: 3},
				Hard:   {Total: 2, MaxScore: 4},
			},
			tagStages: Tally{Total: 3, MaxScore: 4},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewSession("Exam", ModeExam, qs, WithStart(t0), WithPassPercent(tt.pass), WithTimeLimit(time.Hour))
			now := t0
			for _, a := range tt.answers {
				now = now.Add(time.Minute)
				if a == nil {
					s.Skip(now)
				} else {
					s.Answer(a, 0, now)
				}
			}
			sum := Summarize(s, now.Add(time.Minute))
			if sum.Score != tt.score || sum.MaxScore != 9 || sum.Passed != tt.passed {
				t.Errorf("score %d/%d passed %v, want %d/9 passed %v", sum.Score, sum.MaxScore, sum.Passed, tt.score, tt.passed)
			}
			if want := float64(tt.score) * 100 / 9; sum.Percent != want {
				t.Errorf("percent %v, want %v", sum.Percent, want)
			}
			if !slices.Equal(sum.Missed, tt.missed) {
				t.Errorf("missed %v, want %v", sum.Missed, tt.missed)
			}
			for d, want := range tt.byDiff {
				if got := sum.ByDifficulty[d]; got != want {
					t.Errorf("%s: %+v, want %+v", d, got, want)
				}
			}
			if got := sum.ByTag["stages"]; got != tt.tagStages {
				t.Errorf("tag stages: %+v, want %+v", got, tt.tagStages)
			}
			wantUsed := time.Duration(len(tt.answers)) * time.Minute
			if len(tt.answers) == 0 {
				wantUsed = time.Minute // still running: now
			}
			if sum.TimeUsed != wantUsed || sum.TimedOut {
				t.Errorf("time used %v (timed out %v), want %v", sum.TimeUsed, sum.TimedOut, wantUsed)
			}
		})
	}
}

func TestSummaryGivenAndJSON(t *testing.T) {
	qs := sessionQuestions(t)
	s := NewSession("Exam", ModeExam, qs, WithStart(t0), WithPassPercent(50))
	for _, a := range []Answer{Choices{1}, Choices{0, 2}, Bool(true), Text("from"), Permutation{1, 0, 2, 3}, Line(3)} {
		s.Answer(a, 0, t0.Add(time.Second))
	}
	sum := Summarize(s, t0.Add(time.Minute))
	given := make([]string, len(sum.Questions))
	for i, o := range sum.Questions {
		given[i] = o.Given
	}
	if want := []string{"B", "A, C", "true", "from", "2 1 3 4", "3"}; !slices.Equal(given, want) {
		t.Fatalf("given %q, want %q", given, want)
	}
	if got, want := sum.Questions[1].GivenText, "COPY --from=build /a /a; COPY . /a"; got != want {
		t.Errorf("given text %q, want %q", got, want)
	}
	b, err := json.Marshal(sum)
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back["schema"] != SummarySchema || back["score"] != 2.0 || back["max_score"] != 9.0 {
		t.Fatalf("JSON: %s", b)
	}
	byDiff, _ := back["by_difficulty"].(map[string]any)
	if _, ok := byDiff["hard"]; !ok {
		t.Fatalf("by_difficulty has no hard: %s", b)
	}
}

func TestSummaryMarkdown(t *testing.T) {
	qs := sessionQuestions(t)
	s := NewSession("Stages exam", ModeExam, qs, WithStart(t0), WithTimeLimit(20*time.Minute))
	s.Answer(Choices{0}, 0, t0.Add(65*time.Second))
	s.Answer(Choices{0, 1}, 0, t0.Add(2*time.Minute))
	s.Finish(t0.Add(3 * time.Minute))
	md := Summarize(s, t0.Add(time.Hour)).Markdown("")
	for _, want := range []string{
		"# Stages exam — results",
		"**Not passed**: 3 / 9 points (33.3%), pass mark 70%.",
		"- Questions: 2 answered of 6, 2 right",
		"- Time used: 3:00 of 20:00",
		"| easy | 1 / 2 | 1 / 2 | 50% |",
		"| medium | 1 / 2 | 2 / 3 | 66.6% |",
		"| hard | 0 / 2 | 0 / 4 | 0% |",
		"| copy | 1 / 2 | 2 / 3 | 66.6% |",
		"- `s-tf` (unanswered)",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	if !strings.HasPrefix(Summarize(s, t0).Markdown("Other"), "# Other — results") {
		t.Error("title override")
	}
}

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0:00", 59 * time.Second: "0:59", 61 * time.Second: "1:01", 20 * time.Minute: "20:00",
		time.Hour + 2*time.Minute + 5*time.Second: "1:02:05", -time.Second: "0:00", 1499 * time.Millisecond: "0:01",
	} {
		if got := FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%v) = %q, want %q", d, got, want)
		}
	}
}
