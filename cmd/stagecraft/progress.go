package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/stagecraft/stagecraft/progress"
	"github.com/stagecraft/stagecraft/study"
)

// progressOptions are the flags and dependencies of `stagecraft progress` (show).
type progressOptions struct {
	Out     io.Writer
	Store   func(context.Context) (*progress.Store, error)
	Learner func() string
	Now     func() time.Time
	// Outline is the course as progress is summarised against it.
	Outline func() (progress.Outline, error)

	JSON bool
}

func newProgressOptions(f *factory) *progressOptions {
	return &progressOptions{Out: f.Out(), Store: f.Store, Learner: f.Learner, Now: f.Now, Outline: f.Outline}
}

func newProgressCmd(f *factory) *cobra.Command {
	o := newProgressOptions(f)
	cmd := &cobra.Command{
		Use:   "progress",
		Short: "Show your progress: lessons read, quiz scores, exercises, streak and reviews due",
		Long: `progress shows, module by module, which lessons you read and completed, your best and last
quiz scores, how far you got with each exercise (and your smallest passing image), your overall
completion, your daily streak and how many reviews are due. --json prints the same as JSON.

Progress is kept in one SQLite file: --db PATH, else $STAGECRAFT_DB, else
$XDG_DATA_HOME/stagecraft/progress.db (~/.local/share/stagecraft/progress.db).
On a shared machine, --learner NAME keeps each learner apart.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			defer f.Close()
			return runProgress(cmd.Context(), o)
		},
	}
	cmd.Flags().BoolVar(&o.JSON, "json", false, "print the summary as JSON")
	cmd.AddCommand(newProgressExportCmd(f), newProgressImportCmd(f))
	return cmd
}

// Outline is the course's outline (study.OutlineOf), from the course --course names.
func (f *factory) Outline() (progress.Outline, error) {
	c, err := f.Course()
	if err != nil {
		return progress.Outline{}, err
	}
	return study.OutlineOf(c), nil
}

// openProgress opens the store --db, $STAGECRAFT_DB or the default names. A store stagecraft
// will not use (damaged, foreign, newer) is an environment fault: its message says what to do.
func openProgress(ctx context.Context, g *globalOptions) (*progress.Store, error) {
	path, err := progress.ResolvePath(g.DB)
	if err != nil {
		return nil, envErr(err)
	}
	st, err := progress.Open(ctx, path, progress.Options{})
	if err != nil {
		return nil, envErr(err)
	}
	if b := st.Backup(); b != "" {
		fmt.Fprintf(g.Err, "stagecraft: upgraded the progress database; the previous version is kept at %s\n", b)
	}
	return st, nil
}

// learnerName is --learner, else the OS user.
func learnerName(g *globalOptions) string {
	if n := strings.TrimSpace(g.Learner); n != "" {
		return n
	}
	return progress.DefaultLearner()
}
