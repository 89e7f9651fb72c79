package check

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/sandbox/check/spec"
)

// dynamic decides a check that reads the built image (or builds again).
func (r *runState) dynamic(ctx context.Context, c spec.Check) (bool, string, int, error) {
	im := r.img
	switch c.Kind {
	case spec.KindBuilds:
		if r.res.Failure != nil {
			f := r.res.Failure
			return false, "the build failed: " + f.Message, f.Line, nil
		}
		return true, fmt.Sprintf("built in %.1fs", r.res.Duration.Seconds()), 0, nil
	case spec.KindLint:
		if r.lintFailure != nil {
			return false, "BuildKit's linter could not read the Dockerfile: " + r.lintFailure.Message, r.lintFailure.Line, nil
		}
		for _, l := range r.lint {
			if c.All || contains(c.Rules, l.Rule) {
				return false, fmt.Sprintf("line %d: %s (%s)", l.Line, l.Message, l.Rule), l.Line, nil
			}
		}
		return true, "BuildKit's linter is happy", 0, nil
	case spec.KindImageSize:
		size, comp := im.UnpackedSize(), im.CompressedSize()
		if max, _ := c.Max.Bytes(); c.Max.Raw != "" && size > max {
			return false, fmt.Sprintf("the image is %s unpacked; the budget is %s", SizeLike(size, c.Max), c.Max.Raw), 0, nil
		}
		if max, _ := c.MaxCompressed.Bytes(); c.MaxCompressed.Raw != "" && comp > max {
			return false, fmt.Sprintf("the image is %s compressed; the budget is %s", SizeLike(comp, c.MaxCompressed), c.MaxCompressed.Raw), 0, nil
		}
		budget := c.Max
		if budget.Raw == "" {
			budget = c.MaxCompressed
		}
		return true, fmt.Sprintf("%s unpacked, %s compressed", SizeLike(size, budget), SizeLike(comp, budget)), 0, nil
	case spec.KindSizeReduction:
		if r.starter == nil {
			return false, "", 0, fmt.Errorf("the exercise's starter did not build, so there is nothing to compare with")
		}
		base, size := r.starter.SizeBytes, im.UnpackedSize()
		pct := 100 * float64(base-size) / float64(base)
		detail := fmt.Sprintf("%s → %s: %s (%.0f%% smaller wanted)", sandbox.HumanBytes(base), sandbox.HumanBytes(size), reduction(pct), c.MinPercent)
		return pct >= c.MinPercent, detail, 0, nil
	case spec.KindPathAbsent, spec.KindPathPresent:
		fsys, err := im.Files()
		if err != nil {
			return false, "", 0, err
		}
		var found, missing []string
		for _, p := range c.Paths {
			if _, err := fsys.Lstat(p); err == nil {
				found = append(found, p)
			} else {
				missing = append(missing, p)
			}
		}
		if c.Kind == spec.KindPathAbsent {
			if len(found) > 0 {
				return false, "the final image still contains " + strings.Join(found, ", "), 0, nil
			}
			return true, "none of " + strings.Join(c.Paths, ", ") + " in the final image", 0, nil
		}
		if len(missing) > 0 {
			return false, "the final image has no " + strings.Join(missing, ", "), 0, nil
		}
		return true, "found " + strings.Join(c.Paths, ", "), 0, nil
	case spec.KindUser:
		return r.nonRoot()
	case spec.KindConfig:
		return r.config(c)
	case spec.KindLayerCount:
		max, _ := c.Max.Count()
		n := len(im.Layers)
		return n <= max, fmt.Sprintf("%s (at most %d)", plural(n, "layer"), max), 0, nil
	case spec.KindRuns:
		return r.runs(ctx, c)
	case spec.KindSecretAbsent:
		ms, err := im.GrepContext(ctx, []byte(c.Secret.Value))
		if err != nil {
			return false, "", 0, err
		}
		if len(ms) > 0 {
			where := make([]string, 0, len(ms))
			for i, m := range ms {
				if i == 3 {
					where = append(where, fmt.Sprintf("and %d more", len(ms)-3))
					break
				}
				where = append(where, m.String())
			}
			return false, "the secret's value is in the image: " + strings.Join(where, "; "), 0, nil
		}
		return true, "the secret's value is in no layer, config or history", 0, nil
	case spec.KindCacheReuse:
		return r.cacheReuse(ctx, c)
	case spec.KindMutation:
		return r.mutation(ctx, c)
	case spec.KindContentLeak:
		return r.contentLeak(ctx, c)
	case spec.KindService:
		return r.service(ctx, c)
	case spec.KindWastedSpace:
		return r.wastedSpace(c)
	case spec.KindTargetBuilds:
		return r.targetBuilds(ctx, c)
	}
	return false, "", 0, fmt.Errorf("unknown check kind %q", c.Kind)
}

