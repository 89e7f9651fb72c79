package grade

import "github.com/stagecraft/stagecraft/sandbox/check"

// RefusedReport is the report of a submission refused before it was built (a Dockerfile or
// context over the sandbox's limits, a file that is a link or a pipe): the checks decided before
// the refusal stand (partial, may be nil), every other check fails with the reason, and Error
// says why. `stagecraft check` uses it so that it and `grade` judge refused input alike: the
// submission fails, it is not an environment fault.
func RefusedReport(plan check.Plan, partial *check.Report, why error) *check.Report {
	rep := refusedReport(plan, partial, why)
	rep.Error = why.Error()
	return rep
}
