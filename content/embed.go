// Package content is the course stagecraft ships: course.yaml, lessons/*.md, quizzes/*.yaml and
// exercises/<id>/, embedded in the binary. It holds data only; package lessons loads and checks
// it (docs/course-format.md is the format).
package content

import (
	"embed"
	"io/fs"
)

// files is the course folder. exercises/ is embedded with all: because build contexts hold
// dotfiles that matter (.dockerignore); all: on quizzes/ and exercises/ also keeps their .keep
// placeholders, so the build passes while a folder is empty.
//
//go:embed course.yaml lessons all:quizzes all:exercises
var files embed.FS

// FS returns the embedded course folder: course.yaml at its root.
func FS() fs.FS { return files }
