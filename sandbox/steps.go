package sandbox

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/moby/buildkit/client"
	digest "github.com/opencontainers/go-digest"
)

// Step is one build step as a learner sees it: "[build 3/5] RUN go build -o /hello .".
type Step struct {
	Digest    digest.Digest `json:"-"`
	Name      string        `json:"name"`
	Internal  bool          `json:"internal,omitempty"` // [internal] load …, context transfers
	Cached    bool          `json:"cached"`
	Started   *time.Time    `json:"started,omitempty"`
	Completed *time.Time    `json:"completed,omitempty"`
	Error     string        `json:"error,omitempty"`
	Log       []string      `json:"log,omitempty"` // the last lines of its output
}

// Running reports whether the step has started and not finished.
func (s Step) Running() bool { return s.Started != nil && s.Completed == nil }

// Duration is how long the step took, or has taken so far.
func (s Step) Duration() time.Duration {
	if s.Started == nil {
		return 0
	}
	end := time.Now()
	if s.Completed != nil {
		end = *s.Completed
	}
	return end.Sub(*s.Started)
}

// maxStepLog is how many lines of output a step keeps.
const maxStepLog = 40

// StepTracker folds BuildKit's status stream into steps in the order they appeared. The TUI and
// the build result both use it, so what the learner watched is what the report says.
type StepTracker struct {
	byDigest map[digest.Digest]int
	steps    []Step
	partial  map[digest.Digest]string // an unfinished last log line per step
	ref      string                   // the solve's id on the daemon, when Build ran it
}

func NewStepTracker() *StepTracker {
	return &StepTracker{byDigest: map[digest.Digest]int{}, partial: map[digest.Digest]string{}}
}

// Update applies one status message.
func (t *StepTracker) Update(ss *client.SolveStatus) {
	for _, v := range ss.Vertexes {
		i, ok := t.byDigest[v.Digest]
		if !ok {
			i = len(t.steps)
			t.byDigest[v.Digest] = i
			t.steps = append(t.steps, Step{Digest: v.Digest})
		}
		st := &t.steps[i]
		st.Name = v.Name
		st.Internal = isInternal(v.Name)
		st.Cached = v.Cached
		if v.Started != nil {
			st.Started = v.Started
		}
		if v.Completed != nil {
			st.Completed = v.Completed
		}
		if v.Error != "" {
			st.Error = v.Error
		}
	}
	for _, l := range ss.Logs {
		i, ok := t.byDigest[l.Vertex]
		if !ok {
			continue
		}
		text := t.partial[l.Vertex] + string(l.Data)
		lines := strings.Split(text, "\n")
		t.partial[l.Vertex] = lines[len(lines)-1]
		st := &t.steps[i]
		for _, line := range lines[:len(lines)-1] {
			st.Log = append(st.Log, strings.TrimRight(line, "\r"))
		}
		if len(st.Log) > maxStepLog {
			st.Log = append([]string(nil), st.Log[len(st.Log)-maxStepLog:]...)
		}
	}
}

// Steps returns a copy of the steps so far, with unfinished log lines flushed.
func (t *StepTracker) Steps() []Step {
	out := make([]Step, len(t.steps))
	copy(out, t.steps)
	for d, rest := range t.partial {
		if rest != "" {
			i := t.byDigest[d]
			out[i].Log = append(append([]string(nil), out[i].Log...), rest)
		}
	}
	return out
}

// Counts returns the learner-visible steps and how many of them were cached.
func (t *StepTracker) Counts() (total, cached int) {
	for _, s := range t.steps {
		if s.Internal {
			continue
		}
		total++
		if s.Cached {
			cached++
		}
	}
	return total, cached
}

// Failed returns the first step that reported an error.
func (t *StepTracker) Failed() (Step, bool) {
	for _, s := range t.Steps() {
		if s.Error != "" && !strings.Contains(s.Error, "context canceled") {
			return s, true
		}
	}
	for _, s := range t.Steps() {
		if s.Error != "" {
			return s, true
		}
	}
	return Step{}, false
}

func isInternal(name string) bool {
	return strings.HasPrefix(name, "[internal]") || strings.HasPrefix(name, "[auth]") ||
		strings.HasPrefix(name, "exporting") || strings.HasPrefix(name, "sending tarball") ||
		strings.HasPrefix(name, "[context ") || name == "resolving provenance for metadata file"
}

func splitLines(s string) []string {
	return strings.Split(strings.TrimRight(s, "\n"), "\n")
}

// stepPrefix is BuildKit's "[stage i/n]" in front of a Dockerfile step's name; a Dockerfile of
// one stage gets "[i/n]", with no stage.
var stepPrefix = regexp.MustCompile(`^\[(?:(\S+) )?(\d+)/(\d+)\]`)

// InDockerfileOrder returns the steps as the Dockerfile lists them: stage by stage in the order
// of stages (stages[i] is stage i's name, "" when unnamed: BuildKit calls it "stage-i"), step by
// step within a stage. BuildKit reports steps as they start, so parallel stages interleave;
// steps with no stage prefix (loading the Dockerfile and contexts) come first, as they happen.
func InDockerfileOrder(steps []Step, stages []string) []Step {
	rank := func(name string) int {
		for i := len(stages) - 1; i >= 0; i-- { // the last of duplicate names, as BuildKit binds
			if strings.EqualFold(stages[i], name) || name == fmt.Sprintf("stage-%d", i) {
				return i
			}
		}
		return len(stages)
	}
	type key struct{ group, stage, n int }
	keys := make([]key, len(steps))
	for i, st := range steps {
		if m := stepPrefix.FindStringSubmatch(st.Name); m != nil {
			n, _ := strconv.Atoi(m[2])
			keys[i] = key{1, rank(m[1]), n}
		}
	}
	idx := make([]int, len(steps))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		ka, kb := keys[idx[a]], keys[idx[b]]
		if ka.group != kb.group {
			return ka.group < kb.group
		}
		if ka.stage != kb.stage {
			return ka.stage < kb.stage
		}
		return ka.n < kb.n
	})
	out := make([]Step, len(steps))
	for i, j := range idx {
		out[i] = steps[j]
	}
	return out
}
