package check

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/moby/buildkit/client/llb"
	digest "github.com/opencontainers/go-digest"

	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/sandbox/check/spec"
	"github.com/stagecraft/stagecraft/sandbox/image"
)

// probeSource is the service probe (sandbox/check/probe), compiled on the sandbox's Go image the first
// time a service check runs: the learner's image may have no shell or HTTP client of its own.
//
//go:embed probe/main.go
var probeSource []byte

const (
	probeMarker = "STAGECRAFT-PROBE-RESULT " // as in probe/main.go
	probeDir    = "/.stagecraft-probe"       // where the probe is mounted, outside anything an image uses
)

const probeDockerfile = `FROM golang:1.22-alpine AS probe
WORKDIR /src
COPY main.go ./
RUN CGO_ENABLED=0 go build -trimpath -o /out/stagecraft-probe main.go

FROM scratch
COPY --from=probe /out/stagecraft-probe /stagecraft-probe
`

// probeImages remembers the probe image per sandbox; BuildKit's cache makes a rebuild cheap,
// but not free.
var probeImages sync.Map // *Sandbox → digest.Digest

func probeImage(ctx context.Context, s *sandbox.Sandbox) (digest.Digest, error) {
	if d, ok := probeImages.Load(s); ok {
		return d.(digest.Digest), nil
	}
	tmp, err := os.MkdirTemp("", "stagecraft-probe-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	if err := os.WriteFile(filepath.Join(tmp, "main.go"), probeSource, 0o644); err != nil {
		return "", err
	}
	res, err := s.Build(ctx, sandbox.Request{Dockerfile: []byte(probeDockerfile), Filename: "probe.Dockerfile", ContextDir: tmp, Export: true})
	if err != nil {
		return "", err
	}
	if res.Failure != nil {
		return "", &sandbox.EnvError{What: "building the service probe", Err: res.Failure}
	}
	probeImages.Store(s, res.Manifest)
	return res.Manifest, nil
}

// probeResult mirrors the probe's Result.
type probeResult struct {
	StartError  string        `json:"start_error"`
	Exited      bool          `json:"exited"`
	ExitCode    int           `json:"exit_code"`
	Listening   bool          `json:"listening"`
	ListenAfter time.Duration `json:"listen_after"`
	Requests    []struct {
		Path   string `json:"path"`
		Status int    `json:"status"`
		Body   string `json:"body"`
		Error  string `json:"error"`
	} `json:"requests"`
	HealthRan    bool          `json:"health_ran"`
	HealthExit   int           `json:"health_exit"`
	HealthOutput string        `json:"health_output"`
	HealthError  string        `json:"health_error"`
	Stopped      bool          `json:"stopped"`
	StopAfter    time.Duration `json:"stop_after"`
	Output       string        `json:"output"`
}

