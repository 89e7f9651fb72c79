package main

import "fmt"

// Exit codes shared by every command (docs/architecture.md, "The report contract").
const (
	exitOK      = 0 // all checks pass
	exitFailed  = 1 // evaluated and fails (learner's mistake)
	exitUsage   = 2 // bad input to stagecraft itself
	exitEnviron = 3 // environment fault: BuildKit unreachable, daemon error
)

// exitError carries an exit code out of a command. A nil err means the command already said
// what it had to say (e.g. a failed check whose report is printed) and only the code matters.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageErr marks bad input to stagecraft (exit 2).
func usageErr(format string, a ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, a...)}
}

// envErr marks an environment fault (exit 3).
func envErr(err error) error { return &exitError{code: exitEnviron, err: err} }

// failed marks an evaluated submission that fails (exit 1); the report was already printed.
func failed() error { return &exitError{code: exitFailed} }
