package grade

import (
	"sort"

	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/sandbox/check"
	"github.com/stagecraft/stagecraft/sandbox/check/spec"
)

// The reports the grader writes itself, in the stagecraft.check/v1 shape, for submissions
// check.Run could not take: nothing handed in, or input over the sandbox's limits.

func emptyReport() *check.Report {
	return &check.Report{Schema: check.ReportSchema, Checks: []check.CheckResult{}, Stages: []sandbox.StageInfo{},
		Findings: []sandbox.FindingInfo{}, Lint: []sandbox.LintFinding{}}
}

// missingReport fails every check of the plan: nothing was handed in, so nothing is earned.
func missingReport(plan check.Plan, why string) *check.Report {
	rep := emptyReport()
	rep.Exercise, rep.Gradable = plan.Exercise, true
	for _, c := range plan.Checks {
		rep.Checks = append(rep.Checks, check.CheckResult{ID: c.ID, Kind: c.Kind, Status: check.StatusFail,
			MaxPoints: c.Points, Message: "not checked: nothing to grade (" + why + ")"})
	}
	totals(rep)
	return rep
}

// refusedReport grades a submission the sandbox refused as too large on what was decided before
// the refusal (the static checks, when Check got that far); every other check fails with the
// reason. It is the student's input, not an environment fault.
func refusedReport(plan check.Plan, partial *check.Report, why error) *check.Report {
	rep := emptyReport()
	if partial != nil {
		*rep = *partial
	}
	rep.Exercise, rep.Gradable, rep.Error = plan.Exercise, true, ""
	decided := map[string]bool{}
	for _, c := range rep.Checks {
		decided[c.ID] = true
	}
	for _, c := range plan.Checks {
		if !decided[c.ID] {
			rep.Checks = append(rep.Checks, check.CheckResult{ID: c.ID, Kind: c.Kind, Status: check.StatusFail,
				MaxPoints: c.Points, Message: "not checked: " + why.Error()})
		}
	}
	order := map[string]int{}
	for i, c := range plan.Checks {
		order[c.ID] = i + 1
	}
	sort.SliceStable(rep.Checks, func(i, j int) bool { return order[rep.Checks[i].ID] < order[rep.Checks[j].ID] })
	rep.Build = &sandbox.BuildInfo{Failure: &sandbox.Failure{Kind: "limit", Message: why.Error()}}
	totals(rep)
	return rep
}

// totals recomputes score, maximum and verdict as check.Run does.
func totals(rep *check.Report) {
	rep.Score, rep.MaxScore = 0, 0
	rep.Passed = len(rep.Checks) > 0
	for _, c := range rep.Checks {
		rep.Score += c.Points
		rep.MaxScore += c.MaxPoints
		if c.Status != check.StatusPass {
			rep.Passed = false
		}
	}
}

// planMax is the most a submission can score.
func planMax(plan check.Plan) spec.Points {
	var p spec.Points
	for _, c := range plan.Checks {
		p += c.Points
	}
	return p
}

func sortResults(rs []Result) {
	sort.Slice(rs, func(i, j int) bool { return rs[i].Student < rs[j].Student })
}

// sortGroups orders locality groups largest first, then by key, so the deal is deterministic.
func sortGroups(keys []string, groups map[string][]*job) {
	sort.SliceStable(keys, func(i, j int) bool {
		a, b := len(groups[keys[i]]), len(groups[keys[j]])
		if a != b {
			return a > b
		}
		return keys[i] < keys[j]
	})
}
