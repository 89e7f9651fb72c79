package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/stagecraft/stagecraft/progress"
)

// exportOptions are the flags of `stagecraft progress export`.
type exportOptions struct {
	Out     io.Writer
	Store   func(context.Context) (*progress.Store, error)
	Learner func() string

	File string
	All  bool
}

func newExportOptions(f *factory) *exportOptions {
	return &exportOptions{Out: f.Out(), Store: f.Store, Learner: f.Learner}
}

func newProgressExportCmd(f *factory) *cobra.Command {
	o := newExportOptions(f)
	cmd := &cobra.Command{
		Use:   "export FILE",
		Short: "Write your progress to a JSON file (- for standard output)",
		Long: `export writes the learner's progress — lesson reads, quiz runs and answers, review cards,
exercise attempts with their Dockerfiles and reports — to FILE as JSON (stagecraft.progress/v1).
--all writes every learner of the database and the classroom checker's grading runs. Import it
on another machine with 'stagecraft progress import FILE'.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			defer f.Close()
			o.File = args[0]
			return runExport(cmd.Context(), o)
		},
	}
	cmd.Flags().BoolVar(&o.All, "all", false, "export every learner and the grading runs")
	return cmd
}

func runExport(ctx context.Context, o *exportOptions) error {
	st, err := o.Store(ctx)
	if err != nil {
		return err
	}
	f := progress.ExportFilter{Grading: o.All}
	if !o.All {
		f.Learners = []string{o.Learner()}
	}
	if o.File == "-" {
		if err := st.Export(ctx, o.Out, f); err != nil {
			return envErr(err)
		}
		return nil
	}
	// Write beside the target, then rename: an interrupted export never leaves half a file.
	tmp, err := os.CreateTemp(filepath.Dir(o.File), "."+filepath.Base(o.File)+".*")
	if err != nil {
		return usageErr("cannot write %s: %v", o.File, err)
	}
	defer os.Remove(tmp.Name())
	if err := st.Export(ctx, tmp, f); err != nil {
		tmp.Close()
		return envErr(err)
	}
	if err := tmp.Close(); err != nil {
		return envErr(fmt.Errorf("writing %s: %w", o.File, err))
	}
	if err := os.Rename(tmp.Name(), o.File); err != nil {
		return usageErr("cannot write %s: %v", o.File, err)
	}
	who := "learner " + o.Learner()
	if o.All {
		who = "every learner and the grading runs"
	}
	fmt.Fprintf(o.Out, "Exported the progress of %s to %s\n", who, o.File)
	return nil
}
