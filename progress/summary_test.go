package progress

import (
	"context"
	"reflect"
	"testing"
	"time"
	_ "time/tzdata" // America/New_York for the daylight-saving test, on any machine

	"github.com/stagecraft/stagecraft/progress/srs"
)

func testOutline() Outline {
	return Outline{
		Modules: []OutlineModule{
			{ID: "foundations", Title: "Foundations", Lessons: []OutlineLesson{
				{ID: "why-images-grow", Title: "Why images grow", QuizID: "q-grow", QuestionIDs: []string{"g1", "g2"}},
				{ID: "stages", Title: "Stages", QuizID: "q-stages", QuestionIDs: []string{"s1"}, ExerciseIDs: []string{"go-multistage"}},
			}},
			{ID: "production", Title: "Production", Lessons: []OutlineLesson{
				{ID: "secrets", Title: "Secrets", ExerciseIDs: []string{"no-secrets", "non-root"}},
			}},
		},
		Tags: map[string][]string{"g1": {"layers"}, "g2": {"layers", "cache"}, "s1": {"stages"}},
	}
}

func TestSummary(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	day := func(n int) time.Time { return t0.AddDate(0, 0, n) }

	mustNil(t, s.MarkRead(ctx, "ann", LessonRead{Lesson: "why-images-grow", At: day(0)}))
	mustNil(t, s.MarkRead(ctx, "ann", LessonRead{Lesson: "why-images-grow", At: day(1)}))
	mustNil(t, s.MarkCompleted(ctx, "ann", Completion{Lesson: "why-images-grow", At: day(1)}))
	mustNil(t, s.MarkRead(ctx, "ann", LessonRead{Lesson: "stages", At: day(2)}))
	mustNil(t, s.MarkRead(ctx, "ann", LessonRead{Lesson: "a-removed-lesson", At: day(2)}))

	// Quiz q-grow: 1/2 then 2/2 then 3/4 (best is 2/2, last is 3/4); one unfinished run.
	for i, sc := range [][2]Points{{100, 200}, {200, 200}, {300, 400}} {
		run, err := s.StartQuizRun(ctx, "ann", QuizRun{Quiz: "q-grow", Started: day(i)})
		mustNil(t, err)
		mustNil(t, s.FinishQuizRun(ctx, "ann", run, sc[0], sc[1], day(i).Add(time.Minute)))
	}
	_, err := s.StartQuizRun(ctx, "ann", QuizRun{Quiz: "q-grow", Started: day(3)})
	mustNil(t, err)
	_, err = s.RecordAnswer(ctx, "ann", Answer{Question: "g1", Rating: srs.Good, At: day(2)})
	mustNil(t, err)

	// go-multistage: fail, pass at 50 MB, pass at 7 MB with a lower score, an ungradable one.
	for _, a := range []Attempt{
		{Passed: false, Gradable: true, Score: 4000, MaxScore: 10000, ImageSize: 900 << 20, At: day(2)},
		{Passed: true, Gradable: true, Score: 10000, MaxScore: 10000, ImageSize: 50 << 20, At: day(3)},
		{Passed: true, Gradable: true, Score: 9000, MaxScore: 10000, ImageSize: 7 << 20, At: day(3).Add(time.Hour)},
		{Passed: false, Gradable: false, At: day(3).Add(2 * time.Hour)},
	} {
		a.Exercise = "go-multistage"
		_, err := s.RecordAttempt(ctx, "ann", a)
		mustNil(t, err)
	}
	_, err = s.RecordAttempt(ctx, "ann", Attempt{Exercise: "no-secrets", Gradable: true, Score: 0, MaxScore: 5000, At: day(3)})
	mustNil(t, err)
	// Someone else's progress must not leak in.
	_, err = s.RecordAttempt(ctx, "bob", Attempt{Exercise: "non-root", Passed: true, Gradable: true, At: day(3)})
	mustNil(t, err)

	now := day(3).Add(3 * time.Hour)
	sum, err := s.Summary(ctx, "ann", testOutline(), now)
	mustNil(t, err)

	if sum.Lessons != (Count{1, 3}) || sum.Read != (Count{2, 3}) || sum.Exercises != (Count{1, 3}) || sum.Completion != (Count{2, 6}) {
		t.Errorf("counts: lessons %+v read %+v exercises %+v completion %+v", sum.Lessons, sum.Read, sum.Exercises, sum.Completion)
	}
	if sum.Completion.Percent() != 33 {
		t.Errorf("percent %d", sum.Completion.Percent())
	}
	if sum.Streak != (Streak{Current: 4, Longest: 4, LastActive: time.Date(2025, 3, 6, 0, 0, 0, 0, time.UTC)}) {
		t.Errorf("streak %+v", sum.Streak)
	}
	grow, _ := sum.Lesson("why-images-grow")
	if !grow.Read || !grow.Completed || !grow.LastRead.Equal(day(1)) {
		t.Errorf("why-images-grow: %+v", grow)
	}
	q := grow.Quiz
	if q == nil || q.Runs != 3 || q.Best.Score != 200 || q.Best.MaxScore != 200 || q.Last.Score != 300 || q.Last.MaxScore != 400 {
		t.Errorf("quiz: %+v best %+v last %+v", q, q.Best, q.Last)
	}
	if grow.Mastery.Seen != 1 || grow.Mastery.Total != 2 || grow.Mastery.Recall <= 0 || grow.Mastery.Recall >= 0.5 {
		t.Errorf("mastery: %+v", grow.Mastery)
	}
	stages, _ := sum.Lesson("stages")
	if stages.Completed || !stages.Read || stages.Quiz.Runs != 0 || stages.Quiz.Best != nil {
		t.Errorf("stages: %+v quiz %+v", stages, stages.Quiz)
	}
	ex := stages.Exercises[0]
	if ex.Status != Passed || ex.Attempts != 3 || ex.Best.Score != 10000 || ex.Last.Score != 9000 || ex.BestImage != 7<<20 {
		t.Errorf("go-multistage: %+v", ex)
	}
	sec, _ := sum.Lesson("secrets")
	if sec.Exercises[0].Status != Attempted || sec.Exercises[1].Status != NotStarted || sec.Read || sec.Quiz != nil {
		t.Errorf("secrets: %+v", sec)
	}
	if sum.Modules[0].Completion != (Count{2, 3}) || sum.Modules[1].Completion != (Count{0, 3}) {
		t.Errorf("module completion %+v %+v", sum.Modules[0].Completion, sum.Modules[1].Completion)
	}
	if !reflect.DeepEqual(sum.Untracked, []string{"lesson:a-removed-lesson"}) {
		t.Errorf("untracked %v", sum.Untracked)
	}
	if tags := sum.Tags; tags["layers"].Total != 2 || tags["layers"].Seen != 1 || tags["cache"].Seen != 0 || tags["stages"].Total != 1 {
		t.Errorf("tags %+v", tags)
	}
	// g1 answered Good on day 2 is due on day 5: neither today (day 3) nor tomorrow.
	if sum.Due != (DueCounts{}) {
		t.Errorf("due %+v", sum.Due)
	}
	sum, err = s.Summary(ctx, "ann", testOutline(), day(4))
	mustNil(t, err)
	if sum.Due != (DueCounts{Now: 0, Today: 0, Tomorrow: 1}) {
		t.Errorf("due on day 4: %+v", sum.Due)
	}

	empty, err := s.Summary(ctx, "nobody", testOutline(), now)
	mustNil(t, err)
	if empty.Completion != (Count{0, 6}) || empty.Streak != (Streak{}) || len(empty.Modules) != 2 {
		t.Errorf("empty summary: %+v", empty)
	}
}

