package lessons

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stagecraft/stagecraft/content"
	"github.com/stagecraft/stagecraft/quiz"
)

// A blind strategy answers without reading the question: always the first option shown, always
// true, always false, always line 1. On a course whose answers do not follow their position, no
// such strategy may score more than chance + quiz.SkewMargin percentage points.

// blindSeeds is how many sittings of the whole course the shuffled types are measured over.
const blindSeeds = 200

type blindScore struct {
	typ      quiz.Type
	strategy string
	right    int     // answers the strategy got right
	total    int     // answers given (questions × sittings)
	chance   float64 // the share a random pick gets right, in percent
}

func (b blindScore) percent() float64 { return float64(b.right) * 100 / float64(b.total) }

func (b blindScore) String() string {
	return fmt.Sprintf("%s, %s: %.1f%% right (%d of %d), chance %.1f%%", b.typ, b.strategy, b.percent(), b.right, b.total, b.chance)
}

// blindScores sits the questions seeds times in practice sessions, each seed its own order of
// options and items, and types each strategy's answer in plain mode's syntax against the order
// shown, as a learner would.
func blindScores(t *testing.T, qs []*quiz.Question, seeds int) []blindScore {
	t.Helper()
	type strategy struct {
		typ    quiz.Type
		name   string
		typed  func(q *quiz.Question) string
		right  func(q *quiz.Question, a quiz.Answer, shown quiz.Permutation) bool // nil: scored by Check
		chance func(q *quiz.Question) float64
	}
	oneRight := func(q *quiz.Question) float64 { // one option picked at random is the whole answer
		if len(q.CorrectOptions()) != 1 {
			return 0
		}
		return 1 / float64(len(q.Options))
	}
	strategies := []strategy{
		{quiz.TypeSingle, "always the first option shown", func(*quiz.Question) string { return "A" }, nil, oneRight},
		{quiz.TypeMultiple, "only the first option shown", func(*quiz.Question) string { return "A" }, nil, oneRight},
		{quiz.TypeMultiple, "the first option shown is a right one", func(*quiz.Question) string { return "A" },
			func(q *quiz.Question, a quiz.Answer, _ quiz.Permutation) bool {
				return q.Options[a.(quiz.Choices)[0]].Correct
			},
			func(q *quiz.Question) float64 { return float64(len(q.CorrectOptions())) / float64(len(q.Options)) }},
		{quiz.TypeTrueFalse, "always true", func(*quiz.Question) string { return "true" }, nil, func(*quiz.Question) float64 { return 0.5 }},
		{quiz.TypeTrueFalse, "always false", func(*quiz.Question) string { return "false" }, nil, func(*quiz.Question) float64 { return 0.5 }},
		{quiz.TypeSpotLine, "always line 1", func(*quiz.Question) string { return "1" }, nil,
			func(q *quiz.Question) float64 { return 1 / float64(len(q.CodeLines())) }},
		{quiz.TypeOrder, "the items as shown", func(q *quiz.Question) string {
			nums := make([]string, len(q.Items))
			for i := range nums {
				nums[i] = fmt.Sprint(i + 1)
			}
			return strings.Join(nums, " ")
		}, nil, func(q *quiz.Question) float64 {
			f := 1.0
			for i := 2; i <= len(q.Items); i++ {
				f /= float64(i)
			}
			return f
		}},
	}
	var out []blindScore
	for _, st := range strategies {
		var of []*quiz.Question
		chance := 0.0
		for _, q := range qs {
			if q.Type == st.typ {
				of = append(of, q)
				chance += st.chance(q)
			}
		}
		if len(of) == 0 {
			continue
		}
		b := blindScore{typ: st.typ, strategy: st.name, chance: chance * 100 / float64(len(of))}
		for seed := range uint64(seeds) {
			s := quiz.NewSession("", quiz.ModePractice, of, quiz.WithSeed(seed))
			for {
				q, ok := s.Current()
				if !ok {
					break
				}
				shown := s.ShownOrder()
				a, err := quiz.ParseAnswer(q, st.typed(q), shown)
				if err != nil {
					t.Fatalf("%s: %q: %v", q.ID, st.typed(q), err)
				}
				r := s.Answer(a, 0, s.Started)
				right := r.Result.Correct
				if st.right != nil {
					right = st.right(q, a, shown)
				}
				if right {
					b.right++
				}
				b.total++
			}
		}
		out = append(out, b)
	}
	return out
}

// TestBuiltInCourseBlindStrategies measures every blind strategy on the course stagecraft ships.
// Short answers have none: nothing typed blind is right.
func TestBuiltInCourseBlindStrategies(t *testing.T) {
	c, err := Load(content.FS())
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range blindScores(t, c.AllQuestions(), blindSeeds) {
		t.Run(string(b.typ)+"/"+b.strategy, func(t *testing.T) {
			t.Log(b)
			if b.percent() > b.chance+float64(quiz.SkewMargin) {
				t.Errorf("%s: more than chance + %d points, so a learner scores without reading the question", b, quiz.SkewMargin)
			}
		})
	}
}

// TestBlindStrategiesCatchAPinnedCourse: the same measure on the course's single questions pinned
// in the order written (where the right option is mostly first) says so.
func TestBlindStrategiesCatchAPinnedCourse(t *testing.T) {
	c, err := Load(content.FS())
	if err != nil {
		t.Fatal(err)
	}
	var pinned []*quiz.Question
	for _, q := range c.AllQuestions() {
		if q.Type == quiz.TypeSingle {
			p := *q
			p.KeepOrder = true
			pinned = append(pinned, &p)
		}
	}
	firstRight := 0
	for _, q := range pinned {
		if q.Options[0].Correct {
			firstRight++
		}
	}
	scores := blindScores(t, pinned, 3)
	if len(scores) != 1 {
		t.Fatalf("scores %v", scores)
	}
	b := scores[0]
	t.Log(b)
	if want := float64(firstRight) * 100 / float64(len(pinned)); b.percent() != want {
		t.Errorf("pinned: %s, want %.1f%% (the share written first)", b, want)
	}
	if firstRight*2 > len(pinned) && b.percent() <= b.chance+float64(quiz.SkewMargin) {
		t.Errorf("pinned with the right option mostly first, yet %s passes", b)
	}
}
