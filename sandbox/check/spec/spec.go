package spec

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Check is one check an exercise declares as data (exercise.yaml `checks:`). Which fields
// matter depends on Kind; Validate says what is missing or stray.
type Check struct {
	ID      string   `yaml:"id" json:"id"`
	Kind    string   `yaml:"kind" json:"kind"`
	Points  Points   `yaml:"points" json:"points"`
	Message string   `yaml:"message" json:"message"`
	Needs   []string `yaml:"needs,omitempty" json:"needs,omitempty"`

	Min *int     `yaml:"min,omitempty" json:"min,omitempty"` // stage_count
	Max Quantity `yaml:"max,omitempty" json:"max,omitempty"` // stage_count, layer_count (a count); image_size (a size)
	// MaxCompressed is image_size's limit on the compressed (pushed) size.
	MaxCompressed Quantity `yaml:"max_compressed,omitempty" json:"max_compressed,omitempty"`

	Name  string   `yaml:"name,omitempty" json:"name,omitempty"`     // stage_named
	Stage string   `yaml:"stage,omitempty" json:"stage,omitempty"`   // copy_from
	Into  string   `yaml:"into,omitempty" json:"into,omitempty"`     // copy_from: "final" (default)
	OneOf []string `yaml:"one_of,omitempty" json:"one_of,omitempty"` // final_base
	Rules []string `yaml:"rules,omitempty" json:"rules,omitempty"`   // lint
	All   bool     `yaml:"all,omitempty" json:"all,omitempty"`       // lint

	MinPercent float64 `yaml:"min_percent,omitempty" json:"min_percent,omitempty"` // size_reduction
	Against    string  `yaml:"against,omitempty" json:"against,omitempty"`         // size_reduction: "starter"

	Paths []string `yaml:"paths,omitempty" json:"paths,omitempty"` // path_absent, path_present

	NonRoot bool `yaml:"non_root,omitempty" json:"non_root,omitempty"` // user

	Healthcheck  bool     `yaml:"healthcheck,omitempty" json:"healthcheck,omitempty"`     // config
	ExposedPorts []string `yaml:"exposed_ports,omitempty" json:"exposed_ports,omitempty"` // config
	Entrypoint   []string `yaml:"entrypoint,omitempty" json:"entrypoint,omitempty"`       // config
	ExecForm     bool     `yaml:"exec_form,omitempty" json:"exec_form,omitempty"`         // config: CMD/ENTRYPOINT in exec form

	Args           []string `yaml:"args,omitempty" json:"args,omitempty"`                       // runs
	StdoutContains string   `yaml:"stdout_contains,omitempty" json:"stdout_contains,omitempty"` // runs
	ExitCode       int      `yaml:"exit_code,omitempty" json:"exit_code,omitempty"`             // runs
	Timeout        string   `yaml:"timeout,omitempty" json:"timeout,omitempty"`                 // runs
	// BuildArgs, for runs: rebuild with these --build-arg values and run that image instead.
	BuildArgs map[string]string `yaml:"build_args,omitempty" json:"build_args,omitempty"`

	Secret *Secret `yaml:"secret,omitempty" json:"secret,omitempty"` // secret_absent

	// instruction: an instruction of a stage ("final" by default, a stage name, or "any")
	// whose command is Command and whose text matches Pattern (a regular expression); with
	// Absent, no instruction may match.
	Command string `yaml:"command,omitempty" json:"command,omitempty"`
	Pattern string `yaml:"pattern,omitempty" json:"pattern,omitempty"`
	Absent  bool   `yaml:"absent,omitempty" json:"absent,omitempty"`

	Edit   *Edit    `yaml:"edit,omitempty" json:"edit,omitempty"`     // cache_reuse, mutation
	Cached []string `yaml:"cached,omitempty" json:"cached,omitempty"` // cache_reuse, mutation: step patterns

	// mutation: after Edit, the build must fail (BuildFails, its log holding LogContains), or
	// the steps matching Rebuilt must run again (and those matching Cached come from cache).
	BuildFails  bool     `yaml:"build_fails,omitempty" json:"build_fails,omitempty"`
	LogContains string   `yaml:"log_contains,omitempty" json:"log_contains,omitempty"`
	Rebuilt     []string `yaml:"rebuilt,omitempty" json:"rebuilt,omitempty"`

	// base_from_arg: stage Stage's FROM must use the global ARG Arg, so that Other as its value
	// changes the base.
	Arg   string `yaml:"arg,omitempty" json:"arg,omitempty"`
	Other string `yaml:"other,omitempty" json:"other,omitempty"`

	// content_leak: Value, or the bytes of the context file File, must be in no layer.
	Value string `yaml:"value,omitempty" json:"value,omitempty"`
	File  string `yaml:"file,omitempty" json:"file,omitempty"`

	// wasted_space: bytes hidden by later layers at most MaxBytes; visible/total at least MinEfficiency.
	MaxBytes      Quantity `yaml:"max_bytes,omitempty" json:"max_bytes,omitempty"`
	MinEfficiency *float64 `yaml:"min_efficiency,omitempty" json:"min_efficiency,omitempty"`

	Target string `yaml:"target,omitempty" json:"target,omitempty"` // target_builds: the --target stage

	// service: start the image as its config says, wait for Port, make Requests, run its
	// HEALTHCHECK (Health), then send SIGTERM and require an exit within StopWithin.
	Port       int         `yaml:"port,omitempty" json:"port,omitempty"`
	Requests   []HTTPProbe `yaml:"requests,omitempty" json:"requests,omitempty"`
	Health     bool        `yaml:"health,omitempty" json:"health,omitempty"`
	StopWithin string      `yaml:"stop_within,omitempty" json:"stop_within,omitempty"`

	// Line is where the check is declared, for error messages (set by the loader).
	Line int `yaml:"-" json:"-"`
}

