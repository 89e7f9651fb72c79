package grade

import (
	"sort"
	"time"

	"github.com/stagecraft/stagecraft/sandbox/check"
	"github.com/stagecraft/stagecraft/sandbox/check/spec"
)

// RunSchema names the JSON shape of a grading run.
const RunSchema = "stagecraft.grade/v1"

// Result statuses: every student ends with exactly one.
const (
	StatusGraded    = "graded"     // checked: the score stands, whatever it is
	StatusMissing   = "missing"    // nothing to grade: score 0
	StatusNotGraded = "not_graded" // an environment fault twice: no score, not the student's fault
)

// Result is one student's outcome in a run.
type Result struct {
	Student   string      `json:"student"`
	Name      string      `json:"name,omitempty"`
	Email     string      `json:"email,omitempty"`
	Status    string      `json:"status"`
	Score     spec.Points `json:"score"`
	MaxScore  spec.Points `json:"max_score"`
	Passed    bool        `json:"passed"`
	OffRoster bool        `json:"off_roster,omitempty"`
	Missing   string      `json:"missing,omitempty"` // why nothing was graded
	Error     string      `json:"error,omitempty"`   // the environment fault of a not-graded result
	Hash      string      `json:"dockerfile_hash,omitempty"`
	Worker    string      `json:"worker,omitempty"` // the BuildKit address that graded it
	Attempts  int         `json:"attempts"`         // checks run: 2 after an environment fault
	// DurationMS is the wall time of the check that graded it (queueing excluded).
	DurationMS int64     `json:"duration_ms"`
	GradedAt   time.Time `json:"graded_at"`
	// Kept is set by --regrade on a result carried over unchanged from the run it re-grades.
	Kept bool `json:"kept,omitempty"`
	// Dockerfile is the submission's text (its first 64 KiB), for similarity and the record.
	Dockerfile string        `json:"dockerfile,omitempty"`
	Truncated  bool          `json:"dockerfile_truncated,omitempty"`
	Report     *check.Report `json:"report,omitempty"`
}

// keptDockerfile is how much of a Dockerfile a result keeps.
const keptDockerfile = 64 << 10

// ChecksPassed counts the passed checks and the checks of the report.
func (r *Result) ChecksPassed() (passed, total int) {
	if r.Report == nil {
		return 0, 0
	}
	for _, c := range r.Report.Checks {
		if c.Kind == "parse" {
			continue // check.Run's parse check is not one of the exercise's checks
		}
		total++
		if c.Status == check.StatusPass {
			passed++
		}
	}
	return passed, total
}

// ImageBytes is the unpacked size of the student's final image, or 0 when nothing was built.
func (r *Result) ImageBytes() int64 {
	if r.Report == nil || r.Report.Image == nil {
		return 0
	}
	return r.Report.Image.SizeBytes
}

// Run is a grading run: what was graded against what, and every student's result.
type Run struct {
	Schema      string      `json:"schema"`
	UID         string      `json:"run"`
	Exercise    string      `json:"exercise"`
	Title       string      `json:"title,omitempty"`
	ContentHash string      `json:"content_hash,omitempty"`
	Source      string      `json:"source,omitempty"`
	Roster      string      `json:"roster,omitempty"`
	Checks      []CheckInfo `json:"checks"` // the exercise's checks, in order
	Hints       []string    `json:"-"`      // the exercise's hints, for feedback files
	Started     time.Time   `json:"started"`
	Finished    time.Time   `json:"finished,omitzero"`
	Status      string      `json:"status,omitempty"`      // running, complete or interrupted (progress.Run*)
	Submissions int         `json:"submissions,omitempty"` // how many the run set out to grade; 0 if not known
	Summary     Summary     `json:"summary"`
	Results     []Result    `json:"results"`
}

// CheckInfo is one check of the exercise.
type CheckInfo struct {
	ID      string      `json:"id"`
	Kind    string      `json:"kind"`
	Points  spec.Points `json:"points"`
	Message string      `json:"message,omitempty"`
}

// ChecksOf lists a plan's checks for a run.
func ChecksOf(plan check.Plan) []CheckInfo {
	out := make([]CheckInfo, 0, len(plan.Checks))
	for _, c := range plan.Checks {
		out = append(out, CheckInfo{ID: c.ID, Kind: c.Kind, Points: c.Points, Message: c.Message})
	}
	return out
}

// Summary is what an instructor reads first.
type Summary struct {
	Students  int         `json:"students"`
	Graded    int         `json:"graded"`
	Passed    int         `json:"passed"`
	Missing   []string    `json:"missing"`
	NotGraded []string    `json:"not_graded"` // environment faults: re-run with --regrade
	OffRoster []string    `json:"off_roster,omitempty"`
	MaxScore  spec.Points `json:"max_score"`
	Mean      spec.Points `json:"mean_score"`   // over graded and missing students
	Median    spec.Points `json:"median_score"` // idem
	// Checked and Kept count this invocation's work: checks run, results carried over by --regrade.
	Checked int          `json:"checked"`
	Kept    int          `json:"kept"`
	Similar []Similarity `json:"similar"`
	// LikeGiven lists submissions near-identical to the starter or the reference solution; they
	// are left out of Similar (everyone starting from the same material is no coincidence).
	LikeGiven []string     `json:"like_given,omitempty"`
	Workers   []WorkerInfo `json:"workers,omitempty"`
}

// WorkerInfo is what one BuildKit daemon did in this invocation.
type WorkerInfo struct {
	Address string `json:"address"`
	Graded  int    `json:"graded"`
	Faults  int    `json:"faults"` // environment faults met (each retried once)
	Down    string `json:"down,omitempty"`
	WarmMS  int64  `json:"warm_ms"` // building the starter and the reference before the first check
}

// Summarize fills in the summary from the results (Workers and Similar are left as they are).
func (run *Run) Summarize() {
	sort.Slice(run.Results, func(i, j int) bool { return run.Results[i].Student < run.Results[j].Student })
	s := &run.Summary
	s.Students, s.Graded, s.Passed, s.Checked, s.Kept = len(run.Results), 0, 0, 0, 0
	s.Missing, s.NotGraded, s.OffRoster = []string{}, []string{}, nil
	s.MaxScore = 0
	var scores []spec.Points
	for _, r := range run.Results {
		if r.MaxScore > s.MaxScore {
			s.MaxScore = r.MaxScore
		}
		if r.OffRoster {
			s.OffRoster = append(s.OffRoster, r.Student)
		}
		if r.Kept {
			s.Kept++
		} else if r.Attempts > 0 {
			s.Checked++
		}
		switch r.Status {
		case StatusGraded:
			s.Graded++
			if r.Passed {
				s.Passed++
			}
			scores = append(scores, r.Score)
		case StatusMissing:
			s.Missing = append(s.Missing, r.Student)
			scores = append(scores, 0)
		case StatusNotGraded:
			s.NotGraded = append(s.NotGraded, r.Student)
		}
	}
	s.Mean, s.Median = 0, 0
	if n := len(scores); n > 0 {
		var sum spec.Points
		for _, p := range scores {
			sum += p
		}
		s.Mean = sum / spec.Points(n)
		sort.Slice(scores, func(i, j int) bool { return scores[i] < scores[j] })
		if n%2 == 1 {
			s.Median = scores[n/2]
		} else {
			s.Median = (scores[n/2-1] + scores[n/2]) / 2
		}
	}
	if s.Similar == nil {
		s.Similar = []Similarity{}
	}
}