func TestSummaryContentChanges(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	run, err := s.StartQuizRun(ctx, "ann", QuizRun{Quiz: "q-stages", ContentHash: "quiz-v1", Started: t0})
	mustNil(t, err)
	mustNil(t, s.FinishQuizRun(ctx, "ann", run, 100, 100, t0))
	_, err = s.RecordAttempt(ctx, "ann", Attempt{Exercise: "go-multistage", ContentHash: "ex-v1", Passed: true, Gradable: true, Score: 100, MaxScore: 100, At: t0})
	mustNil(t, err)
	_, err = s.RecordAnswer(ctx, "ann", Answer{Question: "s1", ContentHash: "s1-v1", Rating: srs.Easy, At: t0})
	mustNil(t, err)

	o := testOutline()
	o.Hashes = ContentHashes{
		Quizzes:   map[string]string{"q-stages": "quiz-v2"},
		Questions: map[string]string{"s1": "s1-v2"},
		Exercises: map[string]string{"go-multistage": "ex-v2"},
	}
	sum, err := s.Summary(ctx, "ann", o, t0.Add(time.Hour))
	mustNil(t, err)
	l, _ := sum.Lesson("stages")
	if l.Quiz.Runs != 0 || l.Quiz.Outdated != 1 || l.Quiz.Best != nil {
		t.Errorf("quiz on changed content: %+v", l.Quiz)
	}
	if e := l.Exercises[0]; e.Status != PassedEarlier || e.Outdated != 1 || e.Attempts != 0 {
		t.Errorf("exercise on changed content: %+v", e)
	}
	if l.Mastery.Seen != 0 {
		t.Errorf("a card learned on the old question counts: %+v", l.Mastery)
	}
	if sum.Exercises.Done != 0 {
		t.Errorf("an earlier version's pass counts as done: %+v", sum.Exercises)
	}
	// Without hashes, the same progress counts.
	sum, err = s.Summary(ctx, "ann", testOutline(), t0.Add(time.Hour))
	mustNil(t, err)
	l, _ = sum.Lesson("stages")
	if l.Quiz.Runs != 1 || l.Exercises[0].Status != Passed || l.Mastery.Seen != 1 {
		t.Errorf("without hashes: quiz %+v exercise %+v mastery %+v", l.Quiz, l.Exercises[0], l.Mastery)
	}
}

