package main

import (
	"context"
	"path/filepath"

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
(this machine's Go toolchain with a warm build cache), a distroless-like static image, glibc
runtime bases (distroless base/cc-like and a debian:*-slim stand-in, with this machine's C
library), node
(this machine's Node.js and an offline npm with the course's packages cached), a
distroless-like nodejs runtime, python (this machine's Python 3 with venv and pip, no package
index), and scratch. A FROM naming one of them, any tag, is served from the catalog; see --images.
Images with programs are served for this machine's platform only; static and scratch for any.`,
	}
	cmd.AddCommand(newImagesListCmd(g), newImagesBuildCmd(g), newImagesPruneCmd(g))
	return cmd
}
