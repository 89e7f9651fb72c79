// Package check decides whether a submission passes an exercise: Run takes a plan (the
// exercise's checks, context, starter and reference) and a learner's Dockerfile, builds it on
// the sandbox's engine, evaluates every check kind and returns the report that the TUI,
// `stagecraft check` and `stagecraft grade` all show. Progress reaches the caller as events: the
// static verdict first, then build progress, then each dynamic check as it is decided.
//
// It drives the engine (package sandbox); the engine never imports it. The checks themselves,
// as an exercise declares them, are package spec.
package check
