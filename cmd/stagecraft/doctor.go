package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/stagecraft/stagecraft/progress"
	"github.com/stagecraft/stagecraft/sandbox"
)

// doctorLine is one thing doctor checked; the sandbox's probes and the progress store's.
type doctorLine = sandbox.Probe

func newDoctorCmd(g *globalOptions) *cobra.Command {
	var asJSON, noStart bool
	var f sandboxFlags
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check BuildKit, runc, the image catalog, disk space and the progress store",
		Long: `doctor checks everything stagecraft needs and prints one line per item, ok or fail, with the
fix for each failure. It starts the managed BuildKit daemon if none is configured and it is not
running (use --no-start to only look). Lessons and quizzes work without BuildKit; exercises
need it. Exit 0 when all is well, 3 when something needs fixing.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			lines := runDoctor(cmd.Context(), g, f, !noStart)
			bad := false
			for _, l := range lines {
				bad = bad || !l.OK
			}
			if asJSON {
				enc := json.NewEncoder(g.Out)
				enc.SetIndent("", "  ")
				if err := enc.Encode(lines); err != nil {
					return err
				}
			} else {
				for _, l := range lines {
					mark := "ok  "
					if !l.OK {
						mark = "FAIL"
					}
					fmt.Fprintf(g.Out, "%s  %-10s %s\n", mark, l.Name, l.Detail)
					if l.Fix != "" {
						for _, fl := range strings.Split(l.Fix, "\n") {
							fmt.Fprintf(g.Out, "            %s\n", fl)
						}
					}
				}
			}
			if bad {
				return &exitError{code: exitEnviron}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the results as JSON")
	cmd.Flags().BoolVar(&noStart, "no-start", false, "do not start the managed daemon")
	f.register(cmd.Flags())
	return cmd
}

// runDoctor probes what stagecraft needs: the sandbox says how BuildKit, its tools, the image
// catalog and the disk are doing; the progress store is probed here.
func runDoctor(ctx context.Context, g *globalOptions, f sandboxFlags, start bool) []doctorLine {
	opt := sandbox.DiagnoseOptions{Start: start, NoAddress: len(g.BuildKit) == 0 && env("BUILDKIT_HOST") == ""}
	var ep sandbox.Endpoint
	eps, err := g.endpoints(f.TLS)
	if err != nil {
		opt.ChooseErr = err
	} else {
		ep = eps[0]
	}
	if opt.Images, opt.CatalogErr = g.imagesMode(); opt.CatalogErr == nil && opt.Images != sandbox.ImagesRegistry {
		opt.Catalog, opt.CatalogErr = openCatalog()
	}
	if cache, err := cacheDir(); err == nil {
		opt.CacheDir = cache
	}
	return append(sandbox.Diagnose(ctx, ep, opt), doctorStore(ctx, g))
}

func doctorStore(ctx context.Context, g *globalOptions) doctorLine {
	l := doctorLine{Name: "progress"}
	path, err := progress.ResolvePath(g.DB)
	if err != nil {
		l.Detail = err.Error()
		return l
	}
	h, err := progress.Check(ctx, path)
	if err != nil {
		l.Detail = err.Error()
		l.Fix = "move the file aside or use another one with --db PATH (your progress stays in the old file)"
		return l
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		l.Detail = "cannot create " + filepath.Dir(path) + ": " + err.Error()
		l.Fix = "choose a writable place with --db PATH or STAGECRAFT_DB"
		return l
	}
	probe, err := os.CreateTemp(filepath.Dir(path), ".doctor-")
	if err != nil {
		l.Detail = filepath.Dir(path) + " is not writable: " + err.Error()
		l.Fix = "choose a writable place with --db PATH or STAGECRAFT_DB"
		return l
	}
	probe.Close()
	os.Remove(probe.Name())
	l.OK = true
	if h.Exists {
		l.Detail = fmt.Sprintf("%s (schema v%d, %s, %d learners)", path, h.Version, sandbox.HumanBytes(h.Size), h.Learners)
	} else {
		l.Detail = path + " (created on first use)"
	}
	return l
}
