package check

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"

	digest "github.com/opencontainers/go-digest"

	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/sandbox/check/spec"
	"github.com/stagecraft/stagecraft/sandbox/dockerfile"
)

// baseFromArg decides base_from_arg: a stage's base image must come from a global ARG, which
// is proved by resolving the Dockerfile again with --build-arg ARG=Other and seeing the base
// change. Declaring the ARG while the FROM still names a fixed image does not pass.
func baseFromArg(c spec.Check, a *dockerfile.Analysis, req sandbox.Request) (bool, string, int) {
	var meta *dockerfile.MetaArg
	for i := range a.MetaArgs {
		if a.MetaArgs[i].Name == c.Arg {
			meta = &a.MetaArgs[i]
		}
	}
	if meta == nil {
		for _, st := range a.Stages {
			for _, ins := range st.Commands("arg") {
				if regexp.MustCompile(`(?i)^ARG\s+(.*\s)?` + regexp.QuoteMeta(c.Arg) + `\b`).MatchString(ins.Original) {
					return false, fmt.Sprintf("line %d declares ARG %s inside a stage; a FROM line can only use an ARG declared before the first FROM", ins.Line, c.Arg), ins.Line
				}
			}
		}
		return false, fmt.Sprintf("there is no ARG %s before the first FROM (the only ARGs a FROM line can use)", c.Arg), 0
	}
	var stages []int
	if c.Stage != "" {
		st, ok := a.Stage(c.Stage)
		if !ok {
			return false, fmt.Sprintf("there is no stage named %q", c.Stage), 0
		}
		stages = append(stages, st.Index)
	} else {
		for _, st := range a.Stages {
			if st.Reachable {
				stages = append(stages, st.Index)
			}
		}
	}
	args := map[string]string{}
	for k, v := range req.BuildArgs {
		args[k] = v
	}
	args[c.Arg] = c.Other
	other := req
	other.BuildArgs = args
	b, err := sandbox.Analyze(other)
	if err != nil || len(b.Stages) != len(a.Stages) {
		return false, fmt.Sprintf("with --build-arg %s=%s the Dockerfile no longer reads: %v", c.Arg, c.Other, err), meta.Line
	}
	for _, i := range stages {
		// A stage built FROM another stage gets its image from the root of that chain.
		root, seen := i, map[int]bool{}
		for a.Stages[root].BaseStage >= 0 && !seen[root] {
			seen[root] = true
			root = a.Stages[root].BaseStage
		}
		sa, sb := a.Stages[root], b.Stages[root]
		if sa.BaseExpanded != sb.BaseExpanded {
			return true, fmt.Sprintf("line %d: FROM %s is %s by default and %s with --build-arg %s=%s",
				sa.Line, sa.Base, sa.BaseExpanded, sb.BaseExpanded, c.Arg, c.Other), sa.Line
		}
	}
	st := a.Stages[stages[len(stages)-1]]
	for _, i := range stages {
		if a.Stages[i].BaseStage < 0 {
			st = a.Stages[i]
			break
		}
	}
	return false, fmt.Sprintf("ARG %s is declared (line %d), but line %d still says FROM %s: --build-arg %s=%s would change nothing; write the version as ${%s} in the FROM",
		c.Arg, meta.Line, st.Line, st.Base, c.Arg, c.Other, c.Arg), st.Line
}

// rebuildWith builds the submission again with extra build arguments, for a runs check that
// proves an ARG reaches the binary. It returns the new image, or why it did not build.
func (r *runState) rebuildWith(ctx context.Context, extra map[string]string) (digest.Digest, string, bool, error) {
	req := r.req
	req.BuildArgs = map[string]string{}
	for k, v := range r.req.BuildArgs {
		req.BuildArgs[k] = v
	}
	for k, v := range extra {
		req.BuildArgs[k] = v
	}
	res, err := r.build(ctx, "rebuilding with "+buildArgText(extra), req)
	if err != nil {
		return "", "", false, err
	}
	if res.Failure != nil {
		return "", fmt.Sprintf("with %s the build fails: %s", buildArgText(extra), res.Failure.Message), false, nil
	}
	return res.Manifest, "", true, nil
}

func buildArgText(args map[string]string) string {
	keys := make([]string, 0, len(args))
	for k := range args {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, "--build-arg "+k+"="+args[k])
	}
	return strings.Join(parts, " ")
}
