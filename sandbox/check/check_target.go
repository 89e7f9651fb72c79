package check

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/stagecraft/stagecraft/sandbox/check/spec"
)

// targetBuilds builds the submission again with --target, as a pipeline's test or build job
// would, and requires that image to hold Paths and, with Args, to run them successfully. The
// default build only proves the last stage; a pipeline also depends on the names of the others.
func (r *runState) targetBuilds(ctx context.Context, c spec.Check) (bool, string, int, error) {
	req := r.req
	req.Target, req.Export = c.Target, true
	res, err := r.build(ctx, "building --target "+c.Target, req)
	if err != nil {
		return false, "", 0, err
	}
	if res.Failure != nil {
		return false, fmt.Sprintf("`--target %s` does not build: %s", c.Target, res.Failure.Message), res.Failure.Line, nil
	}
	done := fmt.Sprintf("`--target %s` built", c.Target)
	if len(c.Paths) == 0 && len(c.Args) == 0 {
		return true, done, 0, nil
	}
	im, err := r.sb.OpenImage(res.Manifest)
	if err != nil {
		return false, "", 0, err
	}
	if len(c.Paths) > 0 {
		fsys, err := im.Files()
		if err != nil {
			return false, "", 0, err
		}
		var missing []string
		for _, p := range c.Paths {
			if _, err := fsys.Lstat(p); err != nil {
				missing = append(missing, p)
			}
		}
		if len(missing) > 0 {
			return false, fmt.Sprintf("the `--target %s` image has no %s", c.Target, strings.Join(missing, ", ")), 0, nil
		}
		done += ", holding " + strings.Join(c.Paths, ", ")
	}
	if len(c.Args) == 0 {
		return true, done, 0, nil
	}
	timeout := 20 * time.Second
	if c.Timeout != "" {
		timeout, _ = time.ParseDuration(c.Timeout)
	}
	cmdline := strings.Join(c.Args, " ")
	run, err := r.sb.Run(ctx, res.Manifest, im.Config, c.Args, timeout)
	if err != nil {
		return false, "", 0, err
	}
	switch {
	case run.TimedOut:
		return false, fmt.Sprintf("in the `--target %s` image, `%s` did not exit within %s", c.Target, cmdline, timeout), 0, nil
	case run.StartError != "":
		return false, fmt.Sprintf("in the `--target %s` image, `%s` could not start: %s", c.Target, cmdline, lastLine(run.StartError)), 0, nil
	case run.ExitCode != c.ExitCode:
		return false, fmt.Sprintf("in the `--target %s` image, `%s` exited with %d (wanted %d)%s", c.Target, cmdline, run.ExitCode, c.ExitCode, prefixed(": ", lastLine(run.Stderr+run.Stdout))), 0, nil
	case c.StdoutContains != "" && !strings.Contains(run.Stdout, c.StdoutContains):
		return false, fmt.Sprintf("in the `--target %s` image, `%s` printed %q, which does not contain %q", c.Target, cmdline, strings.TrimSpace(lastLine(run.Stdout)), c.StdoutContains), 0, nil
	}
	return true, fmt.Sprintf("%s; `%s` printed %q", done, cmdline, strings.TrimSpace(lastLine(run.Stdout))), 0, nil
}