// Secret is a build secret the submission is built with, and whose value must not leak.
type Secret struct {
	ID    string `yaml:"id" json:"id"`
	Value string `yaml:"value" json:"value"`
}

// Edit is an edit to a context file between two builds (cache_reuse, mutation): Append
// adds text to an existing file; Write replaces the file, or adds it.
type Edit struct {
	Path   string  `yaml:"path" json:"path"`
	Append string  `yaml:"append,omitempty" json:"append,omitempty"`
	Write  *string `yaml:"write,omitempty" json:"write,omitempty"`
}

// HTTPProbe is one request a service check makes: GET Path must answer Status (200 when 0)
// with a body holding BodyContains.
type HTTPProbe struct {
	Path         string `yaml:"path" json:"path"`
	Status       int    `yaml:"status,omitempty" json:"status,omitempty"`
	BodyContains string `yaml:"body_contains,omitempty" json:"body_contains,omitempty"`
}

// Check kinds. Static kinds read the parsed Dockerfile; the rest need a build.
const (
	KindStageCount     = "stage_count"
	KindStageNamed     = "stage_named"
	KindCopyFrom       = "copy_from"
	KindFinalBase      = "final_base"
	KindStageRefsValid = "stage_refs_valid"
	KindLint           = "lint"
	KindBuilds         = "builds"
	KindImageSize      = "image_size"
	KindSizeReduction  = "size_reduction"
	KindPathAbsent     = "path_absent"
	KindPathPresent    = "path_present"
	KindUser           = "user"
	KindConfig         = "config"
	KindLayerCount     = "layer_count"
	KindRuns           = "runs"
	KindSecretAbsent   = "secret_absent"
	KindCacheReuse     = "cache_reuse"
	KindInstruction    = "instruction"
	KindBaseFromArg    = "base_from_arg"
	KindService        = "service"
	KindMutation       = "mutation"
	KindContentLeak    = "content_leak"
	KindWastedSpace    = "wasted_space"
	KindTargetBuilds   = "target_builds"
)

// Static reports whether a kind is decided from the Dockerfile alone.
func Static(kind string) bool {
	switch kind {
	case KindStageCount, KindStageNamed, KindCopyFrom, KindFinalBase, KindStageRefsValid, KindInstruction, KindBaseFromArg:
		return true
	}
	return false
}

