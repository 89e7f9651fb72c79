package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/stagecraft/stagecraft/quiz"
	"github.com/stagecraft/stagecraft/study"
)

// quizImportOptions are the flags and dependencies of `stagecraft quiz import`.
type quizImportOptions struct {
	Stdout, Stderr io.Writer

	Out, ID, Title, Lesson, Diffy string
}

func newQuizImportCmd(f *factory) *cobra.Command {
	o := &quizImportOptions{Stdout: f.Out(), Stderr: f.Err()}
	cmd := &cobra.Command{
		Use:   "import FILE.gift",
		Short: "Read a Moodle GIFT file into a quiz file of the course format",
		Long: `import reads Moodle GIFT questions and writes them as one quiz in the course format
(docs/course-format.md), to stdout or --out FILE, for a course author to edit and add to
quizzes/. Multiple choice becomes single (one right answer) or multiple (several),
true/false true_false, short answer short, and a matching question exported from an order
question order. Numerical, essay and other matching questions have no stagecraft type: they
are errors. Partial credit is dropped (stagecraft scores all-or-nothing) with a warning.
A "// stagecraft:" comment written by "quiz export" restores id, difficulty, points, tags,
hints, pattern, code and spot_line questions. Questions without one get --difficulty.

Every error is printed as FILE:line:col: message and nothing is written (exit status 2).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runQuizImport(o, args[0]) },
	}
	fl := cmd.Flags()
	fl.StringVar(&o.Out, "out", "", "write the quiz to FILE instead of stdout")
	fl.StringVar(&o.ID, "id", "", "the quiz id (default: from the file name)")
	fl.StringVar(&o.Title, "title", "", "the quiz title (default: the GIFT category or the file name)")
	fl.StringVar(&o.Lesson, "lesson", "", "the lesson the quiz belongs to (default: the quiz id)")
	fl.StringVar(&o.Diffy, "difficulty", "medium", "difficulty of questions that do not say (easy, medium, hard)")
	return cmd
}

func runQuizImport(o *quizImportOptions, file string) error {
	if err := study.CheckDifficulty(o.Diffy); err != nil {
		return usageErr("--%v", err)
	}
	d := quiz.Difficulty(o.Diffy)
	data, err := os.ReadFile(file)
	if err != nil {
		return usageErr("reading %s: %v", file, err)
	}
	base := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	id := o.ID
	if id == "" {
		id = slugID(base)
	}
	if !quiz.ValidID(id) {
		return usageErr("--id %q: ids are lower-case letters and digits separated by dashes (like stages-quiz)", id)
	}
	imp, err := quiz.ReadGIFT(file, data, quiz.GIFTOptions{Difficulty: d, IDPrefix: id})
	if err != nil {
		return usageErr("%s cannot be imported:\n%v", file, err)
	}
	for _, w := range imp.Warnings {
		fmt.Fprintf(o.Stderr, "stagecraft: warning: %v\n", w)
	}
	if len(imp.Questions) == 0 {
		return usageErr("%s has no questions", file)
	}
	title := o.Title
	if title == "" {
		title = base
		if c := imp.Category; c != "" {
			title = c[strings.LastIndex(c, "/")+1:]
		}
	}
	lesson := o.Lesson
	if lesson == "" {
		lesson = id
	}
	_, yaml, err := quiz.QuizFromGIFT(file, imp, id, title, lesson)
	if err != nil {
		return usageErr("%s cannot be imported:\n%v", file, err)
	}
	header := fmt.Sprintf("# Imported from %s by stagecraft quiz import.\n", filepath.Base(file))
	if o.Lesson == "" {
		header += "# Set lesson: to the id of the lesson this quiz belongs to.\n"
	}
	return writeOut(o.Stdout, o.Out, func(w io.Writer) error {
		_, err := io.WriteString(w, header+string(yaml))
		return err
	})
}

// slugID makes an id of a file name: "Docker Stages.gift" → "docker-stages".
func slugID(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	if b.Len() == 0 {
		return "imported"
	}
	return b.String()
}
