// Package progress owns the learner's progress store: one SQLite file holding learners, lesson
// reads and completions, quiz runs and answers, spaced-repetition review cards, exercise attempts,
// and the classroom checker's grading runs and results. Nothing else writes it.
//
// The file is opened in WAL mode with foreign keys and a busy timeout; writes go through a single
// connection whose transactions take the write lock up front (BEGIN IMMEDIATE), reads through a
// pool. Several stagecraft processes may use the same file at once. The schema is a numbered
// series of migrations embedded in the binary; before migrating an existing store, a copy is
// written beside it. A damaged file, or one from a newer stagecraft, is never written to: Open
// returns an *UnusableError that says what is wrong and how to go on.
//
// Questions and exercises are keyed by their course id and recorded with a hash of their content
// (given by the caller), so a changed question resets its review card instead of mixing old
// answers with new content. Scores are Points: integer hundredths, never floats.
//
// The package knows nothing of the course model: Summary takes an Outline built by the caller.
package progress