// service starts the final image as its config says and judges it as a running service.
func (r *runState) service(ctx context.Context, c spec.Check) (bool, string, int, error) {
	cfg := r.img.Config
	fsys, err := r.img.Files()
	if err != nil {
		return false, "", 0, err
	}
	startLine := 0
	for _, cmd := range []string{"cmd", "entrypoint"} {
		if ins, _, ok := r.a.Inherited(r.a.Final, cmd); ok && ins.Line > startLine {
			startLine = ins.Line
		}
	}
	args := append(append([]string{}, cfg.Entrypoint...), cfg.Cmd...)
	if len(args) == 0 {
		return false, "the image has no ENTRYPOINT or CMD, so there is nothing to start", 0, nil
	}
	if _, ok := lookPath(fsys, cfg, args[0]); !ok {
		return false, fmt.Sprintf("the image starts %s, which is not in the image%s", args[0], shellNote(args)), startLine, nil
	}

	var parts []string
	failed := ""
	failLine := 0
	fail := func(line int, format string, a ...any) {
		if failed == "" {
			failed, failLine = fmt.Sprintf(format, a...), line
		}
	}
	var health []string
	healthLine := 0
	if ins, _, ok := r.a.Inherited(r.a.Final, "healthcheck"); ok {
		healthLine = ins.Line
	}
	healthTO := 10 * time.Second
	if c.Health {
		hc := cfg.Healthcheck
		switch {
		case hc == nil || len(hc.Test) == 0 || hc.Test[0] == "NONE":
			fail(0, "the image has no HEALTHCHECK")
		case hc.Test[0] == "CMD" && len(hc.Test) > 1:
			health = hc.Test[1:]
		case hc.Test[0] == "CMD-SHELL" && len(hc.Test) > 1:
			health = []string{"/bin/sh", "-c", hc.Test[1]}
		default:
			fail(healthLine, "the HEALTHCHECK %q has no command", hc.Test)
		}
		// The check asks whether the command can ever report healthy, not whether it is fast:
		// a loaded grading machine must not turn a tight --timeout into a failure.
		if hc != nil && hc.Timeout > healthTO {
			healthTO = hc.Timeout
		}
		if len(health) > 0 {
			if _, ok := lookPath(fsys, cfg, health[0]); !ok {
				fail(healthLine, "the HEALTHCHECK runs %s, which is not in the image%s, so it can never report healthy", health[0], shellNote(health))
				health = nil
			}
		}
	}

	wait := 15 * time.Second
	if c.Timeout != "" {
		wait, _ = time.ParseDuration(c.Timeout)
	}
	stop := 5 * time.Second
	if c.StopWithin != "" {
		stop, _ = time.ParseDuration(c.StopWithin)
	}
	spec := map[string]any{"cmd": args, "port": c.Port, "wait": wait, "health": health, "health_timeout": healthTO, "stop": stop}
	var paths []string
	for _, q := range c.Requests {
		paths = append(paths, q.Path)
	}
	spec["requests"] = paths
	js, _ := json.Marshal(spec)

	probe, err := probeImage(ctx, r.sb)
	if err != nil {
		return false, "", 0, err
	}
	mount := llb.AddMount(probeDir, llb.OCILayout("docker.io/stagecraft/probe@"+probe.String(), llb.OCIStore("", sandbox.ExportStoreID)), llb.SourcePath("/"), llb.Readonly)
	run, err := r.sb.RunAs(ctx, r.req.Tenant, r.res.Manifest, cfg, []string{probeDir + "/stagecraft-probe", string(js)}, wait+stop+healthTO+2*time.Minute, mount)
	if err != nil {
		return false, "", 0, err
	}
	var pr probeResult
	_, line, ok := strings.Cut(run.Stdout, probeMarker)
	if !ok {
		return false, "", 0, fmt.Errorf("the service probe reported nothing (exit %d): %s", run.ExitCode, lastLine(run.Stderr+run.Stdout+run.StartError))
	}
	line, _, _ = strings.Cut(line, "\n")
	if err := json.Unmarshal([]byte(line), &pr); err != nil {
		return false, "", 0, fmt.Errorf("reading the service probe's report: %w", err)
	}
	cmdline := strings.Join(args, " ")
	said := prefixed(": ", strings.TrimSpace(lastLine(pr.Output)))
	switch {
	case pr.StartError != "":
		return false, fmt.Sprintf("`%s` could not start: %s", cmdline, pr.StartError), startLine, nil
	case !pr.Listening && pr.Exited:
		return false, fmt.Sprintf("`%s` exited with %d before it listened on port %d%s", cmdline, pr.ExitCode, c.Port, said), startLine, nil
	case !pr.Listening:
		return false, fmt.Sprintf("nothing listened on port %d within %s after starting `%s`%s", c.Port, wait, cmdline, said), startLine, nil
	}
	parts = append(parts, fmt.Sprintf("listening on :%d after %.1fs", c.Port, pr.ListenAfter.Seconds()))
	for i, q := range c.Requests {
		if i >= len(pr.Requests) {
			break
		}
		got := pr.Requests[i]
		want := q.Status
		if want == 0 {
			want = 200
		}
		switch {
		case got.Error != "":
			fail(0, "GET %s failed: %s", q.Path, got.Error)
		case got.Status != want:
			fail(0, "GET %s answered %d, not %d", q.Path, got.Status, want)
		case q.BodyContains != "" && !strings.Contains(got.Body, q.BodyContains):
			fail(0, "GET %s answered %q, which does not contain %q", q.Path, clip(strings.TrimSpace(got.Body), 80), q.BodyContains)
		default:
			parts = append(parts, fmt.Sprintf("GET %s → %d", q.Path, got.Status))
		}
	}
	if pr.HealthRan {
		out := prefixed(": ", clip(strings.TrimSpace(lastLine(pr.HealthOutput)), 120))
		switch {
		case pr.HealthError != "":
			fail(healthLine, "the HEALTHCHECK `%s` %s%s", strings.Join(health, " "), pr.HealthError, out)
		case pr.HealthExit != 0:
			fail(healthLine, "the HEALTHCHECK `%s` exited with %d (unhealthy) while the service was up%s", strings.Join(health, " "), pr.HealthExit, out)
		default:
			parts = append(parts, "HEALTHCHECK healthy")
		}
	}
	if c.StopWithin != "" {
		switch {
		case pr.Exited:
			fail(startLine, "the service exited by itself (code %d) before it was asked to stop%s", pr.ExitCode, said)
		case !pr.Stopped:
			fail(startLine, "the service was still running %s after SIGTERM (is it behind a shell that does not pass the signal on?)", stop)
		default:
			parts = append(parts, fmt.Sprintf("stopped %.1fs after SIGTERM", pr.StopAfter.Seconds()))
		}
	}
	if failed != "" {
		if len(parts) > 0 {
			failed += " (" + strings.Join(parts, "; ") + ")"
		}
		return false, failed, failLine, nil
	}
	return true, strings.Join(parts, "; "), 0, nil
}

// lookPath finds a program in the image as the container would: a path as given (relative to
// the working directory), else each folder of the image's PATH.
func lookPath(fsys *image.FS, cfg image.Config, prog string) (string, bool) {
	exe := func(p string) bool {
		f, err := fsys.Stat(p)
		return err == nil && !f.IsDir() && f.Mode.Perm()&0o111 != 0
	}
	if strings.Contains(prog, "/") {
		p := prog
		if !path.IsAbs(p) {
			p = path.Join("/", cfg.WorkingDir, p)
		}
		return p, exe(p)
	}
	dirs := "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	for _, e := range cfg.Env {
		if v, ok := strings.CutPrefix(e, "PATH="); ok {
			dirs = v
		}
	}
	for _, d := range strings.Split(dirs, ":") {
		if d != "" && exe(path.Join(d, prog)) {
			return path.Join(d, prog), true
		}
	}
	return "", false
}

func shellNote(args []string) string {
	if len(args) > 0 && isShell(args[0]) {
		return " (a shell-form instruction needs /bin/sh; write it in exec form, [\"…\"])"
	}
	return ""
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
