package sandbox

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/containerd/containerd/v2/core/content"
	"github.com/containerd/containerd/v2/plugins/content/local"
	gatewaypb "github.com/moby/buildkit/frontend/gateway/pb"
	"github.com/moby/buildkit/solver/errdefs"

	"github.com/stagecraft/stagecraft/sandbox/dockerfile"
)

// neededImages reads the Dockerfile as BuildKit will (after ARG expansion) for the external
// images it pulls, and returns the analysis for the policy's other checks. A Dockerfile with
// more than maxInstructions instructions is refused before the rest of it is read.
func neededImages(req Request, maxInstructions int) ([]ImageRef, *dockerfile.Analysis, error) {
	a, err := dockerfile.Analyze(req.Filename, req.Dockerfile, dockerfile.Options{BuildArgs: req.BuildArgs, Target: req.Target, MaxInstructions: maxInstructions})
	if err != nil {
		return nil, nil, err
	}
	var refs []ImageRef
	for _, im := range a.Images {
		if !im.Reachable || im.ContextName == "" {
			continue
		}
		refs = append(refs, ImageRef{Ref: im.ContextName, Line: im.Line})
	}
	return refs, a, nil
}

// ParseFailure is the failure of a Dockerfile that does not parse, with its line.
func ParseFailure(err error) *Failure {
	var te *dockerfile.TooManyInstructionsError
	if errors.As(err, &te) {
		return &Failure{Kind: "limit", Line: te.Line, Message: te.Message(),
			Hint: "a Dockerfile this long is not something to build in the sandbox: join RUN steps with && and copy directories rather than files one by one"}
	}
	f := &Failure{Kind: "syntax", Message: err.Error()}
	var pe *dockerfile.ParseError
	if errors.As(err, &pe) {
		f.Line = pe.Line
		f.Message = pe.Msg
	}
	return f
}

// lineOfErr is the Dockerfile line BuildKit attached to an error, or 0.
func lineOfErr(err error) int {
	for _, s := range errdefs.Sources(err) {
		for _, r := range s.Ranges {
			if r.Start != nil && r.Start.Line > 0 {
				return int(r.Start.Line)
			}
		}
	}
	var le interface{ Line() int }
	if errors.As(err, &le) {
		return le.Line()
	}
	return 0
}

var (
	netErrors = []string{"bad address", "network is unreachable", "temporary failure in name resolution",
		"could not resolve", "no such host", "name or service not known", "connection refused",
		"dial tcp", "unable to resolve", "network unreachable", "can't connect to remote host", "no route to host",
		"failed to connect to", "could not connect to", "connection timed out"}
	// netTool finds a command that reaches for the network in a RUN's shell line.
	netTool    = regexp.MustCompile(`(?:^|[\s;&|()/"'])(wget|curl|nc|netcat|ping|telnet)(?:\s|$)`)
	pullRe     = regexp.MustCompile(`(?:failed to resolve source metadata for|pull access denied for|failed to authorize|not found:) ?([^\s:,]+(?::[^\s,]+)?)`)
	processRe  = regexp.MustCompile(`process "(.*)" did not complete successfully: exit code: (\d+)`)
	plainWord  = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]*$`)
	libraryPfx = "docker.io/library/"
)

// solveFailure explains a failed solve in the learner's terms: which step, which line, why.
func solveFailure(err error, t *StepTracker) *Failure {
	f := &Failure{Kind: "run", Line: lineOfErr(err), Message: strings.TrimSpace(err.Error())}
	step, hasStep := t.Failed()
	if hasStep {
		f.Step = step.Name
		f.LogTail = tail(step.Log, 15)
	}
	msg := err.Error()
	lower := strings.ToLower(msg + "\n" + strings.Join(f.LogTail, "\n"))

	if m := pullRe.FindStringSubmatch(msg); m != nil && !strings.Contains(msg, "exit code") {
		name := strings.TrimPrefix(m[1], libraryPfx)
		short := strings.TrimSuffix(name, ":latest")
		f.Kind = "image"
		f.Message = fmt.Sprintf("BuildKit could not fetch the image %q: the sandbox is offline and it is not in stagecraft's image catalog", short)
		if plainWord.MatchString(short) {
			f.Hint = fmt.Sprintf("if %q is meant to be one of your stages, no stage has that name — BuildKit treats an unknown --from or FROM name as an image and tries to pull it from Docker Hub", short)
		} else {
			f.Hint = "use a base image from the catalog (stagecraft images list) or build with --images registry on a machine with registry access"
		}
		return f
	}
	var ee *gatewaypb.ExitError
	code := -1
	if errors.As(err, &ee) {
		code = int(ee.ExitCode)
	} else if m := processRe.FindStringSubmatch(msg); m != nil {
		fmt.Sscan(m[2], &code)
	}
	command := ""
	if m := processRe.FindStringSubmatch(msg); m != nil {
		command = m[1]
		f.Message = fmt.Sprintf("%q failed with exit code %s", m[1], m[2])
	}
	switch {
	case code == 137:
		f.Kind = "memory"
		f.Message = "a RUN step was killed (signal 9, exit code 137) — usually the sandbox's memory limit"
	case code == 139 && netTool.MatchString(command):
		// busybox's wget and nc crash (SIGSEGV, exit 139) rather than say so when the sandbox's
		// empty network namespace leaves them no route to an address.
		f.Kind = "network"
		tool := netTool.FindStringSubmatch(command)[1]
		f.Message += fmt.Sprintf(" — %s crashed (signal 11) trying to reach a host", tool)
		f.Hint = noNetworkHint
	case containsAny(lower, netErrors):
		f.Kind = "network"
		f.Hint = noNetworkHint
	case strings.Contains(lower, "offline stand-in"):
		f.Hint = "this base image is stagecraft's offline stand-in: it has no package manager, so apk/apt cannot install anything here"
	case strings.Contains(lower, "not found") && strings.Contains(msg, "COPY"), strings.Contains(lower, "failed to calculate checksum"):
		f.Kind = "copy"
		f.Hint = "a COPY source does not exist: in the build context (check .dockerignore) or, for COPY --from, in that stage's filesystem"
	}
	return f
}

const noNetworkHint = "the sandbox has no network: RUN steps cannot download or connect to anything at build time. Put what the build needs in the build context (vendor Go modules, copy files) instead"

func containsAny(s string, subs []string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

func newLocalStore(dir string) (content.Store, error) {
	st, err := local.NewStore(dir)
	if err != nil {
		return nil, fmt.Errorf("opening the image store %s: %w", dir, err)
	}
	return st, nil
}
