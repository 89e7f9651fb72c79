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

	"github.com/moby/buildkit/client"
	"github.com/moby/buildkit/util/progress/progressui"
	"github.com/spf13/cobra"

	"github.com/stagecraft/stagecraft/sandbox"
)

type buildOptions struct {
	*globalOptions
	sandboxFlags
	File      string
	Context   string
	Target    string
	Platform  string
	Format    string
	BuildArgs []string
	Secrets   []string
	NoCache   bool
}

func newBuildCmd(g *globalOptions) *cobra.Command {
	o := &buildOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "build",
		Short: "Build a Dockerfile in the sandbox and report the image's size, layers and config",
		Long: `build runs a Dockerfile on BuildKit under the sandbox policy (no network in RUN, memory and
CPU limits, a time limit) with base images from the offline catalog, then reports the final
image: its size unpacked and compressed, each layer with the instruction that made it, and its
config. Exit 0 when it builds, 1 when it does not, 2 for bad input, 3 when BuildKit is unreachable.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runBuild(cmd.Context(), o) },
	}
	f := cmd.Flags()
	f.StringVarP(&o.File, "file", "f", "Dockerfile", "the Dockerfile (- for stdin)")
	f.StringVar(&o.Context, "context", ".", "the build context folder")
	f.StringVar(&o.Target, "target", "", "build this stage instead of the last")
	f.StringVar(&o.Platform, "platform", "", "target platform, such as linux/arm64 (default: the daemon's); $BUILDPLATFORM stays the daemon's, and a RUN for another platform is refused (no emulator)")
	f.StringVar(&o.Format, "format", "text", "output: text or json")
	f.StringArrayVar(&o.BuildArgs, "build-arg", nil, "KEY=VALUE build argument (repeatable)")
	f.StringArrayVar(&o.Secrets, "secret", nil, "build secret: id=ID,src=FILE or id=ID,env=VAR (repeatable)")
	f.BoolVar(&o.NoCache, "no-cache", false, "do not use the build cache")
	o.sandboxFlags.register(f)
	o.sandboxFlags.registerLimits(f)
	return cmd
}

// buildReport is the JSON of `stagecraft build`.
type buildReport struct {
	Stages []sandbox.StageInfo `json:"stages"`
	Build  *sandbox.BuildInfo  `json:"build"`
	Image  *sandbox.ImageInfo  `json:"image,omitempty"`
	Error  string              `json:"error,omitempty"`
}

func runBuild(ctx context.Context, o *buildOptions) error {
	if o.Format != "text" && o.Format != "json" {
		return usageErr("--format %q: use text or json", o.Format)
	}
	src, name, err := readDockerfile(o.File, o.In)
	if err != nil {
		return err
	}
	if o.Platform != "" {
		if o.Platform, err = sandbox.ParsePlatform(o.Platform); err != nil {
			return usageErr("--platform: %v", err)
		}
	}
	args, err := parseKV(o.BuildArgs, "--build-arg")
	if err != nil {
		return err
	}
	secrets, err := parseSecrets(o.Secrets)
	if err != nil {
		return err
	}
	sb, err := o.openSandbox(ctx, o.sandboxFlags)
	if err != nil {
		return asExit(err)
	}
	defer sb.Close()

	req := sandbox.Request{Dockerfile: src, Filename: name, ContextDir: o.Context, Target: o.Target, Platform: o.Platform,
		BuildArgs: args, Secrets: secrets, NoCache: o.NoCache, Export: true}
	var done chan struct{}
	if o.Format == "text" {
		// Progress goes to stderr like `docker build --progress=plain`; the report to stdout.
		ch := make(chan *client.SolveStatus)
		req.Status = ch
		done = make(chan struct{})
		d, err := progressui.NewDisplay(o.Err, progressui.PlainMode)
		if err != nil {
			return err
		}
		go func() {
			defer close(done)
			_, _ = d.UpdateFrom(context.WithoutCancel(ctx), ch)
		}()
	}
	res, err := sb.Build(ctx, req)
	if done != nil {
		<-done
	}
	if err != nil {
		return asExit(err)
	}
	rep := buildReport{Build: sandbox.BuildInfoOf(res)}
	if a, err := sandbox.Analyze(req); err == nil {
		rep.Stages = sandbox.StagesOf(a)
	}
	if res.Failure == nil {
		im, err := sb.OpenImage(res.Manifest)
		if err != nil {
			return envErr(fmt.Errorf("reading the built image: %w", err))
		}
		rep.Image, err = sandbox.ImageInfoOf(im, 10)
		if err != nil {
			return envErr(fmt.Errorf("reading the built image: %w", err))
		}
	}
	if o.Format == "json" {
		enc := json.NewEncoder(o.Out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		printBuild(o.Out, name, rep)
	}
	if res.Failure != nil {
		return failed()
	}
	return nil
}

func printBuild(w io.Writer, name string, rep buildReport) {
	b := rep.Build
	if f := b.Failure; f != nil {
		loc := name
		if f.Line > 0 {
			loc = fmt.Sprintf("%s:%d", name, f.Line)
		}
		fmt.Fprintf(w, "\n✗ build failed (%s): %s\n", f.Kind, loc)
		if f.Step != "" {
			fmt.Fprintf(w, "  step:  %s\n", f.Step)
		}
		fmt.Fprintf(w, "  why:   %s\n", f.Message)
		if f.Hint != "" {
			fmt.Fprintf(w, "  hint:  %s\n", f.Hint)
		}
		if len(f.LogTail) > 0 {
			fmt.Fprintln(w, "  last lines of its output:")
			for _, l := range f.LogTail {
				fmt.Fprintf(w, "    │ %s\n", l)
			}
		}
		return
	}
	im := rep.Image
	fmt.Fprintf(w, "\n✓ built in %.1fs (%d of %d steps cached)\n", float64(b.DurationMS)/1000, b.CachedSteps, b.Steps)
	fmt.Fprintf(w, "  image:       %s\n", im.Digest)
	if im.Platform != "" {
		fmt.Fprintf(w, "  platform:    %s\n", im.Platform)
	}
	fmt.Fprintf(w, "  size:        %s unpacked, %s compressed\n", sandbox.HumanBytes(im.SizeBytes), sandbox.HumanBytes(im.CompressedBytes))
	user := im.User
	if user == "" {
		user = "root (no USER)"
	}
	fmt.Fprintf(w, "  user:        %s\n", user)
	if len(im.Entrypoint) > 0 {
		fmt.Fprintf(w, "  entrypoint:  %s\n", strings.Join(im.Entrypoint, " "))
	}
	if len(im.Cmd) > 0 {
		fmt.Fprintf(w, "  cmd:         %s\n", strings.Join(im.Cmd, " "))
	}
	if len(im.ExposedPorts) > 0 {
		fmt.Fprintf(w, "  ports:       %s\n", strings.Join(im.ExposedPorts, " "))
	}
	if len(im.Healthcheck) > 0 {
		fmt.Fprintf(w, "  healthcheck: %s\n", strings.Join(im.Healthcheck, " "))
	}
	fmt.Fprintf(w, "  limits:      %s\n\nlayers:\n", b.Limits)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	for _, l := range im.Layers {
		wasted := ""
		if l.WastedBytes > 0 {
			wasted = sandbox.HumanBytes(l.WastedBytes) + " wasted"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t  %s\n", sandbox.HumanBytes(l.SizeBytes), sandbox.HumanBytes(l.CompressedBytes), wasted, trimTo(l.CreatedBy, 60))
	}
	tw.Flush()
	if len(im.Largest) > 0 {
		fmt.Fprintln(w, "\nlargest files:")
		for _, f := range im.Largest {
			fmt.Fprintf(w, "  %10s  %s\n", sandbox.HumanBytes(f.Size), f.Path)
		}
	}
	writeWaste(w, im)
}

// writeWaste says what the layers carry that the final filesystem hides, and which layer hid it.
func writeWaste(w io.Writer, im *sandbox.ImageInfo) {
	ws := im.Waste
	if ws == nil {
		return
	}
	fmt.Fprintf(w, "\nwasted space: %s of %s file content is hidden by later layers (efficiency %.1f%%)\n",
		sandbox.HumanBytes(ws.WastedBytes), sandbox.HumanBytes(ws.TotalBytes), 100*ws.Efficiency)
	layer := func(i int) string {
		if i >= 0 && i < len(im.Layers) {
			return fmt.Sprintf("layer %d (%s)", i+1, trimTo(im.Layers[i].CreatedBy, 40))
		}
		return fmt.Sprintf("layer %d", i+1)
	}
	for _, f := range ws.Files {
		fmt.Fprintf(w, "  %10s  %s — in %s, %s by %s\n", sandbox.HumanBytes(f.Size), f.Path, layer(f.Layer), f.How, layer(f.HiddenBy))
	}
}

func trimTo(s string, n int) string {
	s = strings.TrimPrefix(s, "/bin/sh -c ")
	if len(s) > n {
		return s[:n-1] + "…"
	}
	return s
}

func parseKV(list []string, flag string) (map[string]string, error) {
	out := map[string]string{}
	for _, kv := range list {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, usageErr("%s %q: write KEY=VALUE", flag, kv)
		}
		out[k] = v
	}
	return out, nil
}

// parseSecrets reads --secret id=ID,src=FILE|env=VAR as buildx does.
func parseSecrets(list []string) (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, s := range list {
		var id, src, envName string
		for _, part := range strings.Split(s, ",") {
			k, v, _ := strings.Cut(part, "=")
			switch k {
			case "id":
				id = v
			case "src", "source":
				src = v
			case "env":
				envName = v
			default:
				return nil, usageErr("--secret %q: unknown field %q (use id=, src= or env=)", s, k)
			}
		}
		if id == "" {
			return nil, usageErr("--secret %q: id= is required", s)
		}
		switch {
		case src != "":
			b, err := os.ReadFile(src)
			if err != nil {
				return nil, usageErr("--secret %s: %v", id, err)
			}
			out[id] = b
		case envName != "":
			out[id] = []byte(os.Getenv(envName))
		default:
			out[id] = []byte(os.Getenv(id))
		}
	}
	return out, nil
}

// asExit maps sandbox errors to exit codes: refused input is 2, environment faults 3.
func asExit(err error) error {
	var le *sandbox.LimitError
	var ee *exitError
	switch {
	case errors.As(err, &ee):
		return err
	case errors.As(err, &le):
		return &exitError{code: exitUsage, err: err}
	case sandbox.IsEnvError(err):
		return envErr(err)
	case errors.Is(err, context.Canceled):
		return &exitError{code: exitEnviron, err: errors.New("interrupted")}
	}
	return &exitError{code: exitUsage, err: err}
}
