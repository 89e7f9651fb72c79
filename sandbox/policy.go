package sandbox

import (
	"fmt"
	"runtime"
	"time"
)

// Policy is the sandbox policy of DESIGN.md, applied to every solve of an untrusted Dockerfile.
type Policy struct {
	Timeout            time.Duration // wall clock for one build, cancelled after
	MemoryBytes        int64         // memory limit for RUN steps (local daemons)
	CPUs               float64       // CPU limit for RUN steps (local daemons)
	MaxDockerfileBytes int64         // refused before any build
	MaxContextBytes    int64         // after .dockerignore; refused before any build
}

// MaxDockerfileBytes is the largest Dockerfile the sandbox accepts.
const MaxDockerfileBytes = 1 << 20

// DefaultPolicy is the policy for learner and student builds.
func DefaultPolicy() Policy {
	return Policy{
		Timeout:            5 * time.Minute,
		MemoryBytes:        2 << 30,
		CPUs:               float64(runtime.NumCPU()),
		MaxDockerfileBytes: MaxDockerfileBytes,
		MaxContextBytes:    200 << 20,
	}
}

// LimitError is input refused by the policy before any build: a Dockerfile or context over its
// size limit. It is the submitter's input, not an environment fault.
type LimitError struct {
	What  string // "Dockerfile", "build context"
	Size  int64
	Limit int64
	Path  string
	// Partial says Size is only how far we got: the walk or copy stops at the limit rather
	// than measure a 50 GB folder, so the message says "more than".
	Partial bool
}

func (e *LimitError) Error() string {
	where := ""
	if e.Path != "" {
		where = e.Path + ": "
	}
	if e.Partial {
		return fmt.Sprintf("%s%s is more than %s, the sandbox limit", where, e.What, limitBytes(e.Limit))
	}
	return fmt.Sprintf("%s%s is %s; the sandbox limit is %s", where, e.What, HumanBytes(e.Size), limitBytes(e.Limit))
}

// limitBytes writes a limit as it is set: "200 MiB", not "200.0 MiB".
func limitBytes(n int64) string {
	for _, u := range []struct {
		size int64
		name string
	}{{1 << 30, "GiB"}, {1 << 20, "MiB"}, {1 << 10, "KiB"}} {
		if n >= u.size && n%u.size == 0 {
			return fmt.Sprintf("%d %s", n/u.size, u.name)
		}
	}
	return HumanBytes(n)
}

// HumanBytes formats a byte count the way image sizes are usually written (1024-based).
func HumanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
