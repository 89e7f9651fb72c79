package sandbox

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// CheckSpec is one check an exercise declares as data (exercise.yaml `checks:`). Which fields
// matter depends on Kind; Validate says what is missing or stray.
type CheckSpec struct {
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

	Secret *SecretSpec `yaml:"secret,omitempty" json:"secret,omitempty"` // secret_absent

	// instruction: an instruction of a stage ("final" by default, a stage name, or "any")
	// whose command is Command and whose text matches Pattern (a regular expression); with
	// Absent, no instruction may match.
	Command string `yaml:"command,omitempty" json:"command,omitempty"`
	Pattern string `yaml:"pattern,omitempty" json:"pattern,omitempty"`
	Absent  bool   `yaml:"absent,omitempty" json:"absent,omitempty"`

	Edit   *EditSpec `yaml:"edit,omitempty" json:"edit,omitempty"`     // cache_reuse
	Cached []string  `yaml:"cached,omitempty" json:"cached,omitempty"` // cache_reuse: step patterns

	// Line is where the check is declared, for error messages (set by the loader).
	Line int `yaml:"-" json:"-"`
}

// SecretSpec is a build secret the submission is built with, and whose value must not leak.
type SecretSpec struct {
	ID    string `yaml:"id" json:"id"`
	Value string `yaml:"value" json:"value"`
}

// EditSpec is an edit to a context file between two builds (cache_reuse).
type EditSpec struct {
	Path   string `yaml:"path" json:"path"`
	Append string `yaml:"append" json:"append"`
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
)

// Static reports whether a kind is decided from the Dockerfile alone.
func Static(kind string) bool {
	switch kind {
	case KindStageCount, KindStageNamed, KindCopyFrom, KindFinalBase, KindStageRefsValid, KindInstruction:
		return true
	}
	return false
}

// Kinds lists every check kind, for validation messages.
var Kinds = []string{KindStageCount, KindStageNamed, KindCopyFrom, KindFinalBase, KindStageRefsValid, KindLint,
	KindBuilds, KindImageSize, KindSizeReduction, KindPathAbsent, KindPathPresent, KindUser, KindConfig,
	KindLayerCount, KindRuns, KindSecretAbsent, KindCacheReuse, KindInstruction}

var idRe = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// Validate checks one spec on its own; ValidateChecks checks a list (ids, needs).
func (c CheckSpec) Validate() error {
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
	case KindInstruction:
		if c.Pattern == "" {
			return need(false, "pattern")
		}
		if _, err := regexp.Compile(c.Pattern); err != nil {
			return fmt.Errorf("check %q: pattern: %w", c.ID, err)
		}
	case KindStageRefsValid, KindBuilds:
	default:
		return fmt.Errorf("check %q: unknown kind %q (known: %s)", c.ID, c.Kind, strings.Join(Kinds, ", "))
	}
	return nil
}

// ValidateChecks validates a list: each spec, unique ids, needs that name earlier checks.
func ValidateChecks(checks []CheckSpec) []error {
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

// Quantity is a count or a size as written in YAML: 3, "20MB", "1.5 GiB".
type Quantity struct{ Raw string }

// UnmarshalYAML accepts a number or a string.
func (q *Quantity) UnmarshalYAML(unmarshal func(any) error) error {
	var v any
	if err := unmarshal(&v); err != nil {
		return err
	}
	if v == nil {
		q.Raw = ""
		return nil
	}
	q.Raw = strings.TrimSpace(fmt.Sprint(v))
	return nil
}

func (q Quantity) MarshalJSON() ([]byte, error) { return []byte(strconv.Quote(q.Raw)), nil }

func (q *Quantity) UnmarshalJSON(b []byte) error {
	s, err := strconv.Unquote(string(b))
	if err != nil {
		s = string(b)
	}
	q.Raw = s
	return nil
}

// Count reads the quantity as a whole number.
func (q Quantity) Count() (int, error) {
	n, err := strconv.Atoi(q.Raw)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%q is not a count", q.Raw)
	}
	return n, nil
}

var sizeRe = regexp.MustCompile(`^(?i)\s*([0-9]+(?:\.[0-9]+)?)\s*(b|kb|kib|k|mb|mib|m|gb|gib|g)?\s*$`)

// Bytes reads the quantity as a size. KB/MB/GB are decimal (as registries and `docker images`
// print them); KiB/MiB/GiB are binary.
func (q Quantity) Bytes() (int64, error) { return ParseSize(q.Raw) }

// ParseSize reads "20MB", "512KiB", "1.5G", "1048576".
func ParseSize(s string) (int64, error) {
	m := sizeRe.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("%q is not a size (write e.g. 20MB or 512KiB)", s)
	}
	f, _ := strconv.ParseFloat(m[1], 64)
	mult := map[string]float64{"": 1, "b": 1, "k": 1e3, "kb": 1e3, "kib": 1 << 10, "m": 1e6, "mb": 1e6, "mib": 1 << 20, "g": 1e9, "gb": 1e9, "gib": 1 << 30}[strings.ToLower(m[2])]
	return int64(f * mult), nil
}

// Points are exact scores in hundredths, so totals never drift: "2.5" is 250.
type Points int64

// Whole returns n points.
func Whole(n int64) Points { return Points(n * 100) }

func (p Points) String() string {
	sign := ""
	if p < 0 {
		sign, p = "-", -p
	}
	if p%100 == 0 {
		return fmt.Sprintf("%s%d", sign, p/100)
	}
	if p%10 == 0 {
		return fmt.Sprintf("%s%d.%d", sign, p/100, (p%100)/10)
	}
	return fmt.Sprintf("%s%d.%02d", sign, p/100, p%100)
}

// ParsePoints reads "10", "2.5", "0.25" exactly (at most two decimals).
func ParsePoints(s string) (Points, error) {
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" && frac == "" || len(frac) > 2 {
		return 0, fmt.Errorf("%q is not a points value (use at most two decimals)", s)
	}
	w, err := strconv.ParseInt(orZero(whole), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a points value", s)
	}
	for len(frac) < 2 {
		frac += "0"
	}
	f, err := strconv.ParseInt(frac, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a points value", s)
	}
	p := Points(w*100 + f)
	if neg {
		p = -p
	}
	return p, nil
}

func orZero(s string) string {
	if s == "" {
		return "0"
	}
	return s
}

func (p Points) MarshalJSON() ([]byte, error) { return []byte(p.String()), nil }

func (p *Points) UnmarshalJSON(b []byte) error {
	v, err := ParsePoints(strings.Trim(string(b), `"`))
	*p = v
	return err
}

// UnmarshalYAML accepts 10, 2.5 or "2.5".
func (p *Points) UnmarshalYAML(unmarshal func(any) error) error {
	var v any
	if err := unmarshal(&v); err != nil {
		return err
	}
	var s string
	switch x := v.(type) {
	case uint64:
		s = strconv.FormatUint(x, 10)
	case int64:
		s = strconv.FormatInt(x, 10)
	case int:
		s = strconv.Itoa(x)
	case float64:
		s = strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		s = x
	default:
		return fmt.Errorf("points: %v is not a number", v)
	}
	pts, err := ParsePoints(s)
	if err != nil {
		return err
	}
	*p = pts
	return nil
}
