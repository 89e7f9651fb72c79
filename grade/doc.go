// Package grade owns the classroom checker: it reads a class of submissions (one folder per
// student, a single folder, or a list file, with an optional roster), grades each one with the
// same check.Run as `stagecraft check`, spreads the work over one or many BuildKit daemons,
// and writes the run out as a text table, JSON, JUnit XML, a CSV gradebook and Markdown feedback.
//
// A submission that does not parse, times out or crashes its build is graded on what it reached;
// an environment fault (sandbox.IsEnvError) is never the student's: the submission is retried once,
// on another daemon when there is one, and otherwise reported as not graded. Every student ends
// with exactly one result: graded, missing (nothing submitted, score 0) or not graded.
//
// The package does not open the progress store itself: Save and Load turn a Run into the store's
// grading runs and results and back, so `grade show` and `--regrade` read what a run wrote.
package grade
