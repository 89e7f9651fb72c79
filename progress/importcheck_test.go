package progress

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// Every impossible value in an export is refused with the JSON path of the value, and a refused
// file imports nothing at all, not even the records before the bad one.
func TestImportRejectsImpossibleValues(t *testing.T) {
	ctx := context.Background()
	src := openTemp(t)
	populate(t, src)
	good, err := src.Dump(ctx, ExportFilter{Grading: true})
	mustNil(t, err)
	if len(good.Learners[0].Cards) == 0 || len(good.Learners[0].QuizRuns) == 0 || len(good.Learners[0].Answers) == 0 {
		t.Fatal("the fixture has no cards, runs or answers to spoil")
	}
	encode := func(d Dump) []byte {
		var b bytes.Buffer
		mustNil(t, json.NewEncoder(&b).Encode(d))
		return b.Bytes()
	}
	// spoil copies the good dump (through JSON, so nothing is shared) and changes one field.
	spoil := func(f func(d *Dump)) []byte {
		var d Dump
		mustNil(t, json.Unmarshal(encode(good), &d))
		f(&d)
		return encode(d)
	}
	cases := []struct {
		name string
		in   []byte
		want string
	}{
		{"huge stability", spoil(func(d *Dump) { d.Learners[0].Cards[0].Stability = 1e308 }),
			"learners[0].cards[0].Stability: 1e+308 is out of range"},
		{"negative reps", spoil(func(d *Dump) { d.Learners[1].Cards[0].Reps = -3 }),
			"learners[1].cards[0].Reps: -3 is out of range"},
		{"lapses above reps", spoil(func(d *Dump) { d.Learners[0].Cards[0].Lapses = d.Learners[0].Cards[0].Reps + 1 }),
			"learners[0].cards[0].Lapses:"},
		{"difficulty", spoil(func(d *Dump) { d.Learners[0].Cards[0].Difficulty = 11 }),
			"learners[0].cards[0].Difficulty: 11 is out of range (1 to 10)"},
		{"card state", spoil(func(d *Dump) { d.Learners[0].Cards[0].State = 9 }),
			"learners[0].cards[0].State: 9 is not a card state"},
		{"score of 1e8 out of 0", spoil(func(d *Dump) { d.Learners[0].QuizRuns[0].Score, d.Learners[0].QuizRuns[0].MaxScore = PointsOf(1e8), 0 }),
			"learners[0].quiz_runs[0].score: 100000000.00 is out of range"},
		{"score above its maximum", spoil(func(d *Dump) { d.Learners[0].QuizRuns[0].Score, d.Learners[0].QuizRuns[0].MaxScore = 5, 0 }),
			"learners[0].quiz_runs[0].score: 0.05 is more than max_score 0.00"},
		{"negative points", spoil(func(d *Dump) { d.Learners[0].Answers[1].Points = -100 }),
			"learners[0].answers[1].points: -1.00 is out of range"},
		{"grading result score", spoil(func(d *Dump) { d.GradingRuns[0].Results[0].Score = PointsOf(1e7) }),
			"grading_runs[0].results[0].score:"},
		{"NUL in a learner name", spoil(func(d *Dump) { d.Learners[1].Name = "bob\x00evil" }),
			`learners[1].name: "bob\x00evil" holds a control character`},
		{"NUL in a question id", spoil(func(d *Dump) { d.Learners[0].Answers[0].Question = "s1\x00" }),
			"learners[0].answers[0].question:"},
		{"NUL in an answer", spoil(func(d *Dump) { d.Learners[0].Answers[0].Given = "a\x00b" }),
			"learners[0].answers[0].given: holds a NUL character"},
		{"bad rating", spoil(func(d *Dump) { d.Learners[0].Answers[0].Rating = 7 }),
			"learners[0].answers[0].rating: 7 is not a rating"},
		{"negative hints", spoil(func(d *Dump) { d.Learners[0].Answers[0].HintsUsed = -1 }),
			"learners[0].answers[0].hints_used: -1 is out of range"},
		{"negative time taken", spoil(func(d *Dump) { d.Learners[0].Answers[0].Took = -time.Second }),
			"learners[0].answers[0].took_ns:"},
		{"negative image size", spoil(func(d *Dump) { d.Learners[0].Attempts[0].ImageSize = -1 }),
			"learners[0].attempts[0].image_size: -1 is out of range"},
		{"missing answer time", spoil(func(d *Dump) { d.Learners[0].Answers[2].At = time.Time{} }),
			"learners[0].answers[2].at: missing"},
		{"run finished before it started", spoil(func(d *Dump) { d.Learners[0].QuizRuns[0].Finished = d.Learners[0].QuizRuns[0].Started.Add(-time.Hour) }),
			"learners[0].quiz_runs[0].finished:"},
		{"trailing garbage", append(encode(good), []byte("garbage")...),
			"more data after the JSON document"},
		{"a second document", append(encode(good), encode(good)...),
			"more data after the JSON document"},
	}
	dst := openTemp(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := dst.Import(ctx, bytes.NewReader(c.in))
			if !errors.Is(err, ErrBadExport) {
				t.Fatalf("import: %v, want ErrBadExport", err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not say %q", err, c.want)
			}
			for _, table := range []string{"learners", "quiz_answers", "review_cards", "grading_runs"} {
				if n := count(t, dst.r, "SELECT count(*) FROM "+table); n != 0 {
					t.Errorf("a refused import left %d rows in %s", n, table)
				}
			}
		})
	}

	// Every problem is listed, not only the first.
	_, err = dst.Import(ctx, bytes.NewReader(spoil(func(d *Dump) {
		d.Learners[0].Cards[0].Stability = -1
		d.Learners[1].Name = ""
	})))
	if err == nil || !strings.Contains(err.Error(), "2 problems") || !strings.Contains(err.Error(), "learners[1].name: missing") {
		t.Errorf("two problems: %v", err)
	}

	// The untouched export imports: the limits do not refuse what stagecraft writes.
	st, err := dst.Import(ctx, bytes.NewReader(encode(good)))
	mustNil(t, err)
	if st.Learners != 2 || st.Answers != len(good.Learners[0].Answers)+len(good.Learners[1].Answers) {
		t.Errorf("good import: %+v", st)
	}
}
