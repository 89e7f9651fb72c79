package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/sandbox/catalog"
)

func openCatalog() (*catalog.Catalog, error) {
	cache, err := cacheDir()
	if err != nil {
		return nil, err
	}
	return catalog.Open(filepath.Join(cache, "catalog")), nil
}

// contextResolver serves FROM images per --images: the catalog first (auto), only (catalog),
// or not at all (registry).
func (g *globalOptions) contextResolver(_ context.Context, _ string) (sandbox.ContextResolver, error) {
	mode, err := g.imagesMode()
	if err != nil {
		return nil, err
	}
	if mode == sandbox.ImagesRegistry {
		return nil, nil
	}
	cat, err := openCatalog()
	if err != nil {
		return nil, err
	}
	return &sandbox.CatalogResolver{Catalog: cat, Strict: mode == sandbox.ImagesCatalog, Log: g.Err}, nil
}

func newImagesCmd(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "images",
		Short: "List, build or prune the offline base-image catalog",
		Long: `The catalog is a handful of base images stagecraft builds once, from what this machine has, so
exercises build offline: a busybox shell image, an alpine stand-in (no package manager), golang
(this machine's Go toolchain with a warm build cache), a distroless-like static image, node
(this machine's Node.js and an offline npm with the course's packages cached), a
distroless-like nodejs runtime, python (this machine's Python 3 with venv and pip, no package
index), and scratch. A FROM naming one of them, any tag, is served from the catalog; see --images.`,
	}
	var asJSON bool
	list := &cobra.Command{
		Use:   "list",
		Short: "Show the catalog's images and which FROM names each stands in for",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cat, err := openCatalog()
			if err != nil {
				return envErr(err)
			}
			entries := cat.List()
			if asJSON {
				enc := json.NewEncoder(g.Out)
				enc.SetIndent("", "  ")
				return enc.Encode(entries)
			}
			tw := tabwriter.NewWriter(g.Out, 0, 4, 2, ' ', 0)
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
			// What each stand-in is and how it differs from the image it answers for: a
			// learner reading a build log should not mistake one for the other.
			fmt.Fprintln(g.Out)
			for _, e := range entries {
				fmt.Fprintf(g.Out, "%s: %s\n", e.Name, e.Description)
			}
			if dir := cat.StoreDir(); dir != "" {
				fmt.Fprintf(g.Out, "\nstored in %s\n", dir)
			} else {
				fmt.Fprintln(g.Out, "\nnot built yet: `stagecraft images build` (or the first exercise build does it)")
			}
			return nil
		},
	}
	list.Flags().BoolVar(&asJSON, "json", false, "print the catalog as JSON")
	build := &cobra.Command{
		Use:   "build",
		Short: "Build the catalog from this machine's busybox, Go, Node.js, Python, CA certificates and tzdata (once)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cat, err := openCatalog()
			if err != nil {
				return envErr(err)
			}
			rep, err := cat.Build(cmd.Context(), g.Err)
			if err != nil {
				return envErr(fmt.Errorf("building the catalog: %w", err))
			}
			if rep.UpToDate {
				fmt.Fprintf(g.Out, "catalog up to date (%s)\n", rep.Store)
			} else {
				fmt.Fprintf(g.Out, "catalog built in %.1fs (%s)\n", rep.Duration.Seconds(), rep.Store)
			}
			for _, s := range rep.Skipped {
				fmt.Fprintf(g.Out, "  skipped %s: %s\n", s.Image, s.Reason)
			}
			return nil
		},
	}
	prune := &cobra.Command{
		Use:   "prune",
		Short: "Delete the catalog and the exported images (they are rebuilt when needed)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cat, err := openCatalog()
			if err != nil {
				return envErr(err)
			}
			if err := cat.Prune(); err != nil {
				return envErr(err)
			}
			fmt.Fprintln(g.Out, "catalog removed")
			return nil
		},
	}
	cmd.AddCommand(list, build, prune)
	return cmd
}
