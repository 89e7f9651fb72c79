package dockerfile

import (
	"cmp"
	"slices"

	"github.com/moby/buildkit/frontend/dockerfile/linter"
)

// Severity of a Finding.
type Severity string

const (
	// SeverityError: the build fails, or builds something else than the Dockerfile says
	// (an image pulled in place of a stage).
	SeverityError Severity = "error"
	// SeverityWarning: it builds, but the Dockerfile is likely wrong or misleading.
	SeverityWarning Severity = "warning"
	// SeverityInfo: nothing wrong; what the sandbox does with something the Dockerfile says.
	SeverityInfo Severity = "info"
)

// Source of a Finding.
const (
	SourceStagecraft = "stagecraft"
	SourceBuildKit   = "buildkit" // BuildKit's linter, run here while parsing
)

// Finding is one problem at one place in the Dockerfile.
type Finding struct {
	Rule       string   `json:"rule"`
	Severity   Severity `json:"severity"`
	Message    string   `json:"message"`
	Line       int      `json:"line"`                 // 1-based; 0 when the finding is about the whole file or the options
	Col        int      `json:"col,omitempty"`        // 1-based column in characters; 0 when unknown
	EndLine    int      `json:"end_line,omitempty"`   // last line of the instruction, when it spans several
	URL        string   `json:"url,omitempty"`        // BuildKit's docs for its rules; empty for ours
	Suggestion string   `json:"suggestion,omitempty"` // a replacement for the name at Line:Col (a stage name), when there is one
	Source     string   `json:"source"`               // SourceStagecraft or SourceBuildKit
}

// Rules of this package. DuplicateStageName, ReservedStageName, StageNameCasing and
// UndefinedArgInFrom are BuildKit linter rule names: findings under them use BuildKit's URL and
// the line BuildKit reports, so a merge with the daemon's lint keeps one per (rule, line).
const (
	// RuleUndefinedStageRef: a COPY --from, mount from= or FROM names no stage that BuildKit
	// will bind it to, so BuildKit pulls an image of that name (or fails, for an index).
	RuleUndefinedStageRef = "UndefinedStageRef"
	// RuleForwardStageRef: a reference to a stage defined further down.
	RuleForwardStageRef = "ForwardStageRef"
	// RuleSelfStageRef: a stage referring to itself.
	RuleSelfStageRef = "SelfStageRef"
	// RuleVariableStageRef: COPY --from with a variable; BuildKit does not expand it.
	RuleVariableStageRef = "VariableStageRef"
	// RuleInvalidImageRef: an image name BuildKit cannot parse (upper case, empty, …).
	RuleInvalidImageRef = "InvalidImageRef"
	// RuleCopyFromImage (info): a COPY --from or mount from= names an image, plainly meant as
	// one (a tag, a registry, or a well-known image such as busybox).
	RuleCopyFromImage = "CopyFromImage"
	// RuleUnknownTarget: Options.Target names no stage.
	RuleUnknownTarget = "UnknownTarget"

	RuleDuplicateStageName = "DuplicateStageName"
	RuleReservedStageName  = "ReservedStageName"
	RuleStageNameCasing    = "StageNameCasing"
	RuleUndefinedArgInFrom = "UndefinedArgInFrom"
)

// Docs URLs of the BuildKit rules we compute ourselves (dockerfile2llb runs them, not the
// parser).
var buildkitURL = map[string]string{
	RuleDuplicateStageName: linter.RuleDuplicateStageName.URL,
	RuleReservedStageName:  linter.RuleReservedStageName.URL,
	RuleStageNameCasing:    linter.RuleStageNameCasing.URL,
	RuleUndefinedArgInFrom: linter.RuleUndefinedArgInFrom.URL,
}

func sortFindings(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col), cmp.Compare(a.Rule, b.Rule))
	})
}

// dedupe drops a finding when another with the same rule, line and message came first.
func dedupe(fs []Finding) []Finding {
	type key struct {
		rule string
		line int
		msg  string
	}
	seen := map[key]bool{}
	out := fs[:0]
	for _, f := range fs {
		k := key{f.Rule, f.Line, f.Message}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, f)
	}
	return out
}
