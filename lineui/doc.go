// Package lineui is stagecraft's line mode: what the course and its quizzes look like without a
// terminal screen — on a pipe, in CI, for a screen reader or a script. Output is plain lines and
// input is read line by line; nothing here draws or moves a cursor. The full-screen app is
// package tui; both show the same course through the same packages (quiz, lessons, progress).
package lineui
