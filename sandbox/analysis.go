package sandbox

import (
	"sort"

	"github.com/stagecraft/stagecraft/sandbox/dockerfile"
)

// StagesOf lists the stages of an analysis for a report.
func StagesOf(a *dockerfile.Analysis) []StageInfo {
	out := make([]StageInfo, 0, len(a.Stages))
	for _, s := range a.Stages {
		base := s.Base
		if s.BaseExpanded != "" && s.BaseExpanded != s.Base {
			base = s.Base + " (" + s.BaseExpanded + ")"
		}
		out = append(out, StageInfo{Index: s.Index, Name: s.Name, Base: base, Line: s.Line})
	}
	return out
}

// FindingsOf lists the static findings of an analysis for a report.
func FindingsOf(a *dockerfile.Analysis) []FindingInfo {
	out := make([]FindingInfo, 0, len(a.Findings))
	for _, f := range a.Findings {
		src := f.Source
		if src == "" {
			src = dockerfile.SourceStagecraft
		}
		out = append(out, FindingInfo{Rule: f.Rule, Severity: string(f.Severity), Line: f.Line, Col: f.Col, Message: f.Message, URL: f.URL, Source: src})
	}
	return out
}

// MergeLint adds the daemon's lint findings to the static ones, one per (rule, line): the
// static analysis runs BuildKit's linter too, and both may report the same rule.
func MergeLint(findings []FindingInfo, lint []LintFinding) []FindingInfo {
	type key struct {
		rule string
		line int
	}
	seen := map[key]bool{}
	for _, f := range findings {
		seen[key{f.Rule, f.Line}] = true
	}
	for _, l := range lint {
		if seen[key{l.Rule, l.Line}] {
			continue
		}
		seen[key{l.Rule, l.Line}] = true
		findings = append(findings, FindingInfo{Rule: l.Rule, Severity: "warning", Line: l.Line, Message: l.Message, URL: l.URL, Source: dockerfile.SourceBuildKit})
	}
	sort.SliceStable(findings, func(i, j int) bool { return findings[i].Line < findings[j].Line })
	return findings
}

// Analyze reads a request's Dockerfile as BuildKit will, with its build args and target.
func Analyze(req Request) (*dockerfile.Analysis, error) {
	return dockerfile.Analyze(req.Filename, req.Dockerfile, dockerfile.Options{BuildArgs: req.BuildArgs, Target: req.Target})
}

// BuildInfoOf summarises a build result for a report.
func BuildInfoOf(res *Result) *BuildInfo {
	bi := &BuildInfo{
		DurationMS:  res.Duration.Milliseconds(),
		Steps:       res.TotalSteps,
		CachedSteps: res.CachedSteps,
		Failure:     res.Failure,
		Limits:      res.Limits,
	}
	if f := res.Failure; f != nil {
		bi.FailedStep, bi.FailedLine, bi.LogTail = f.Step, f.Line, f.LogTail
	}
	return bi
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
