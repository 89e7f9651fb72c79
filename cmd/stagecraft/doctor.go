package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/stagecraft/stagecraft/progress"
	"github.com/stagecraft/stagecraft/sandbox"
)

// doctorLine is one thing doctor checked.
type doctorLine struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
	Fix    string `json:"fix,omitempty"`
}

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

func runDoctor(ctx context.Context, g *globalOptions, f sandboxFlags, start bool) []doctorLine {
	var out []doctorLine
	eps, err := g.endpoints(f.TLS)
	managed := false
	if err != nil {
		out = append(out, doctorLine{Name: "buildkit", Detail: err.Error()})
	} else {
		ep := eps[0]
		_, managed = ep.(*sandbox.Daemon)
		out = append(out, doctorBuildKit(ctx, ep, managed, start))
	}
	if managed || len(g.BuildKit) == 0 && env("BUILDKIT_HOST") == "" {
		if p := sandbox.FindBuildkitd(); p != "" {
			out = append(out, doctorLine{Name: "buildkitd", OK: true, Detail: p})
		} else {
			out = append(out, doctorLine{Name: "buildkitd", Detail: "not found on PATH, beside stagecraft, or in ./bin",
				Fix: "make buildkitd   # builds bin/buildkitd from the BuildKit version in go.mod"})
		}
		if p, err := exec.LookPath("runc"); err == nil {
			out = append(out, doctorLine{Name: "runc", OK: true, Detail: p})
		} else {
			out = append(out, doctorLine{Name: "runc", Detail: "not found on PATH", Fix: "sudo apt-get install -y runc"})
		}
	}
	if managed {
		out = append(out, doctorLimits(sandbox.ManagedLimits()))
	}
	out = append(out, doctorCatalog(g))
	cache, err := cacheDir()
	if err == nil {
		out = append(out, doctorDisk(cache))
	}
	out = append(out, doctorStore(ctx, g))
	return out
}

func doctorBuildKit(ctx context.Context, ep sandbox.Endpoint, managed, start bool) doctorLine {
	l := doctorLine{Name: "buildkit"}
	if managed && !start {
		d := ep.(*sandbox.Daemon)
		st := d.Status(ctx)
		if !st.Running {
			l.Detail = "managed daemon not running (it starts on the first build)"
			l.OK = d.Prereqs() == nil
			if err := d.Prereqs(); err != nil {
				l.Fix = err.Error()
			}
			return l
		}
	}
	cctx, cancel := context.WithTimeout(ctx, 45*time.Second)
	defer cancel()
	c, err := ep.Client(cctx)
	if err != nil {
		l.Detail = "unreachable at " + ep.Address()
		l.Fix = err.Error()
		return l
	}
	defer c.Close()
	info, err := c.Info(cctx)
	if err != nil {
		l.Detail = "no answer from " + ep.Address()
		l.Fix = err.Error()
		return l
	}
	kind := "daemon"
	if managed {
		kind = "managed daemon"
	}
	l.OK = true
	l.Detail = fmt.Sprintf("%s %s at %s", kind, info.BuildkitVersion.Version, ep.Address())
	return l
}

func doctorDisk(dir string) doctorLine {
	l := doctorLine{Name: "disk"}
	probe := dir
	for {
		if _, err := os.Stat(probe); err == nil {
			break
		}
		parent := filepath.Dir(probe)
		if parent == probe {
			break
		}
		probe = parent
	}
	var st syscall.Statfs_t
	if err := syscall.Statfs(probe, &st); err != nil {
		l.Detail = "cannot read free space: " + err.Error()
		return l
	}
	free := int64(st.Bavail) * st.Bsize
	l.Detail = fmt.Sprintf("%s free for %s", sandbox.HumanBytes(free), dir)
	if free < 2<<30 {
		l.Fix = "builds and the image catalog need a few GiB: free some space, or `stagecraft images prune`"
		return l
	}
	l.OK = true
	return l
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

// doctorLimits says which sandbox limits builds on the managed daemon get here. Missing limits
// are not a failure (the rootless daemon still builds safely without network), but the learner
// or instructor should know which ones do not hold.
func doctorLimits(info sandbox.LimitsInfo) doctorLine {
	l := doctorLine{Name: "limits", OK: true}
	if !info.Rootless {
		l.Detail = "root daemon: " + strings.Join(info.Applied, "; ")
		return l
	}
	// One line, as the terminal app shows it beside the others; the CLI prints it whole.
	l.Detail = "rootless daemon: not applied: " + strings.Join(info.Missing, "; ") + " (" + info.Why + "). " +
		"Applied: " + strings.Join(info.Applied, "; ") + ". The daemon's own network: " + info.Network
	l.Fix = "run stagecraft as root (sudo -H stagecraft …) to get the per-tenant memory, CPU, process and disk limits"
	return l
}
