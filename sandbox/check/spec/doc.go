// Package spec is the checks an exercise declares as data (exercise.yaml `checks:`): their
// kinds, fields and validation, and the points they are worth. It imports nothing of the build
// engine, so the course model (package lessons) can load and validate exercises without
// BuildKit; package check evaluates these specs against a submission.
package spec