func TestStreakOf(t *testing.T) {
	loc := time.FixedZone("X", 5*3600+45*60)
	d := func(n int) time.Time { return time.Date(2025, 1, 10+n, 0, 0, 0, 0, loc) }
	set := func(ns ...int) map[time.Time]bool {
		m := map[time.Time]bool{}
		for _, n := range ns {
			m[d(n)] = true
		}
		return m
	}
	now := d(10).Add(15 * time.Hour)
	tests := []struct {
		days          map[time.Time]bool
		current, long int
	}{
		{set(), 0, 0},
		{set(10), 1, 1},
		{set(9), 1, 1}, // yesterday keeps the streak alive
		{set(8), 0, 1}, // two days ago breaks it
		{set(1, 2, 3, 4, 9, 10), 2, 4},
		{set(7, 8, 9, 10), 4, 4},
	}
	for _, tt := range tests {
		st := streakOf(tt.days, now)
		if st.Current != tt.current || st.Longest != tt.long {
			t.Errorf("days %v: %+v, want current %d longest %d", tt.days, st, tt.current, tt.long)
		}
	}
}

func TestStreakUsesLocalDays(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	// 23:30 and 00:30 UTC are two UTC days but one day at UTC−2.
	late := time.Date(2025, 5, 1, 23, 30, 0, 0, time.UTC)
	mustNil(t, s.MarkRead(ctx, "ann", LessonRead{Lesson: "l", At: late}))
	mustNil(t, s.MarkRead(ctx, "ann", LessonRead{Lesson: "l", At: late.Add(time.Hour)}))
	minus2 := time.FixedZone("UTC-2", -2*3600)
	sum, err := s.Summary(ctx, "ann", Outline{}, late.Add(2*time.Hour).In(minus2))
	mustNil(t, err)
	if sum.Streak.Current != 1 || sum.Streak.Longest != 1 {
		t.Errorf("UTC−2: %+v", sum.Streak)
	}
	sum, err = s.Summary(ctx, "ann", Outline{}, late.Add(2*time.Hour))
	mustNil(t, err)
	if sum.Streak.Current != 2 {
		t.Errorf("UTC: %+v", sum.Streak)
	}
}

func TestStreakAcrossDaylightSaving(t *testing.T) {
	ctx := context.Background()
	ny, err := time.LoadLocation("America/New_York")
	mustNil(t, err)
	s := openTemp(t)
	// 23:30 on the 8th (EST, UTC−5) and 23:30 on the 9th (EDT, UTC−4): two local days. With one
	// offset for both (now's, EDT), the first would land at 00:30 on the 9th: one day.
	mustNil(t, s.MarkRead(ctx, "ann", LessonRead{Lesson: "l", At: time.Date(2025, 3, 8, 23, 30, 0, 0, ny)}))
	mustNil(t, s.MarkRead(ctx, "ann", LessonRead{Lesson: "l", At: time.Date(2025, 3, 9, 23, 30, 0, 0, ny)}))
	sum, err := s.Summary(ctx, "ann", Outline{}, time.Date(2025, 3, 10, 12, 0, 0, 0, ny))
	mustNil(t, err)
	if sum.Streak.Current != 2 || sum.Streak.Longest != 2 || !sum.Streak.LastActive.Equal(time.Date(2025, 3, 9, 0, 0, 0, 0, ny)) {
		t.Errorf("streak across the DST change: %+v", sum.Streak)
	}
}
