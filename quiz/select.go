package quiz

import (
	"math/rand/v2"
	"slices"
)

// Filter chooses questions for quiz mode. Each non-empty list narrows the choice: a question
// matches when its lesson, module and difficulty are in the lists and it has at least one of Tags.
type Filter struct {
	Lessons      []string
	Modules      []string // needs Question.Module, which the course loader sets
	Tags         []string
	Difficulties []Difficulty
}

// Match reports whether q passes the filter.
func (f Filter) Match(q *Question) bool {
	if len(f.Lessons) > 0 && !slices.Contains(f.Lessons, q.Lesson) {
		return false
	}
	if len(f.Modules) > 0 && !slices.Contains(f.Modules, q.Module) {
		return false
	}
	if len(f.Difficulties) > 0 && !slices.Contains(f.Difficulties, q.Difficulty) {
		return false
	}
	if len(f.Tags) > 0 && !slices.ContainsFunc(q.Tags, func(t string) bool { return slices.Contains(f.Tags, t) }) {
		return false
	}
	return true
}

// Select returns the questions that pass f, in their order.
func Select(qs []*Question, f Filter) []*Question {
	var out []*Question
	for _, q := range qs {
		if f.Match(q) {
			out = append(out, q)
		}
	}
	return out
}

// newRand is the one source of randomness for selection: the same seed gives the same choice.
func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x57a6ec4af7)) }

// Shuffle returns a new slice with qs in an order decided by seed.
func Shuffle(qs []*Question, seed uint64) []*Question {
	out := slices.Clone(qs)
	r := newRand(seed)
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// Draw picks n questions spread across difficulties: it takes in turn an easy, a medium and a
// hard question (each difficulty shuffled by seed) until it has n or none are left, so a short
// quiz still mixes levels. The result runs from easy to hard. n <= 0 or n >= len(qs) takes all.
func Draw(qs []*Question, n int, seed uint64) []*Question {
	if n <= 0 || n > len(qs) {
		n = len(qs)
	}
	buckets := make([][]*Question, len(Difficulties())+1) // the last for unknown difficulties
	for _, q := range Shuffle(qs, seed) {
		rank := q.Difficulty.Rank()
		if rank < 0 {
			rank = len(buckets) - 1
		}
		buckets[rank] = append(buckets[rank], q)
	}
	taken := make([]int, len(buckets))
	for total := 0; total < n; {
		for b := range buckets {
			if total < n && taken[b] < len(buckets[b]) {
				taken[b]++
				total++
			}
		}
	}
	var out []*Question
	for b, bucket := range buckets {
		out = append(out, bucket[:taken[b]]...)
	}
	return out
}

// ShuffledItems returns the order to show an order question's items in: a permutation of the
// items decided by seed that is never already the right order (when the items allow it).
func (q *Question) ShuffledItems(seed uint64) Permutation {
	n := len(q.Items)
	p := make(Permutation, n)
	for i := range p {
		p[i] = i
	}
	r := newRand(seed)
	for range 8 {
		r.Shuffle(n, func(i, j int) { p[i], p[j] = p[j], p[i] })
		if !q.Check(p).Correct {
			return p
		}
	}
	// Still in order after 8 tries (2 items, or many equal ones): rotate by one.
	p = append(p[1:], p[0])
	return p
}
