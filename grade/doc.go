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
// A Session is one grading run from start to end: it loads the class and its roster, decides
// what a re-grade checks again, grades over the backends it is given, keeps the run, every
// result and the run's status in the progress store (which the caller opens), merges a
// re-grade with the run it replaces, and summarises the run with its similar pairs. Show reads
// a stored run back, so `grade show` and `--regrade` read what a run wrote. The command line
// only builds the backends, writes the run out and picks the exit code.
package grade
