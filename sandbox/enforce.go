package sandbox

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrTimeLimit is the cause of a context cancelled because the sandbox's time limit passed, as
// opposed to a caller that gave up (the learner left the screen).
var ErrTimeLimit = errors.New("the sandbox's time limit passed")

// TimedOut reports whether ctx ended because the sandbox's time limit passed.
func TimedOut(ctx context.Context) bool {
	return ctx.Err() != nil && errors.Is(context.Cause(ctx), ErrTimeLimit)
}

// WithTimeLimit bounds ctx by the policy's time limit, so that everything run under it (lint,
// builds, export, probes) shares one deadline and the sandbox can tell its own timeout from a
// caller's cancellation.
func (p Policy) WithTimeLimit(ctx context.Context) (context.Context, context.CancelFunc) {
	if p.Timeout <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeoutCause(ctx, p.Timeout, ErrTimeLimit)
}

func (p Policy) timeoutFailure() *Failure {
	return &Failure{Kind: "timeout",
		Message: fmt.Sprintf("the check was stopped after %s, the sandbox's time limit (--timeout)", p.Timeout),
		Hint:    "a step never finished: look for a command that waits forever (a server started in RUN, a sleep, a prompt)"}
}

// limitName is how a message names each limit, with the flag that sets it.
var limitName = map[string]string{"memory": "memory (--memory)", "pids": "process (--pids)", "disk": "disk (--disk)"}

// LimitName names a limit (RunResult.Limit, Failure.Limit) the way messages do, with its flag.
func LimitName(limit string) string { return limitName[limit] }

// enforcement is what one build runs under on a local daemon: its tenant's cgroup and the
// watch over its steps' disk and processes.
type enforcement struct {
	pol   Policy
	cl    *cgroupLimits
	watch *stepWatch
	// reason and written are what the watch saw, once it has ended.
	reason  string
	written int64
	// Drained is how long the tenant's steps took to have no process left after a timeout.
	drained time.Duration
}

// enforce sets up the limits of one build and says what they are, for the result.
func (s *Sandbox) enforce(tenant string, attrs map[string]string) (*enforcement, string) {
	e := &enforcement{pol: s.Policy}
	if !s.Endpoint.Local() {
		return e, "daemon defaults (remote daemon: the sandbox cannot set memory/CPU/process/disk limits)"
	}
	if s.Policy.DiskBytes > 0 {
		// A second line of defence for the disk limit, enforced by the kernel on every write
		// even where the watch cannot see the step's files: no single file may grow past it.
		attrs["ulimit"] = fmt.Sprintf("fsize=%d", s.Policy.DiskBytes)
	}
	cl, desc, err := setupCgroup(s.Policy, tenant)
	if err != nil {
		return e, "daemon defaults (could not create a cgroup: " + err.Error() + ")"
	}
	if cl == nil {
		return e, desc
	}
	attrs["cgroup-parent"] = cl.parent
	e.cl = cl
	if s.Policy.DiskBytes > 0 {
		desc += ", " + HumanBytes(s.Policy.DiskBytes) + " of disk per step"
	}
	e.watch = watchSteps(cl, s.Policy.DiskBytes)
	return e, desc
}

// end stops the watch. After a timeout it makes sure nothing of the build is left running: the
// daemon kills a step when its solve is cancelled; if a process outlives that by five seconds,
// it is killed here.
func (e *enforcement) end(timedOut bool) {
	e.reason, e.written = e.watch.end()
	if e.cl == nil || !timedOut {
		return
	}
	start := time.Now()
	if !e.cl.drained(5 * time.Second) {
		e.cl.killAll()
		e.cl.drained(2 * time.Second)
	}
	e.drained = time.Since(start)
}

func (e *enforcement) release() {
	if e.cl != nil {
		e.cl.release()
	}
}

// attribute says which limit stopped a failed build. A step killed by signal 9 is blamed on a
// limit only when this tenant's own cgroup shows it: its memory limit made the kernel kill, or
// the watch killed it for its processes or its disk.
func (e *enforcement) attribute(f *Failure) {
	if f == nil || f.Kind == "timeout" {
		return
	}
	where := "a RUN step"
	if f.Line > 0 {
		where = fmt.Sprintf("the RUN step on line %d", f.Line)
	}
	switch {
	case e.reason == "pids" || (e.cl.pidsHit() && f.Kind != "syntax"):
		f.Kind = "pids"
		f.Message = fmt.Sprintf("%s started more than %d processes at once, the sandbox's process limit (--pids), and was stopped", where, e.pol.Pids)
		f.Hint = "something forks without end (a fork bomb, a runaway loop starting processes in the background); a build needs a few dozen processes at most"
	case e.reason == "disk" || fileTooBig(f):
		f.Kind = "disk"
		f.Message = fmt.Sprintf("%s wrote more than %s, the sandbox's disk limit (--disk), and was stopped", where, HumanBytes(e.pol.DiskBytes))
		f.Hint = "a step should not write gigabytes: look for a command that writes without end (dd, yes > file) or downloads and unpacks far more than it needs"
	case e.cl.oomKilled() || (f.Kind == "memory" && e.cl.memLimitHit()):
		f.Kind = "memory"
		f.Message = fmt.Sprintf("%s ran out of memory: the sandbox allows %s (--memory) and the kernel killed it", where, HumanBytes(e.pol.MemoryBytes))
		f.Hint = "something in this step uses far more memory than a build should; check for runaway loops or huge in-memory data"
	case f.Kind == "memory" && e.cl != nil:
		// Exit code 137 without a limit of this build's own behind it.
		f.Kind = "killed"
		f.Message = fmt.Sprintf("%s was killed (signal 9) from outside: not by this build's memory, process or disk limit", where)
		f.Hint = "a command in the step may have killed it (kill -9); otherwise run the check again"
	}
}

// fileTooBig reports a step that the kernel stopped for writing a file larger than the fsize
// ulimit: killed by SIGXFSZ (exit code 153, "File size limit exceeded"), or, where the signal is
// ignored, a write that failed with EFBIG ("File too large").
func fileTooBig(f *Failure) bool {
	if strings.Contains(f.Message, "exit code 153") || strings.Contains(f.Message, "exit code: 153") {
		return true
	}
	for _, l := range f.LogTail {
		l = strings.ToLower(l)
		if strings.Contains(l, "file size limit exceeded") || strings.Contains(l, "file too large") {
			return true
		}
	}
	return false
}
