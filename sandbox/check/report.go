package check

import (
	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/sandbox/check/spec"
)

// ReportSchema names the JSON shape of one submission's report (docs/architecture.md, "The report contract").
const ReportSchema = "stagecraft.check/v1"

// Check statuses.
const (
	StatusPass    = "pass"
	StatusFail    = "fail"
	StatusError   = "error"   // the check could not be evaluated (environment)
	StatusSkipped = "skipped" // a check it needs did not pass
)

// Report is the verdict on one submission: the same for the TUI, `stagecraft check` and
// `stagecraft grade`.
type Report struct {
	Schema   string                `json:"schema"`
	Exercise string                `json:"exercise,omitempty"`
	Passed   bool                  `json:"passed"`
	Gradable bool                  `json:"gradable"`
	Score    spec.Points           `json:"score"`
	MaxScore spec.Points           `json:"max_score"`
	Checks   []CheckResult         `json:"checks"`
	Stages   []sandbox.StageInfo   `json:"stages"`
	Findings []sandbox.FindingInfo `json:"findings"`
	Lint     []sandbox.LintFinding `json:"lint"`
	Image    *sandbox.ImageInfo    `json:"image,omitempty"`
	// Starter and Reference are the exercise's starter and reference images, for "par".
	Starter   *sandbox.ImageInfo `json:"starter,omitempty"`
	Reference *sandbox.ImageInfo `json:"reference,omitempty"`
	Build     *sandbox.BuildInfo `json:"build,omitempty"`
	Error     string             `json:"error,omitempty"`
}

// CheckResult is one check's verdict.
type CheckResult struct {
	ID        string      `json:"id"`
	Kind      string      `json:"kind"`
	Status    string      `json:"status"`
	Points    spec.Points `json:"points"`
	MaxPoints spec.Points `json:"max_points"`
	Message   string      `json:"message"`
	Line      int         `json:"line,omitempty"`
}

// total recomputes score, max and verdict from the check results.
func (r *Report) total() {
	r.Score, r.MaxScore = 0, 0
	r.Passed = len(r.Checks) > 0
	for _, c := range r.Checks {
		r.Score += c.Points
		r.MaxScore += c.MaxPoints
		if c.Status != StatusPass {
			r.Passed = false
		}
	}
}
