package dockerfile

import (
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
)

// Options are the inputs of a build that change what a Dockerfile means.
type Options struct {
	BuildArgs map[string]string `json:"build_args"` // --build-arg values; they override meta ARG defaults
	Target    string            `json:"target"`     // --target; empty means the last stage
	// MaxInstructions, when positive, refuses a Dockerfile with more instructions before the
	// rest of it is read (a *TooManyInstructionsError).
	MaxInstructions int `json:"max_instructions,omitempty"`
	// Platform is the build's target platform (os/arch[/variant], normalized), what
	// $TARGETPLATFORM and its parts expand to and what a stage without --platform is built
	// for; empty means the daemon's.
	Platform string `json:"platform,omitempty"`
}

// Analysis is what a Dockerfile says, as BuildKit reads it.
type Analysis struct {
	Stages   []Stage    `json:"stages"`
	Refs     []Ref      `json:"refs"`      // COPY --from, RUN --mount from= and FROM <stage>, in file order
	Final    int        `json:"final"`     // index of the stage that is built (the last, or Options.Target); -1 if the target does not exist
	Images   []ImageRef `json:"images"`    // external images, in file order
	MetaArgs []MetaArg  `json:"meta_args"` // ARGs before the first FROM
	Findings []Finding  `json:"findings"`  // sorted by line, then column

	Syntax         string // frontend image of a `# syntax=` directive, if any
	SyntaxLine     int    `json:"syntax_line"`
	CheckDirective string // value of a `# check=` directive, if any

	// SyntaxBuiltin is set when Syntax names a release of the Dockerfile frontend that BuildKit
	// has built in (docker/dockerfile:1…): the sandbox ignores the directive.
	SyntaxBuiltin bool `json:"syntax_builtin"`
	// What the build asks the daemon for besides its context and images (requests.go).
	Fetches      []Fetch      `json:"fetches"`      // ADDs the daemon would download, in file order
	CacheMounts  []CacheMount `json:"cache_mounts"` // RUN --mount=type=cache, in file order
	Instructions int          `json:"instructions"` // every instruction of the file, FROM and ARG included
}

// Stage is one FROM and the instructions under it.
type Stage struct {
	Index         int           `json:"index"`
	Name          string        `json:"name"`            // the name BuildKit uses: lower-cased; "" for an unnamed stage
	NameAsWritten string        `json:"name_as_written"` // after AS, as written
	Base          string        `json:"base"`            // FROM argument as written ("golang:${GO_VERSION}-alpine")
	BaseExpanded  string        `json:"base_expanded"`   // after meta ARG expansion with defaults and Options.BuildArgs
	BaseStage     int           `json:"base_stage"`      // index of the stage it is built FROM, or -1 for an image (or scratch)
	Platform      string        `json:"platform"`        // --platform as written
	ForPlatform   string        `json:"for_platform"`    // Platform expanded ($BUILDPLATFORM is the daemon's), else that of the stage it is built FROM, else Options.Platform
	Line          int           `json:"line"`            // line of the FROM
	EndLine       int           `json:"end_line"`        // last line of the stage's last instruction
	Reachable     bool          `json:"reachable"`       // the final stage needs it (itself, a base, a COPY --from or mount source, transitively)
	Instructions  []Instruction `json:"instructions"`
}

// Instruction is one instruction of a stage, FROM excluded.
type Instruction struct {
	Command  string `json:"command"`  // lower-case: "copy", "run", "user", "entrypoint", …
	Original string `json:"original"` // as written, continuation lines joined (BuildKit's node.Original)
	Line     int    `json:"line"`
	EndLine  int    `json:"end_line"`
	// Parsed is BuildKit's typed instruction (*instructions.CopyCommand, *instructions.UserCommand,
	// …) for checks that need its fields: COPY sources, the exec form of CMD, …
	Parsed instructions.Command `json:"-"`
}

// RefKind says which instruction holds a reference to a stage.
type RefKind string

const (
	RefFrom  RefKind = "from"  // FROM <stage>
	RefCopy  RefKind = "copy"  // COPY --from=<stage>
	RefMount RefKind = "mount" // RUN --mount=from=<stage>
)