func (r *runState) nonRoot() (bool, string, int, error) {
	user := r.img.Config.User
	line := 0
	if ins, _, ok := r.a.Inherited(r.a.Final, "user"); ok {
		line = ins.Line
	}
	name, _, _ := strings.Cut(user, ":")
	if name == "" || name == "root" || name == "0" {
		why := "the image runs as root"
		if user == "" {
			why += " (no USER in the final stage or its base image)"
		}
		return false, why, line, nil
	}
	// A named user must exist in the image, or the container will not start.
	if !isDigits(name) {
		fsys, err := r.img.Files()
		if err != nil {
			return false, "", 0, err
		}
		passwd, err := fsys.ReadFile("/etc/passwd", 1<<20)
		if err != nil || !hasUser(string(passwd), name) {
			return false, fmt.Sprintf("USER %s, but the image's /etc/passwd has no user %q, so the container would not start; use a numeric UID or create the user", user, name), line, nil
		}
	}
	return true, "runs as " + user, line, nil
}

func (r *runState) config(c spec.Check) (bool, string, int, error) {
	cfg := r.img.Config
	fin := r.a.Final
	if c.Healthcheck {
		if cfg.Healthcheck == nil || len(cfg.Healthcheck.Test) == 0 || cfg.Healthcheck.Test[0] == "NONE" {
			return false, "the image has no HEALTHCHECK", 0, nil
		}
	}
	for _, p := range c.ExposedPorts {
		want := p
		if !strings.Contains(want, "/") {
			want += "/tcp"
		}
		if !contains(cfg.ExposedPorts, want) {
			return false, fmt.Sprintf("the image does not EXPOSE %s (it exposes: %s)", p, orNone(cfg.ExposedPorts)), 0, nil
		}
	}
	if len(c.Entrypoint) > 0 && strings.Join(cfg.Entrypoint, "\x00") != strings.Join(c.Entrypoint, "\x00") {
		return false, fmt.Sprintf("the entrypoint is %q, not %q", cfg.Entrypoint, c.Entrypoint), 0, nil
	}
	if c.ExecForm {
		for _, cmd := range []string{"entrypoint", "cmd"} {
			ins, _, ok := r.a.Inherited(fin, cmd)
			if !ok {
				continue
			}
			shell := false
			switch p := ins.Parsed.(type) {
			case *instructions.CmdCommand:
				shell = p.PrependShell
			case *instructions.EntrypointCommand:
				shell = p.PrependShell
			}
			if shell {
				return false, fmt.Sprintf("line %d uses the shell form: the shell becomes PID 1 and your process never sees SIGTERM; write %s [\"…\"]", ins.Line, strings.ToUpper(cmd)), ins.Line, nil
			}
		}
	}
	var parts []string
	if cfg.Healthcheck != nil {
		parts = append(parts, "healthcheck "+strings.Join(cfg.Healthcheck.Test, " "))
	}
	if len(cfg.ExposedPorts) > 0 {
		parts = append(parts, "exposes "+strings.Join(cfg.ExposedPorts, " "))
	}
	if len(cfg.Entrypoint) > 0 {
		parts = append(parts, fmt.Sprintf("entrypoint %q", cfg.Entrypoint))
	}
	return true, strings.Join(parts, "; "), 0, nil
}

// runs runs a command in the final image. Without args it runs the image's own command; args
// that start with a flag ("-version") are appended to the learner's binary, found from
// ENTRYPOINT/CMD, so an exercise can say "run it with -version" whatever path the learner
// chose; any other args are the whole command.
func (r *runState) runs(ctx context.Context, c spec.Check) (bool, string, int, error) {
	cfg := r.img.Config
	args := c.Args
	if len(args) == 0 {
		args = append(append([]string{}, cfg.Entrypoint...), cfg.Cmd...)
	} else if strings.HasPrefix(args[0], "-") {
		bin := cfg.Entrypoint
		if len(bin) == 0 && len(cfg.Cmd) > 0 {
			bin = cfg.Cmd[:1]
		}
		if len(bin) > 0 && isShell(bin[0]) {
			return false, "the image starts through a shell (shell-form ENTRYPOINT/CMD), so the checker cannot find your binary to run it with " + strings.Join(args, " ") + "; write ENTRYPOINT [\"/path/to/binary\"] in exec form", 0, nil
		}
		if len(bin) == 0 {
			return false, "the image has no ENTRYPOINT or CMD, so there is nothing to run", 0, nil
		}
		args = append(append([]string{}, bin...), args...)
	}
	if len(args) == 0 {
		return false, "the image has no ENTRYPOINT or CMD, so there is nothing to run", 0, nil
	}
	timeout := 20 * time.Second
	if c.Timeout != "" {
		timeout, _ = time.ParseDuration(c.Timeout)
	}
	manifest, cmdline := r.res.Manifest, strings.Join(args, " ")
	if len(c.BuildArgs) > 0 {
		m, why, ok, err := r.rebuildWith(ctx, c.BuildArgs)
		if err != nil || !ok {
			return false, why, 0, err
		}
		manifest = m
	}
	res, err := r.sb.RunAs(ctx, r.req.Tenant, manifest, cfg, args, timeout)
	if err != nil {
		return false, "", 0, err
	}
	if len(c.BuildArgs) > 0 {
		cmdline = "built with " + buildArgText(c.BuildArgs) + ", " + cmdline
	}
	switch {
	case res.Limit != "":
		return false, fmt.Sprintf("`%s` was stopped by the sandbox's %s limit", cmdline, sandbox.LimitName(res.Limit)), 0, nil
	case res.TimedOut:
		return false, fmt.Sprintf("`%s` did not exit within %s", cmdline, timeout), 0, nil
	case res.StartError != "":
		return false, r.explainStart(args[0], res.StartError), 0, nil
	case res.ExitCode != c.ExitCode:
		out := lastLine(res.Stderr + res.Stdout)
		return false, fmt.Sprintf("`%s` exited with %d (wanted %d)%s", cmdline, res.ExitCode, c.ExitCode, prefixed(": ", out)), 0, nil
	case c.StdoutContains != "" && !strings.Contains(res.Stdout, c.StdoutContains):
		return false, fmt.Sprintf("`%s` printed %q, which does not contain %q", cmdline, strings.TrimSpace(lastLine(res.Stdout)), c.StdoutContains), 0, nil
	}
	return true, fmt.Sprintf("`%s` printed %q", cmdline, strings.TrimSpace(lastLine(res.Stdout))), 0, nil
}

