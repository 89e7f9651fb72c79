package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/stagecraft/stagecraft/progress"
)

// importOptions are the flags of `stagecraft progress import`.
type importOptions struct {
	In    io.Reader
	Out   io.Writer
	Store func(context.Context) (*progress.Store, error)

	File string
}

func newImportOptions(f *factory) *importOptions {
	return &importOptions{In: f.In(), Out: f.Out(), Store: f.Store}
}

func newProgressImportCmd(f *factory) *cobra.Command {
	o := newImportOptions(f)
	return &cobra.Command{
		Use:   "import FILE",
		Short: "Merge progress exported as JSON into this database (- for standard input)",
		Long: `import merges a file written by 'stagecraft progress export' into the database: learners by
name, every record by its id. Nothing is duplicated, so importing the same file twice changes
nothing. The import is one transaction: a bad file changes nothing at all.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			defer f.Close()
			o.File = args[0]
			return runImport(cmd.Context(), o)
		},
	}
}

func runImport(ctx context.Context, o *importOptions) error {
	var r io.Reader = o.In
	if o.File != "-" {
		f, err := os.Open(o.File)
		if err != nil {
			return usageErr("cannot read %s: %v", o.File, err)
		}
		defer f.Close()
		r = f
	}
	st, err := o.Store(ctx)
	if err != nil {
		return err
	}
	n, err := st.Import(ctx, r)
	if errors.Is(err, progress.ErrBadExport) {
		return usageErr("%s: %v (nothing was imported)", o.File, err)
	}
	if err != nil {
		return envErr(fmt.Errorf("%w (nothing was imported)", err))
	}
	fmt.Fprintf(o.Out, "Imported %s: %d learners, %d reads, %d completions, %d quiz runs, %d answers, %d review cards (%d rebuilt), %d attempts, %d grading runs, %d grading results\n",
		o.File, n.Learners, n.Reads, n.Completions, n.QuizRuns, n.Answers, n.Cards, n.CardsReplayed, n.Attempts, n.GradingRuns, n.GradingResults)
	return nil
}
