package dockerfile

import (
	"fmt"
	"strings"

	"github.com/containerd/platforms"

	"github.com/moby/buildkit/frontend/dockerfile/dfgitutil"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/util/gitutil"
	"github.com/tonistiigi/go-csvvalue"
)

// What a Dockerfile asks the daemon for besides its context and base images: files fetched from
// the network (ADD <url>, ADD <git repo>), persistent cache mounts, and platforms. The sandbox
// decides what to allow; this file only reports, after dockerfile2llb v0.34.2 (dispatchCopy's
// isHTTPSource/isGitSource, dispatchRunMounts, dispatchArg).

// Fetch is an ADD whose source the daemon downloads.
type Fetch struct {
	Stage   int    `json:"stage"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Source  string `json:"source"` // as written
	URL     string `json:"url"`    // after ARG/ENV expansion
	Git     bool   `json:"git"`    // a git repository (https://….git, git@host:repo, git://…), else HTTP(S)
	Host    string `json:"host"`   // the host it connects to, without port; "" if it cannot be told
	Onbuild bool   `json:"onbuild"`
	// Unknown is set when the source uses a variable the Dockerfile does not define (the base
	// image's ENV may): the source could be a URL, and nothing here can tell.
	Unknown bool `json:"unknown"`
}

// CacheMount is a RUN --mount=type=cache: a directory the daemon keeps between builds.
type CacheMount struct {
	Stage     int    `json:"stage"`
	Line      int    `json:"line"`
	Col       int    `json:"col"`
	ID        string `json:"id"`         // after expansion; BuildKit uses the target when empty
	IDWritten string `json:"id_written"` // as written
	Target    string `json:"target"`
}

// requests fills a.Fetches and a.CacheMounts, expanding every stage's words as dispatchArg
// and dispatchEnv would: build args, meta ARGs, then the stage's own ARG and ENV in order, ENV
// inherited from the stage it is built FROM. A base image's ENV is unknown here.
func (an *analyzer) requests(stages []instructions.Stage) {
	envs := make([]*argEnv, len(stages))
	for i, st := range stages {
		env := &argEnv{vals: map[string]string{}}
		if b := an.a.Stages[i].BaseStage; b >= 0 && b < i && envs[b] != nil {
			env = envs[b].onlyEnv()
		}
		envs[i] = env
		if p := an.a.Stages[i].Platform; p != "" {
			if res, err := an.shlex.ProcessWordWithMatches(p, an.global); err == nil {
				an.a.Stages[i].ForPlatform = res.Result
			}
		} else if b := an.a.Stages[i].BaseStage; b >= 0 && b < i {
			an.a.Stages[i].ForPlatform = an.a.Stages[b].ForPlatform
		} else {
			an.a.Stages[i].ForPlatform = an.targetPlatform()
		}
		for _, cmd := range st.Commands {
			an.request(i, cmd, env, 0)
		}
	}
}

// request records what one instruction asks for. onbuildLine is the line of the ONBUILD that
// holds it, for a trigger.
func (an *analyzer) request(stage int, cmd instructions.Command, env *argEnv, onbuildLine int) {
	onbuild := onbuildLine > 0
	line, end := rangeLines(cmd.Location())
	if onbuild {
		line, end = onbuildLine, onbuildLine
	}
	switch c := cmd.(type) {
	case *instructions.ArgCommand:
		for _, kv := range c.Args {
			if v, ok := an.opts.BuildArgs[kv.Key]; ok {
				env.setArg(kv.Key, v)
			} else if kv.Value != nil {
				res, _ := an.shlex.ProcessWordWithMatches(*kv.Value, env)
				env.setArg(kv.Key, res.Result)
			} else if v, ok := an.global.Get(kv.Key); ok {
				env.setArg(kv.Key, v)
			}
		}
	case *instructions.EnvCommand:
		for _, kv := range c.Env {
			res, _ := an.shlex.ProcessWordWithMatches(kv.Value, env)
			env.set(kv.Key, res.Result)
		}
	case *instructions.AddCommand:
		for _, src := range c.SourcePaths {
			f := an.fetch(src, env)
			if f == nil {
				continue
			}
			f.Stage, f.Onbuild = stage, onbuild
			f.Line, f.Col = line, firstNonBlank(an.lines, line)
			if !onbuild {
				if l, col := locate(an.lines, line, end, src, f.Col+3, false); l > 0 {
					f.Line, f.Col = l, col
				}
			}
			an.a.Fetches = append(an.a.Fetches, *f)
		}
	case *instructions.RunCommand:
		an.cacheMounts(stage, c, env, line, end)
	case *instructions.OnbuildCommand:
		// The trigger runs in every stage built FROM this one: read it as that stage would.
		res, err := parser.Parse(strings.NewReader(c.Expression + "\n"))
		if err != nil || len(res.AST.Children) == 0 {
			return
		}
		inner, err := instructions.ParseCommand(res.AST.Children[0])
		if err != nil {
			return
		}
		an.request(stage, inner, env, line)
	}
}

// fetch reads one ADD source; nil when it is a path in the build context.
func (an *analyzer) fetch(src string, env *argEnv) *Fetch {
	res, err := an.shlex.ProcessWordWithMatches(src, env)
	if err != nil {
		return nil
	}
	u := res.Result
	f := &Fetch{Source: src, URL: u}
	if ref, isGit, _ := dfgitutil.ParseGitRef(u); isGit && ref != nil && !ref.IndistinguishableFromLocal {
		f.Git = true
		if gu, err := gitutil.ParseURL(ref.Remote); err == nil {
			f.Host = hostOnly(gu.Host)
		}
		return f
	} else if isGit {
		// A git ref BuildKit cannot parse fails the build; it fetches nothing.
		return nil
	}
	if strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
		rest := u[strings.Index(u, "://")+3:]
		if i := strings.IndexAny(rest, "/?#"); i >= 0 {
			rest = rest[:i]
		}
		if i := strings.LastIndexByte(rest, '@'); i >= 0 {
			rest = rest[i+1:]
		}
		f.Host = hostOnly(rest)
		return f
	}
	if len(res.Unmatched) > 0 {
		// A variable the Dockerfile does not set: harmless if the source is a path (the
		// text before the variable holds a / and no scheme), else it might be a URL.
		i := strings.IndexByte(src, '$')
		if i >= 0 && (!strings.Contains(src[:i], "/") || strings.Contains(src[:i], ":")) {
			f.Unknown = true
			return f
		}
	}
	return nil
}

// hostOnly strips a port and IPv6 brackets from host[:port].
func hostOnly(h string) string {
	if strings.HasPrefix(h, "[") {
		if i := strings.IndexByte(h, ']'); i > 0 {
			return h[1:i]
		}
	}
	if i := strings.LastIndexByte(h, ':'); i >= 0 && !strings.Contains(h[:i], ":") {
		return h[:i]
	}
	return h
}

func (an *analyzer) cacheMounts(stage int, c *instructions.RunCommand, env *argEnv, line, end int) {
	// instructions.Parse leaves every mount field but from= for dispatch to expand: parse the
	// flags again, expanded in the stage's scope, as dispatchRun does.
	cp := *c
	expand := func(w string) (string, error) {
		res, err := an.shlex.ProcessWordWithMatches(w, env)
		return res.Result, err
	}
	if err := cp.Expand(expand); err != nil {
		return
	}
	var written []string // the --mount flags as written, in order
	if n := an.nodes[line]; n != nil {
		for _, fl := range n.Flags {
			if v, ok := strings.CutPrefix(fl, "--mount="); ok {
				written = append(written, v)
			}
		}
	}
	for i, m := range instructions.GetMounts(&cp) {
		if m.Type != instructions.MountTypeCache {
			continue
		}
		cm := CacheMount{Stage: stage, Line: line, Col: firstNonBlank(an.lines, line), ID: m.CacheID, Target: m.Target}
		if i < len(written) {
			cm.IDWritten = mountField(written[i], "id")
		}
		if l, col := locateValue(an.lines, line, end, "id=", cm.IDWritten); l > 0 && cm.IDWritten != "" {
			cm.Line, cm.Col = l, col
		}
		an.a.CacheMounts = append(an.a.CacheMounts, cm)
	}
}

// mountField is one key's value in a --mount flag as written (a CSV of key=value).
func mountField(flag, key string) string {
	fields, err := csvvalue.Fields(flag, nil)
	if err != nil {
		return ""
	}
	for _, f := range fields {
		if k, v, ok := strings.Cut(f, "="); ok && strings.EqualFold(k, key) {
			return v
		}
	}
	return ""
}

// onlyEnv is the part of a stage's scope that a stage built FROM it inherits: its ENV, not
// its ARGs.
func (e *argEnv) onlyEnv() *argEnv {
	out := &argEnv{vals: map[string]string{}}
	for _, k := range e.keys {
		if !e.isArg[k] {
			out.set(k, e.vals[k])
		}
	}
	return out
}

// RuleForeignPlatform: a stage that is built is for another platform than the daemon's
// (assumed linux on this machine's architecture, as for $BUILDPLATFORM).
const RuleForeignPlatform = "ForeignPlatform"

// targetPlatform is Options.Platform normalized ("linux/arm64"), or "" for the daemon's.
func (an *analyzer) targetPlatform() string {
	if an.opts.Platform == "" {
		return ""
	}
	p, err := platforms.Parse(an.opts.Platform)
	if err != nil {
		return an.opts.Platform // the sandbox refuses it with its own message
	}
	return platforms.Format(platforms.Normalize(p))
}

// foreignPlatforms reports the built stages that are for another platform than the daemon's:
// an error when they RUN (that needs an emulator); a warning when a stage without RUN names
// another platform in its own FROM --platform (a hard-coded platform, where the build's target,
// --platform, is meant). A stage that is for the target platform without RUN is how a
// cross-compiled image ends, and says nothing.
func (an *analyzer) foreignPlatforms() {
	native := platforms.Only(platforms.DefaultSpec())
	target := an.targetPlatform()
	for _, st := range an.a.Stages {
		if st.ForPlatform == "" || !st.Reachable {
			continue
		}
		p, err := platforms.Parse(st.ForPlatform)
		if err != nil || native.Match(p) {
			continue
		}
		host := platforms.Format(platforms.DefaultSpec())
		f := Finding{Rule: RuleForeignPlatform, Line: st.Line, Col: firstNonBlank(an.lines, st.Line)}
		if runs := st.Commands("run"); len(runs) > 0 {
			f.Severity = SeverityError
			f.Message = fmt.Sprintf("this stage is for %s and its RUN at line %d would need emulation, which the sandbox (%s) does not have; "+
				"cross-compile instead: FROM --platform=$BUILDPLATFORM, and target $TARGETOS/$TARGETARCH in the RUN", st.ForPlatform, runs[0].Line, host)
		} else if st.ForPlatform != target {
			f.Severity = SeverityWarning
			f.Message = fmt.Sprintf("this stage is for %s, but the sandbox builds on %s: only images without programs (scratch, the distroless static stand-in) "+
				"are served for another platform than the sandbox's; to build an image for another platform, set the build's target platform (--platform) instead", st.ForPlatform, host)
		} else {
			continue
		}
		an.add(f)
	}
}
