package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/sandbox/catalog"
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
	fmt.Fprintln(tw, "IMAGE\tSTANDS IN FOR (offline stand-ins, not the real images)\tSIZE\tPLATFORMS\tSTATE")
	for _, e := range entries {
		state, size := "not built", "-"
		switch {
		case e.BuiltIn:
			state = "built in"
		case e.Built:
			state, size = "built", sandbox.HumanBytes(e.Size)
		}
		plats := strings.Join(e.Platforms, ", ")
		if len(e.Platforms) > 2 {
			plats = e.Platforms[0] + " +" + strconv.Itoa(len(e.Platforms)-1)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", e.Name, strings.Join(e.StandsIn, ", "), size, plats, state)
	}
	tw.Flush()
	// What each stand-in is and how it differs from the image it answers for: a learner
	// reading a build log should not mistake one for the other.
	fmt.Fprintln(o.Out)
	for _, e := range entries {
		fmt.Fprintf(o.Out, "%s: %s\n", e.Name, e.Description)
	}
	// Only images without programs are served for other platforms than this machine's: the
	// sandbox has no emulator to run a program built for another.
	fmt.Fprintf(o.Out, "\nplatforms: images with programs are %s only; static, static:nonroot (no programs) and scratch serve any target platform (build --platform)\n", catalog.HostPlatform())
	if dir := cat.StoreDir(); dir != "" {
		fmt.Fprintf(o.Out, "\nstored in %s\n", dir)
	} else {
		fmt.Fprintln(o.Out, "\nnot built yet: `stagecraft images build` (or the first exercise build does it)")
	}
	return nil
}
