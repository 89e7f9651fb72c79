package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/stagecraft/stagecraft/content"
	"github.com/stagecraft/stagecraft/lessons"
	"github.com/stagecraft/stagecraft/quiz"
)

// embeddedCourseDir is how errors in the built-in course name their files: where they live in
// stagecraft's source tree.
const embeddedCourseDir = "content"

// contentCheckOptions are the inputs of `stagecraft content check`.
type contentCheckOptions struct {
	Dir      string // the course folder to check; "" for the one --course names, or the built-in one
	Out, Err io.Writer
	// Build builds every exercise's starter, reference and cases on a daemon (--build).
	Build    bool
	Exercise string // only this exercise (with Build)
	Snippets bool   // only the lessons' complete snippets (with Build)
	Jobs     int    // exercises checked at once (with Build)
	sandboxFlags
	g *globalOptions
}

func newContentCmd(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "content",
		Short: "Work on course content (lessons, quizzes, exercises)",
		Long: `A course is a folder: course.yaml, lessons/*.md, quizzes/*.yaml and exercises/<id>/.
docs/course-format.md describes every field; docs/example-course is a small complete course.`,
	}
	cmd.AddCommand(newContentCheckCmd(g))
	return cmd
}

func newContentCheckCmd(g *globalOptions) *cobra.Command {
	opts := &contentCheckOptions{g: g}
	cmd := &cobra.Command{
		Use:   "check [DIR]",
		Short: "Validate a course folder, printing every error as file:line:col: message",
		Long: `check loads a course folder the way stagecraft runs it and reports every mistake at once,
one per line as file:line:col: message: unknown fields, missing answers, invalid patterns,
references to lessons, quizzes or exercises that do not exist, duplicate ids, exercise files
that are missing, code lines too wide for a 60-column terminal, invalid checks.

It also warns, as file:line:col: warning: message, when answers can be guessed by position:
the right option written first in more single and multiple questions than chance plus 10
points, a pinned order (shuffle: false) with the right option first, or more than 60% of the
true_false statements with the same answer. Warnings do not change the exit status.

DIR defaults to the folder --course names, else the built-in course (its errors name files under
content/ in stagecraft's source).

--build then proves every exercise's checks on a real BuildKit daemon: the starter must fail,
the reference solution must get full points, each cases/pass-*.Dockerfile must get full points
and each cases/fail-*.Dockerfile must fail, including every check its "# fails:" line names.
Every verdict that differs is reported. --exercise ID checks one exercise; --jobs N checks N
exercises at once.

--build also builds every Dockerfile snippet a lesson marks complete (` + "```dockerfile complete" + `,
docs/course-format.md) in an empty context or its exercise's (context=<exercise-id>), offline
with the catalog, and reports each one that does not build as file:line: snippet does not
build: … at its fence. --snippets builds only the snippets; --exercise leaves them out.

Exit status: 0 valid, 1 errors found (or a verdict differs), 2 DIR is not a folder,
3 BuildKit failed (with --build).`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Dir, opts.Out, opts.Err = g.Course, g.Out, g.Err
			if len(args) == 1 {
				opts.Dir = args[0]
			}
			return runContentCheck(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opts.Build, "build", false, "build every starter, reference and case on BuildKit and compare each verdict with the declared one")
	f.StringVar(&opts.Exercise, "exercise", "", "with --build: only this exercise")
	f.IntVar(&opts.Jobs, "jobs", 2, "with --build: exercises checked (and snippets built) at once")
	f.BoolVar(&opts.Snippets, "snippets", false, "with --build: only build the lessons' complete snippets")
	opts.sandboxFlags.register(f)
	return cmd
}

func runContentCheck(ctx context.Context, o *contentCheckOptions) error {
	if err := snippetFlagsValid(o); err != nil {
		return err
	}
	fsys, shown, err := courseFS(o.Dir)
	if err != nil {
		return err
	}
	c, err := lessons.Load(fsys)
	var ve quiz.ValidationErrors
	if err == nil {
		// Cases are checked with the course: a case that declares nothing proves nothing.
		var all quiz.ValidationErrors
		for _, ex := range c.Exercises {
			if _, cerr := ex.Cases(fsys); errors.As(cerr, &ve) {
				all = append(all, ve...)
			}
		}
		if len(all) > 0 {
			err = all
		}
	}
	if errors.As(err, &ve) {
		for _, e := range ve {
			e.File = filepath.Join(shown, filepath.FromSlash(e.File))
			fmt.Fprintln(o.Out, e)
		}
		fmt.Fprintf(o.Err, "%s: %s\n", shown, countOf(len(ve), "error", "errors"))
		return failed()
	}
	if err != nil {
		return usageErr("checking %s: %w", shown, err)
	}
	questions := c.AllQuestions()
	fmt.Fprintf(o.Out, "%s: ok — %s, %s, %s (%s), %s\n", shown,
		countOf(len(c.Modules), "module", "modules"),
		countOf(len(c.Lessons), "lesson", "lessons"),
		countOf(len(c.Quizzes), "quiz", "quizzes"),
		countOf(len(questions), "question", "questions"),
		countOf(len(c.Exercises), "exercise", "exercises"))
	// Warnings do not fail the check: the course runs, but answers can be guessed by position.
	warnings := quiz.SkewWarnings(questions)
	for _, w := range warnings {
		w.File = filepath.Join(shown, filepath.FromSlash(w.File))
		w.Msg = "warning: " + w.Msg
		fmt.Fprintln(o.Out, w)
	}
	if len(warnings) > 0 {
		fmt.Fprintf(o.Err, "%s: %s\n", shown, countOf(len(warnings), "warning", "warnings"))
	}
	if !o.Build {
		return nil
	}
	return runContentBuild(ctx, o, c, shown)
}

// runContentBuild is `content check --build`: every verdict on a line, differences counted.
func runContentBuild(ctx context.Context, o *contentCheckOptions, c *lessons.Course, shown string) error {
	sb, err := o.g.openSandbox(ctx, o.sandboxFlags)
	if err != nil {
		return envErr(err)
	}
	defer sb.Close()
	start := time.Now()
	var verdicts []caseVerdict
	if !o.Snippets {
		verdicts, err = contentBuild(ctx, sb, c, o.Exercise, o.Jobs, func(v caseVerdict) { printVerdict(o.Out, shown, v) })
		if err != nil {
			return err
		}
	}
	bad := 0
	for _, v := range verdicts {
		if v.Problem != "" {
			bad++
		}
	}
	snippets, badSnippets := 0, 0
	if o.Exercise == "" {
		if snippets, badSnippets, err = runSnippetBuild(ctx, o, sb, c, shown); err != nil {
			return err
		}
	}
	fmt.Fprintf(o.Err, "%s: %s checked and %s built in %s, %s, %s\n", shown, countOf(len(verdicts), "Dockerfile", "Dockerfiles"),
		countOf(snippets, "snippet", "snippets"), time.Since(start).Round(time.Second),
		countOf(bad, "verdict differs", "verdicts differ"), countOf(badSnippets, "snippet does not build", "snippets do not build"))
	if bad+badSnippets > 0 {
		return failed()
	}
	return nil
}

// countOf says "1 quiz", "3 quizzes".
func countOf(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// courseFS opens the course folder dir, or the built-in course when dir is "". shown is how
// messages name it.
func courseFS(dir string) (fsys fs.FS, shown string, err error) {
	if dir == "" {
		return content.FS(), embeddedCourseDir, nil
	}
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, "", usageErr("course folder %s does not exist", dir)
	case err != nil:
		return nil, "", usageErr("course folder %s: %w", dir, err)
	case !st.IsDir():
		return nil, "", usageErr("course folder %s is a file; give the folder that holds course.yaml", dir)
	}
	return os.DirFS(dir), filepath.Clean(dir), nil
}

// loadCourse is the course every command runs on: the folder --course names, or the built-in
// one. A course that does not load is bad input (exit 2), with its first errors and a pointer to
// `stagecraft content check` for all of them.
func loadCourse(g *globalOptions) (*lessons.Course, error) {
	fsys, shown, err := courseFS(g.Course)
	if err != nil {
		return nil, err
	}
	c, err := lessons.Load(fsys)
	if err == nil {
		return c, nil
	}
	var ve quiz.ValidationErrors
	if !errors.As(err, &ve) {
		return nil, usageErr("loading the course %s: %w", shown, err)
	}
	const show = 5
	msg := fmt.Sprintf("the course %s has %s", shown, countOf(len(ve), "error", "errors"))
	for i, e := range ve {
		if i == show {
			msg += fmt.Sprintf("\n  … and %d more", len(ve)-show)
			break
		}
		e.File = filepath.Join(shown, filepath.FromSlash(e.File))
		msg += "\n  " + e.Error()
	}
	check := "stagecraft content check"
	if g.Course != "" {
		check += " " + g.Course
	}
	return nil, usageErr("%s\n(run `%s` to see every error)", msg, check)
}
