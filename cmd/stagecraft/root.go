package main

import (
	"io"
	"os"

	"github.com/spf13/cobra"
)

// globalOptions are the flags every command shares. Commands read them through the pointer they
// are given at construction, after cobra has parsed the command line.
type globalOptions struct {
	BuildKit []string // --buildkit ADDR (repeatable); BUILDKIT_HOST when empty
	Images   string   // --images auto|catalog|registry
	Course   string   // --course DIR: a course folder instead of the embedded one
	DB       string   // --db PATH: the progress store; STAGECRAFT_DB when empty
	Learner  string   // --learner NAME: defaults to the OS user

	In       io.Reader
	Out, Err io.Writer
}

func newRootCmd(in io.Reader, out, errw io.Writer) *cobra.Command {
	g := &globalOptions{In: in, Out: out, Err: errw}
	f := newFactory(g)
	root := &cobra.Command{
		Use:   "stagecraft",
		Short: "Learn Docker multi-stage builds in the terminal, on a real BuildKit",
		Long: `stagecraft is a terminal course on Docker multi-stage builds and production Dockerfile
practice. Lessons and quizzes run anywhere; exercises build your Dockerfile on a real BuildKit
daemon, check it, and explain the result.`,
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(in)
	root.SetOut(out)
	root.SetErr(errw)
	pf := root.PersistentFlags()
	pf.StringArrayVar(&g.BuildKit, "buildkit", nil, "BuildKit address (unix://, tcp://, docker-container://, …); default $BUILDKIT_HOST, then the managed daemon")
	pf.StringVar(&g.Images, "images", "auto", "where base images come from: auto (catalog first, then registry), catalog, registry")
	pf.StringVar(&g.Course, "course", "", "run on a course folder instead of the built-in course")
	pf.StringVar(&g.DB, "db", "", "progress database file (default $STAGECRAFT_DB, then the user data dir)")
	pf.StringVar(&g.Learner, "learner", "", "learner name on a shared machine (default: the OS user)")

	root.AddCommand(
		newDoctorCmd(g),
		newDaemonCmd(g),
		newImagesCmd(g),
		newInspectCmd(g),
		newBuildCmd(g),
		newCheckCmd(f),
		newProgressCmd(f),
		newResetCmd(f),
		newContentCmd(g),
		newGradeCmd(g),
		newQuizCmd(f),
	)
	setRootRun(root, f) // tui.go: no arguments opens the course
	return root
}

// env reads an environment variable; a helper so tests can see what the commands read.
func env(key string) string { return os.Getenv(key) }
