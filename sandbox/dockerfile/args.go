package dockerfile

import (
	"runtime"
	"slices"

	"github.com/containerd/platforms"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// argEnv is the global scope a FROM is expanded in: ordered, as BuildKit's llb.EnvList.
type argEnv struct {
	keys  []string
	vals  map[string]string
	isArg map[string]bool // set by an ARG in a stage (not inherited by stages built FROM it)
}

func (e *argEnv) Get(k string) (string, bool) { v, ok := e.vals[k]; return v, ok }
func (e *argEnv) Keys() []string              { return e.keys }

func (e *argEnv) set(k, v string) {
	if _, ok := e.vals[k]; !ok {
		e.keys = append(e.keys, k)
	}
	e.vals[k] = v
	delete(e.isArg, k)
}

func (e *argEnv) setArg(k, v string) {
	e.set(k, v)
	if e.isArg == nil {
		e.isArg = map[string]bool{}
	}
	e.isArg[k] = true
}

var _ shell.EnvGetter = (*argEnv)(nil)

// globalArgs builds the scope of dockerfile2llb's defaultArgs + buildMetaArgs: the automatic
// platform ARGs (the daemon's platform is assumed to be linux on this machine's architecture,
// the target's is targetPlatform when set; Options.BuildArgs override them), then the meta ARGs in order, each taking its build-arg
// value if one is given, else its default expanded in the scope so far.
func globalArgs(shlex *shell.Lex, metaArgs []instructions.ArgCommand, buildArgs map[string]string, target, targetPlatform string) (*argEnv, []MetaArg, map[string]bool, error) {
	env := &argEnv{vals: map[string]string{}}
	platform := "linux/" + runtime.GOARCH
	if target == "" {
		target = "default"
	}
	tp := platforms.Platform{OS: "linux", Architecture: runtime.GOARCH}
	if targetPlatform != "" {
		if p, err := platforms.Parse(targetPlatform); err == nil {
			tp = platforms.Normalize(p)
		}
	}
	for _, kv := range [...][2]string{
		{"BUILDPLATFORM", platform}, {"BUILDOS", "linux"}, {"BUILDOSVERSION", ""},
		{"BUILDARCH", runtime.GOARCH}, {"BUILDVARIANT", ""},
		{"TARGETPLATFORM", platforms.Format(tp)}, {"TARGETOS", tp.OS}, {"TARGETOSVERSION", ""},
		{"TARGETARCH", tp.Architecture}, {"TARGETVARIANT", tp.Variant},
		{"TARGETSTAGE", target},
	} {
		v := kv[1]
		if ov, ok := buildArgs[kv[0]]; ok {
			v = ov
		}
		env.set(kv[0], v)
	}

	declared := map[string]bool{}
	var out []MetaArg
	for _, cmd := range metaArgs {
		line, _ := rangeLines(cmd.Location())
		for _, kp := range cmd.Args {
			declared[kp.Key] = true
			ma := MetaArg{Name: kp.Key, Default: kp.Value, Line: line}
			if v, ok := buildArgs[kp.Key]; ok {
				ma.Value = &v
			} else if kp.Value != nil {
				res, err := shlex.ProcessWordWithMatches(*kp.Value, env)
				if err != nil {
					return nil, nil, nil, withLocation(err, cmd.Location())
				}
				ma.Value = &res.Result
			}
			if ma.Value != nil {
				env.set(kp.Key, *ma.Value)
			}
			out = append(out, ma)
		}
	}
	return env, out, declared, nil
}

// unmatchedArgs lists, sorted, the variables a FROM used that are neither declared meta ARGs
// nor automatic ARGs: BuildKit's UndefinedArgInFrom.
func unmatchedArgs(res shell.ProcessWordResult, env *argEnv, declared map[string]bool) []string {
	var out []string
	for k := range res.Unmatched {
		if _, auto := env.vals[k]; !auto && !declared[k] {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}