// Kinds lists every check kind, for validation messages.
var Kinds = []string{KindStageCount, KindStageNamed, KindCopyFrom, KindFinalBase, KindStageRefsValid, KindLint,
	KindBuilds, KindImageSize, KindSizeReduction, KindPathAbsent, KindPathPresent, KindUser, KindConfig,
	KindLayerCount, KindRuns, KindSecretAbsent, KindCacheReuse, KindInstruction,
	KindBaseFromArg, KindService, KindMutation, KindContentLeak, KindWastedSpace, KindTargetBuilds}

var idRe = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// Validate checks one spec on its own; ValidateChecks checks a list (ids, needs).
func (c Check) Validate() error {
	if !idRe.MatchString(c.ID) {
		return fmt.Errorf("check id %q: use lower-case letters, digits, - and _", c.ID)
	}
	need := func(ok bool, what string) error {
		if !ok {
			return fmt.Errorf("check %q (%s) needs %s", c.ID, c.Kind, what)
		}
		return nil
	}
	switch c.Kind {
	case KindStageCount:
		if c.Min == nil && c.Max.Raw == "" {
			return need(false, "min or max")
		}
		if _, err := c.Max.Count(); c.Max.Raw != "" && err != nil {
			return fmt.Errorf("check %q: max: %w", c.ID, err)
		}
	case KindStageNamed:
		return need(c.Name != "", "name")
	case KindCopyFrom:
		if c.Into != "" && c.Into != "final" {
			return fmt.Errorf("check %q: into: only \"final\" is supported", c.ID)
		}
		return need(c.Stage != "", "stage")
	case KindFinalBase:
		return need(len(c.OneOf) > 0, "one_of")
	case KindLint:
		return need(c.All || len(c.Rules) > 0, "rules or all: true")
	case KindImageSize:
		if c.Max.Raw == "" && c.MaxCompressed.Raw == "" {
			return need(false, "max or max_compressed")
		}
		for _, q := range []Quantity{c.Max, c.MaxCompressed} {
			if _, err := q.Bytes(); q.Raw != "" && err != nil {
				return fmt.Errorf("check %q: %w", c.ID, err)
			}
		}
	case KindSizeReduction:
		if c.Against != "" && c.Against != "starter" {
			return fmt.Errorf("check %q: against: only \"starter\" is supported", c.ID)
		}
		return need(c.MinPercent > 0 && c.MinPercent < 100, "min_percent between 0 and 100")
	case KindPathAbsent, KindPathPresent:
		return need(len(c.Paths) > 0, "paths")
	case KindUser:
		return need(c.NonRoot, "non_root: true")
	case KindConfig:
		return need(c.Healthcheck || len(c.ExposedPorts) > 0 || len(c.Entrypoint) > 0 || c.ExecForm, "healthcheck, exposed_ports, entrypoint or exec_form")
	case KindLayerCount:
		if _, err := c.Max.Count(); err != nil {
			return fmt.Errorf("check %q: max: %w", c.ID, err)
		}
	case KindRuns:
		if c.Timeout != "" {
			if _, err := time.ParseDuration(c.Timeout); err != nil {
				return fmt.Errorf("check %q: timeout: %w", c.ID, err)
			}
		}
	case KindSecretAbsent:
		return need(c.Secret != nil && c.Secret.ID != "" && c.Secret.Value != "", "secret: {id, value}")
	case KindCacheReuse:
		return need(c.Edit != nil && c.Edit.Path != "" && len(c.Cached) > 0, "edit: {path, append} and cached: [patterns]")
	case KindMutation:
		if err := need(c.Edit != nil && c.Edit.Path != "", "edit: {path, append or write}"); err != nil {
			return err
		}
		if (c.Edit.Append == "") == (c.Edit.Write == nil) {
			return fmt.Errorf("check %q: edit needs exactly one of append and write", c.ID)
		}
		if c.BuildFails == (len(c.Cached)+len(c.Rebuilt) > 0) {
			return fmt.Errorf("check %q (mutation) needs build_fails: true, or cached/rebuilt step patterns, not both", c.ID)
		}
		if c.LogContains != "" && !c.BuildFails {
			return fmt.Errorf("check %q: log_contains goes with build_fails: true", c.ID)
		}
		return validPatterns(c.ID, append(append([]string{}, c.Cached...), c.Rebuilt...))
	case KindBaseFromArg:
		return need(c.Arg != "" && c.Other != "", "arg (a global ARG) and other (a value that must change the base)")
	case KindContentLeak:
		return need((c.Value == "") != (c.File == ""), "value or file (one of them)")
	case KindService:
		if c.Port < 1 || c.Port > 65535 {
			return need(false, "port (1-65535)")
		}
		for _, d := range []string{c.Timeout, c.StopWithin} {
			if d != "" {
				if _, err := time.ParseDuration(d); err != nil {
					return fmt.Errorf("check %q: %w", c.ID, err)
				}
			}
		}
		for i, r := range c.Requests {
			if !strings.HasPrefix(r.Path, "/") {
				return fmt.Errorf("check %q: requests[%d]: path %q must start with /", c.ID, i, r.Path)
			}
		}
		return need(len(c.Requests) > 0 || c.Health || c.StopWithin != "", "requests, health: true or stop_within")
	case KindInstruction:
		if c.Pattern == "" {
			return need(false, "pattern")
		}
		if _, err := regexp.Compile(c.Pattern); err != nil {
			return fmt.Errorf("check %q: pattern: %w", c.ID, err)
		}
	case KindWastedSpace:
		return validateWaste(c)
	case KindTargetBuilds:
		return validateTarget(c)
	case KindStageRefsValid, KindBuilds:
	default:
		return fmt.Errorf("check %q: unknown kind %q (known: %s)", c.ID, c.Kind, strings.Join(Kinds, ", "))
	}
	return nil
}

