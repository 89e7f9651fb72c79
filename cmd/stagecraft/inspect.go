package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/sandbox/dockerfile"
)

type inspectOptions struct {
	*globalOptions
	File   string
	Format string
	Lint   string // auto | off
	Target string
}

func newInspectCmd(g *globalOptions) *cobra.Command {
	o := &inspectOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "inspect",
		Short: "Show a Dockerfile's stages, stage references, findings and BuildKit lint, without building",
		Long: `inspect reads a Dockerfile as BuildKit does and reports its stages, every COPY --from and
RUN --mount from= reference, the mistakes BuildKit rejects or silently misreads (a --from naming no
stage is pulled as an image!) and, when a BuildKit daemon is reachable, BuildKit's own lint rules.
Exit 0 when it parses, 1 when it does not, 2 when the file cannot be read.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runInspect(cmd.Context(), o) },
	}
	cmd.Flags().StringVarP(&o.File, "file", "f", "Dockerfile", "the Dockerfile to read (- for stdin)")
	cmd.Flags().StringVar(&o.Format, "format", "text", "output: text or json")
	cmd.Flags().StringVar(&o.Lint, "lint", "auto", "BuildKit lint on the daemon: auto (when one is reachable) or off")
	cmd.Flags().StringVar(&o.Target, "target", "", "the stage to treat as final")
	return cmd
}

// inspectReport is the JSON of `stagecraft inspect`.
type inspectReport struct {
	File     string                `json:"file"`
	Parsed   bool                  `json:"parsed"`
	Stages   []sandbox.StageInfo   `json:"stages"`
	Refs     []inspectRef          `json:"references"`
	Final    int                   `json:"final"`
	Findings []sandbox.FindingInfo `json:"findings"`
	Lint     string                `json:"lint"` // ran, unavailable: …, off
}

type inspectRef struct {
	Stage  int    `json:"stage"`
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	Line   int    `json:"line"`
	Target int    `json:"target"`
	Image  bool   `json:"image"`
}

func runInspect(ctx context.Context, o *inspectOptions) error {
	if o.Format != "text" && o.Format != "json" {
		return usageErr("--format %q: use text or json", o.Format)
	}
	src, name, err := readDockerfile(o.File, o.In)
	if err != nil {
		return err
	}
	rep := inspectReport{File: name, Stages: []sandbox.StageInfo{}, Refs: []inspectRef{}, Findings: []sandbox.FindingInfo{}, Final: -1}
	a, err := dockerfile.Analyze(name, src, dockerfile.Options{Target: o.Target})
	if err != nil {
		var pe *dockerfile.ParseError
		if !errors.As(err, &pe) {
			return usageErr("%v", err)
		}
		rep.Findings = append(rep.Findings, sandbox.FindingInfo{Rule: "ParseError", Severity: "error", Line: pe.Line, Col: pe.Col, Message: pe.Msg, Source: dockerfile.SourceBuildKit})
		rep.Lint = "not run: the Dockerfile does not parse"
		if err := printInspect(o, rep); err != nil {
			return err
		}
		return failed()
	}
	rep.Parsed = true
	rep.Final = a.Final
	rep.Stages = sandbox.StagesOf(a)
	for _, r := range a.Refs {
		rep.Refs = append(rep.Refs, inspectRef{Stage: r.Stage, Name: r.Name, Kind: string(r.Kind), Line: r.Line, Target: r.Target, Image: r.Image})
	}
	rep.Findings = sandbox.FindingsOf(a)
	rep.Lint = "off"
	if o.Lint != "off" {
		lint, status := lintOnDaemon(ctx, o.globalOptions, src, name, o.Target)
		rep.Lint = status
		rep.Findings = sandbox.MergeLint(rep.Findings, lint)
	}
	return printInspect(o, rep)
}

// lintOnDaemon runs BuildKit's linter when a daemon is reachable without starting one: an
// explicit address or BUILDKIT_HOST, or the managed daemon if it already runs.
func lintOnDaemon(ctx context.Context, g *globalOptions, src []byte, name, target string) ([]sandbox.LintFinding, string) {
	var ep sandbox.Endpoint
	if len(g.BuildKit) > 0 || env("BUILDKIT_HOST") != "" {
		eps, err := g.endpoints(sandbox.TLS{})
		if err != nil {
			return nil, "unavailable: " + err.Error()
		}
		ep = eps[0]
	} else {
		d, err := sandbox.DefaultDaemon()
		if err != nil || !d.Status(ctx).Running {
			return nil, "unavailable: no BuildKit daemon running (start one with `stagecraft doctor`, or pass --buildkit)"
		}
		ep = d
	}
	sb, err := g.sandboxOn(ctx, ep, sandboxFlags{})
	if err != nil {
		return nil, "unavailable: " + err.Error()
	}
	defer sb.Close()
	lctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	lint, failure, err := sb.Lint(lctx, sandbox.Request{Dockerfile: src, Filename: name, Target: target})
	if err != nil {
		return nil, "unavailable: " + firstLine(err.Error())
	}
	if failure != nil {
		return lint, "failed: " + failure.Message
	}
	return lint, "ran"
}

func printInspect(o *inspectOptions, rep inspectReport) error {
	if o.Format == "json" {
		enc := json.NewEncoder(o.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	w := o.Out
	if rep.Parsed {
		fmt.Fprintf(w, "%s: %s, final stage %d\n", rep.File, countOf(len(rep.Stages), "stage", "stages"), rep.Final)
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, s := range rep.Stages {
			name := s.Name
			if name == "" {
				name = "(unnamed)"
			}
			fmt.Fprintf(tw, "  #%d\t%s\tFROM %s\tline %d\n", s.Index, name, s.Base, s.Line)
		}
		tw.Flush()
		if len(rep.Refs) > 0 {
			fmt.Fprintln(w, "references:")
			for _, r := range rep.Refs {
				to := fmt.Sprintf("stage %d", r.Target)
				if r.Image {
					to = "image (pulled from a registry)"
				}
				fmt.Fprintf(w, "  line %d  %s %s → %s\n", r.Line, strings.ToUpper(r.Kind), r.Name, to)
			}
		}
	}
	if len(rep.Findings) == 0 {
		fmt.Fprintln(w, "no findings")
	} else {
		fmt.Fprintln(w, "findings:")
		for _, f := range rep.Findings {
			loc := fmt.Sprintf("%s:%d", rep.File, f.Line)
			if f.Col > 0 {
				loc += fmt.Sprintf(":%d", f.Col)
			}
			fmt.Fprintf(w, "  %s: %s %s (%s): %s\n", loc, f.Severity, f.Rule, f.Source, f.Message)
			if f.URL != "" {
				fmt.Fprintf(w, "      %s\n", f.URL)
			}
		}
	}
	fmt.Fprintf(w, "BuildKit lint: %s\n", rep.Lint)
	return nil
}

// readDockerfile reads a Dockerfile from a path or stdin ("-"). A missing or unreadable file is
// bad input to stagecraft (exit 2).
func readDockerfile(path string, stdin io.Reader) ([]byte, string, error) {
	if path == "-" {
		b, err := io.ReadAll(io.LimitReader(stdin, sandbox.MaxDockerfileBytes+1))
		if err != nil {
			return nil, "", usageErr("reading the Dockerfile from stdin: %v", err)
		}
		return b, "Dockerfile", nil
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, "", usageErr("%v", err)
	}
	if st.IsDir() {
		return nil, "", usageErr("%s is a directory; pass the Dockerfile with -f", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, "", usageErr("%v", err)
	}
	defer f.Close()
	// Read one byte past the limit so the analysis can say how big it is without reading 50 MB.
	b, err := io.ReadAll(io.LimitReader(f, sandbox.MaxDockerfileBytes+1))
	if err != nil {
		return nil, "", usageErr("reading %s: %v", path, err)
	}
	if st.Size() > sandbox.MaxDockerfileBytes {
		return nil, "", &exitError{code: exitFailed, err: fmt.Errorf("%s: the Dockerfile is %s; the limit is %s", path, sandbox.HumanBytes(st.Size()), sandbox.HumanBytes(sandbox.MaxDockerfileBytes))}
	}
	return b, path, nil
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
