package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// imagesBuildOptions are the inputs of `stagecraft images build`.
type imagesBuildOptions struct {
	Out, Err io.Writer // the report; the build's progress
}

func newImagesBuildCmd(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "build",
		Short: "Build the catalog from this machine's busybox, Go, Node.js, Python, CA certificates and tzdata (once)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runImagesBuild(cmd.Context(), &imagesBuildOptions{Out: g.Out, Err: g.Err})
		},
	}
}

func runImagesBuild(ctx context.Context, o *imagesBuildOptions) error {
	cat, err := openCatalog()
	if err != nil {
		return envErr(err)
	}
	rep, err := cat.Build(ctx, o.Err)
	if err != nil {
		return envErr(fmt.Errorf("building the catalog: %w", err))
	}
	if rep.UpToDate {
		fmt.Fprintf(o.Out, "catalog up to date (%s)\n", rep.Store)
	} else {
		fmt.Fprintf(o.Out, "catalog built in %.1fs (%s)\n", rep.Duration.Seconds(), rep.Store)
	}
	for _, s := range rep.Skipped {
		fmt.Fprintf(o.Out, "  skipped %s: %s\n", s.Image, s.Reason)
	}
	return nil
}