// Ref is a reference from one stage to another stage or to an image.
type Ref struct {
	Stage int     `json:"stage"` // index of the stage that holds the reference
	Name  string  `json:"name"`  // as written: "build", "0", "nginx:latest", "${BASE}"
	Line  int     `json:"line"`  // line of the name itself (continuation lines count)
	Col   int     `json:"col"`   // 1-based column of the name, in characters
	Kind  RefKind `json:"kind"`
	// Target is the stage BuildKit binds the name to, or -1. A binding BuildKit then refuses
	// (a stage defined later, the stage itself) keeps its target and has a Finding.
	Target int  `json:"target"`
	Image  bool `json:"image"` // BuildKit treats the name as an image to pull
}

// ImageRef is an external image the build pulls: a FROM base, a COPY --from or a mount from=
// that is not a stage.
type ImageRef struct {
	Ref        string `json:"ref"`        // as written
	Expanded   string `json:"expanded"`   // after meta ARG expansion (FROM only; COPY --from and from= never expand)
	Normalized string `json:"normalized"` // full reference with tag: "docker.io/library/golang:1.22-alpine"; "" if invalid
	// ContextName is the name BuildKit looks up among named contexts (context:NAME) before it
	// pulls: the familiar name without ":latest" ("golang:1.22-alpine", "alpine"). The sandbox
	// maps it to the offline catalog.
	ContextName string  `json:"context_name"`
	Stage       int     `json:"stage"`
	Kind        RefKind `json:"kind"`
	Line        int     `json:"line"`
	Col         int     `json:"col"`
	Reachable   bool    `json:"reachable"` // the final stage needs it; BuildKit does not resolve images of unreachable stages
}

// MetaArg is an ARG before the first FROM: the only ARGs a FROM can use.
type MetaArg struct {
	Name    string  `json:"name"`
	Default *string `json:"default,omitempty"` // nil for `ARG NAME`
	Value   *string `json:"value,omitempty"`   // after defaults and Options.BuildArgs; nil if unset
	Line    int     `json:"line"`
}

// FinalStage is the stage that is built, or nil when Options.Target names no stage.
func (a *Analysis) FinalStage() *Stage {
	if a.Final < 0 || a.Final >= len(a.Stages) {
		return nil
	}
	return &a.Stages[a.Final]
}

// Stage returns the stage BuildKit finds by name (case-insensitive, the last of duplicates),
// as for --target and COPY --from.
func (a *Analysis) Stage(name string) (*Stage, bool) {
	name = strings.ToLower(name)
	for i := len(a.Stages) - 1; i >= 0; i-- {
		if a.Stages[i].Name != "" && a.Stages[i].Name == name {
			return &a.Stages[i], true
		}
	}
	return nil, false
}

// RefsFrom returns the references held by stage i.
func (a *Analysis) RefsFrom(i int) []Ref {
	var out []Ref
	for _, r := range a.Refs {
		if r.Stage == i {
			out = append(out, r)
		}
	}
	return out
}

// CopiesFrom reports whether stage i has a COPY --from bound to stage from.
func (a *Analysis) CopiesFrom(i, from int) bool {
	for _, r := range a.Refs {
		if r.Stage == i && r.Kind == RefCopy && r.Target == from {
			return true
		}
	}
	return false
}

// Inherited returns the last instruction named command (lower-case) that applies to stage i:
// its own, or else that of the stage it is built FROM, and so on up the stages. It answers
// "what is the final USER?" as far as the Dockerfile can; ok is false when no stage of the
// chain sets it, and then the base image's config decides. The stage index found is returned.
//
// Image config semantics stay with the caller: an ENTRYPOINT in a stage resets a CMD inherited
// from its base.
func (a *Analysis) Inherited(i int, command string) (ins Instruction, stage int, ok bool) {
	seen := map[int]bool{}
	for i >= 0 && i < len(a.Stages) && !seen[i] {
		seen[i] = true
		if ins, ok := a.Stages[i].Last(command); ok {
			return ins, i, true
		}
		i = a.Stages[i].BaseStage
	}
	return Instruction{}, -1, false
}

// Commands returns the stage's instructions named command (lower-case), in order.
func (s *Stage) Commands(command string) []Instruction {
	var out []Instruction
	for _, ins := range s.Instructions {
		if ins.Command == command {
			out = append(out, ins)
		}
	}
	return out
}

// Last returns the stage's last instruction named command (lower-case).
func (s *Stage) Last(command string) (Instruction, bool) {
	for i := len(s.Instructions) - 1; i >= 0; i-- {
		if s.Instructions[i].Command == command {
			return s.Instructions[i], true
		}
	}
	return Instruction{}, false
}