// explainStart turns runc's "exec: … no such file or directory" into what it usually means.
func (r *runState) explainStart(bin, msg string) string {
	fsys, err := r.img.Files()
	if err == nil && strings.HasPrefix(bin, "/") {
		f, err := fsys.Stat(bin)
		switch {
		case err != nil:
			return fmt.Sprintf("%s is not in the final image: the COPY put the binary somewhere other than where ENTRYPOINT/CMD runs it", bin)
		case f.IsDir():
			return fmt.Sprintf("%s is a directory in the final image, not the binary: copy the file itself", bin)
		case f.Mode.Perm()&0o111 == 0:
			return fmt.Sprintf("%s is not executable (mode %v): build it with go build, or COPY --chmod=755", bin, f.Mode.Perm())
		case strings.Contains(msg, "no such file or directory") || strings.Contains(msg, "exec format error"):
			return fmt.Sprintf("%s exists but could not start: it is dynamically linked (cgo, or -buildmode=pie) and the final image has no C library or loader for it; build a static binary (CGO_ENABLED=0, default build mode) or use a base with libc", bin)
		}
	}
	return "the command could not start: " + lastLine(msg)
}

// cacheReuse edits a context file, rebuilds, and requires the named steps to come from cache.
func (r *runState) cacheReuse(ctx context.Context, c spec.Check) (bool, string, int, error) {
	res, err := r.rebuildAfter(ctx, c.Edit, "rebuilding after an edit to "+c.Edit.Path)
	if err != nil {
		return false, "", 0, err
	}
	if res.Failure != nil {
		return false, "the rebuild after the edit failed: " + res.Failure.Message, res.Failure.Line, nil
	}
	for _, pat := range c.Cached {
		re, err := regexp.Compile("(?i)" + pat)
		if err != nil {
			re = regexp.MustCompile("(?i)" + regexp.QuoteMeta(pat))
		}
		matched := false
		for _, st := range res.Steps {
			if st.Internal || !re.MatchString(st.Name) {
				continue
			}
			matched = true
			if !st.Cached {
				return false, fmt.Sprintf("after editing %s, %q ran again: it comes after a step that copies %s, so its cache was invalidated — copy only what it needs before it", c.Edit.Path, st.Name, c.Edit.Path), 0, nil
			}
		}
		if !matched {
			return false, fmt.Sprintf("no build step matches %q", pat), 0, nil
		}
	}
	return true, fmt.Sprintf("after editing %s, %d of %d steps came from cache", c.Edit.Path, res.CachedSteps, res.TotalSteps), 0, nil
}

func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		out := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return os.MkdirAll(out, info.Mode().Perm()|0o700)
		case d.Type()&fs.ModeSymlink != 0:
			l, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(l, out)
		case d.Type().IsRegular():
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(out, b, info.Mode().Perm())
		}
		return nil
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func orNone(list []string) string {
	if len(list) == 0 {
		return "nothing"
	}
	return strings.Join(list, " ")
}

func isShell(bin string) bool {
	switch bin {
	case "/bin/sh", "sh", "/bin/bash", "bash", "/bin/ash":
		return true
	}
	return false
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func hasUser(passwd, name string) bool {
	for _, line := range strings.Split(passwd, "\n") {
		if u, _, ok := strings.Cut(line, ":"); ok && u == name {
			return true
		}
	}
	return false
}

func lastLine(s string) string {
	s = strings.TrimRight(s, "\n ")
	if i := strings.LastIndex(s, "\n"); i >= 0 {
		return s[i+1:]
	}
	return s
}

func prefixed(p, s string) string {
	if s == "" {
		return ""
	}
	return p + s
}

// reduction says how a size changed in words: "-241.4% smaller" reads as a riddle.
func reduction(pct float64) string {
	r := fmt.Sprintf("%.1f", pct)
	switch {
	case r == "0.0" || r == "-0.0":
		return "the same size"
	case pct < 0:
		return fmt.Sprintf("%.1f%% larger", -pct)
	}
	return r + "% smaller"
}
