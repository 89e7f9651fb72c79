package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/stagecraft/stagecraft/sandbox"
)

// imagesListOptions are the inputs of `stagecraft images list`.
type imagesListOptions struct {
	Out  io.Writer
	JSON bool
}

func newImagesListCmd(g *globalOptions) *cobra.Command {
	o := &imagesListOptions{}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "Show the catalog's images and which FROM names each stands in for",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.Out = g.Out
			return runImagesList(o)
		},
	}
	cmd.Flags().BoolVar(&o.JSON, "json", false, "print the catalog as JSON")
	return cmd
}

func runImagesList(o *imagesListOptions) error {
	cat, err := openCatalog()
	if err != nil {
		return envErr(err)
	}
	entries := cat.List()
	if o.JSON {
		enc := json.NewEncoder(o.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(entries)
	}
	tw := tabwriter.NewWriter(o.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "IMAGE\tSTANDS IN FOR (offline stand-ins, not the real images)\tSIZE\tSTATE")
	for _, e := range entries {
		state, size := "not built", "-"
		switch {
		case e.BuiltIn:
			state = "built in"
		case e.Built:
			state, size = "built", sandbox.HumanBytes(e.Size)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", e.Name, strings.Join(e.StandsIn, ", "), size, state)
	}
	tw.Flush()
	// What each stand-in is and how it differs from the image it answers for: a learner
	// reading a build log should not mistake one for the other.
	fmt.Fprintln(o.Out)
	for _, e := range entries {
		fmt.Fprintf(o.Out, "%s: %s\n", e.Name, e.Description)
	}
	if dir := cat.StoreDir(); dir != "" {
		fmt.Fprintf(o.Out, "\nstored in %s\n", dir)
	} else {
		fmt.Fprintln(o.Out, "\nnot built yet: `stagecraft images build` (or the first exercise build does it)")
	}
	return nil
}
