package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// imagesPruneOptions are the inputs of `stagecraft images prune`.
type imagesPruneOptions struct {
	Out io.Writer
}

func newImagesPruneCmd(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "prune",
		Short: "Delete the catalog and the exported images (they are rebuilt when needed)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runImagesPrune(&imagesPruneOptions{Out: g.Out})
		},
	}
}

func runImagesPrune(o *imagesPruneOptions) error {
	cat, err := openCatalog()
	if err != nil {
		return envErr(err)
	}
	if err := cat.Prune(); err != nil {
		return envErr(err)
	}
	fmt.Fprintln(o.Out, "catalog removed")
	return nil
}