func validPatterns(id string, pats []string) error {
	for _, p := range pats {
		if _, err := regexp.Compile(p); err != nil {
			return fmt.Errorf("check %q: step pattern %q: %w", id, p, err)
		}
	}
	return nil
}

// validateWaste checks a wasted_space spec: a byte budget, an efficiency floor, or both.
func validateWaste(c Check) error {
	if c.MaxBytes.Raw == "" && c.MinEfficiency == nil {
		return fmt.Errorf("check %q (%s) needs max_bytes (e.g. 0 or 1MB) or min_efficiency (between 0 and 1)", c.ID, c.Kind)
	}
	if c.MaxBytes.Raw != "" {
		if _, err := c.MaxBytes.Bytes(); err != nil {
			return fmt.Errorf("check %q: max_bytes: %w", c.ID, err)
		}
	}
	if e := c.MinEfficiency; e != nil && (*e <= 0 || *e > 1) {
		return fmt.Errorf("check %q: min_efficiency %v must be above 0 and at most 1 (0.95 means 95%% of the bytes in the layers are visible)", c.ID, *e)
	}
	return nil
}

// validateTarget checks a target_builds spec: the stage to build, and what its image must hold.
func validateTarget(c Check) error {
	if c.Target == "" {
		return fmt.Errorf("check %q (%s) needs target (the stage name given to --target)", c.ID, c.Kind)
	}
	if c.StdoutContains != "" && len(c.Args) == 0 {
		return fmt.Errorf("check %q: stdout_contains needs args (the command to run in the target's image)", c.ID)
	}
	if c.Timeout != "" {
		if _, err := time.ParseDuration(c.Timeout); err != nil {
			return fmt.Errorf("check %q: timeout: %w", c.ID, err)
		}
	}
	return nil
}

// ValidateChecks validates a list: each spec, unique ids, needs that name earlier checks.
func ValidateChecks(checks []Check) []error {
	var errs []error
	seen := map[string]bool{}
	for _, c := range checks {
		if err := c.Validate(); err != nil {
			errs = append(errs, lineErr(c.Line, err))
		}
		if seen[c.ID] {
			errs = append(errs, lineErr(c.Line, fmt.Errorf("duplicate check id %q", c.ID)))
		}
		for _, n := range c.Needs {
			if !seen[n] {
				errs = append(errs, lineErr(c.Line, fmt.Errorf("check %q needs %q, which is not a check declared before it", c.ID, n)))
			}
		}
		seen[c.ID] = true
	}
	return errs
}

// LineError is an error about a declaration at a line of its file.
type LineError struct {
	Line int
	Err  error
}

func (e *LineError) Error() string { return e.Err.Error() }
func (e *LineError) Unwrap() error { return e.Err }

func lineErr(line int, err error) error { return &LineError{Line: line, Err: err} }
