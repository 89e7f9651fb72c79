package sandbox

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
	Schema   string        `json:"schema"`
	Exercise string        `json:"exercise,omitempty"`
	Passed   bool          `json:"passed"`
	Gradable bool          `json:"gradable"`
	Score    Points        `json:"score"`
	MaxScore Points        `json:"max_score"`
	Checks   []CheckResult `json:"checks"`
	Stages   []StageInfo   `json:"stages"`
	Findings []FindingInfo `json:"findings"`
	Lint     []LintFinding `json:"lint"`
	Image    *ImageInfo    `json:"image,omitempty"`
	// Starter and Reference are the exercise's starter and reference images, for "par".
	Starter   *ImageInfo `json:"starter,omitempty"`
	Reference *ImageInfo `json:"reference,omitempty"`
	Build     *BuildInfo `json:"build,omitempty"`
	Error     string     `json:"error,omitempty"`
}

// CheckResult is one check's verdict.
type CheckResult struct {
	ID        string `json:"id"`
	Kind      string `json:"kind"`
	Status    string `json:"status"`
	Points    Points `json:"points"`
	MaxPoints Points `json:"max_points"`
	Message   string `json:"message"`
	Line      int    `json:"line,omitempty"`
}

// StageInfo is one stage of the submission.
type StageInfo struct {
	Index int    `json:"index"`
	Name  string `json:"name"`
	Base  string `json:"base"`
	Line  int    `json:"line"`
}

// FindingInfo is a static finding: ours (UndefinedStageRef, …) or BuildKit's parser's.
type FindingInfo struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Line     int    `json:"line"`
	Col      int    `json:"col,omitempty"`
	Message  string `json:"message"`
	URL      string `json:"url,omitempty"`
	// Source is who found it: "stagecraft" (our analysis) or "buildkit" (BuildKit's parser and
	// linter), so a learner knows whose rule and docs to look up.
	Source string `json:"source"`
}

// ImageInfo is what the final image is made of.
type ImageInfo struct {
	Digest          string      `json:"digest"`
	Platform        string      `json:"platform,omitempty"` // what the config says: linux/arm64
	SizeBytes       int64       `json:"size_bytes"`
	CompressedBytes int64       `json:"compressed_bytes"`
	Layers          []LayerInfo `json:"layers"`
	User            string      `json:"user"`
	Entrypoint      []string    `json:"entrypoint,omitempty"`
	Cmd             []string    `json:"cmd,omitempty"`
	ExposedPorts    []string    `json:"exposed_ports,omitempty"`
	Healthcheck     []string    `json:"healthcheck,omitempty"`
	Largest         []FileInfo  `json:"largest_files,omitempty"`
	Waste           *WasteInfo  `json:"waste,omitempty"`
}

// WasteInfo is the content the layers carry that the final filesystem hides: bytes a later
// layer deleted or replaced. They are still downloaded and stored with the image.
type WasteInfo struct {
	WastedBytes int64            `json:"wasted_bytes"`
	TotalBytes  int64            `json:"total_bytes"` // file content across every layer
	Efficiency  float64          `json:"efficiency"`  // visible / total, 1 when nothing is wasted
	Files       []WastedFileInfo `json:"files,omitempty"`
}

// WastedFileInfo is one hidden version of a file: the layer that holds its bytes and the layer
// that hid them (indexes into ImageInfo.Layers).
type WastedFileInfo struct {
	Path     string `json:"path"`
	Size     int64  `json:"size"`
	Layer    int    `json:"layer"`
	HiddenBy int    `json:"hidden_by"`
	How      string `json:"how"` // deleted or replaced
}

// LayerInfo is one layer and the instruction that made it.
type LayerInfo struct {
	Digest          string `json:"digest"`
	SizeBytes       int64  `json:"size_bytes"`
	CompressedBytes int64  `json:"compressed_bytes"`
	CreatedBy       string `json:"created_by"`
	WastedBytes     int64  `json:"wasted_bytes"` // of this layer's content, hidden by later layers
}

// FileInfo is a file of the final image.
type FileInfo struct {
	Path string `json:"path"`
	Size int64  `json:"size"`
}

// BuildInfo summarises the build of the submission.
type BuildInfo struct {
	DurationMS  int64    `json:"duration_ms"`
	Steps       int      `json:"steps"`
	CachedSteps int      `json:"cached_steps"`
	FailedStep  string   `json:"failed_step,omitempty"`
	FailedLine  int      `json:"failed_line,omitempty"`
	LogTail     []string `json:"log_tail,omitempty"`
	Failure     *Failure `json:"failure,omitempty"`
	Limits      string   `json:"limits,omitempty"`
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
