package grade

// Regrade re-grades a run in place: only submissions that changed since (by the hash of the
// Dockerfile and the student's context files) or that were not graded are checked again, and
// an environment fault never replaces a grade.
type Regrade struct {
	prev map[string]Result
	// all is set when the exercise changed since the run: every submission is checked again.
	all bool
}

// NewRegrade prepares a re-grade of a run's results. sameExercise is false when the exercise's
// content hash differs from the run's.
func NewRegrade(prev []Result, sameExercise bool) *Regrade {
	rg := &Regrade{prev: map[string]Result{}, all: !sameExercise}
	for _, r := range prev {
		rg.prev[r.Student] = r
	}
	return rg
}

// Split sorts the class into what must be checked again and what is kept as it was (with the
// roster's current name and email).
func (rg *Regrade) Split(students []Student) (todo []Student, kept []Result) {
	for _, st := range students {
		p, ok := rg.prev[st.ID]
		if rg.all || !ok || st.Missing != "" || p.Status != StatusGraded || p.Hash != st.Hash {
			todo = append(todo, st)
			continue
		}
		p.Kept = true
		p.Name, p.Email, p.OffRoster = st.Name, st.Email, st.OffRoster
		kept = append(kept, p)
	}
	return todo, kept
}

// Replaces reports whether a fresh result may replace the run's previous one: anything but an
// environment fault over a grade.
func (rg *Regrade) Replaces(r Result) bool {
	p, ok := rg.prev[r.Student]
	return !(ok && r.Status == StatusNotGraded && p.Status == StatusGraded)
}

// Merge is the run after the re-grade: the kept results, the fresh ones that replace their
// predecessor (the previous grade where a fresh check met an environment fault), and the run's
// results for students no longer in the class, untouched.
func (rg *Regrade) Merge(kept, fresh []Result) []Result {
	seen := map[string]bool{}
	var out []Result
	for _, r := range kept {
		seen[r.Student] = true
		out = append(out, r)
	}
	for _, r := range fresh {
		seen[r.Student] = true
		if !rg.Replaces(r) {
			p := rg.prev[r.Student]
			p.Kept = true
			out = append(out, p)
			continue
		}
		out = append(out, r)
	}
	for id, p := range rg.prev {
		if !seen[id] {
			p.Kept = true
			out = append(out, p)
		}
	}
	sortResults(out)
	return out
}
