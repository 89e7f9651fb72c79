package sandbox

import (
	"fmt"
	"runtime"
	"time"
)

// Policy is the sandbox policy (docs/architecture.md), applied to every solve of an untrusted Dockerfile.
type Policy struct {
	Timeout            time.Duration // wall clock for one check (lint, builds, probes) or one build
	MemoryBytes        int64         // memory limit for one tenant's RUN steps (local daemons)
	CPUs               float64       // CPU limit for one tenant's RUN steps (local daemons)
	Pids               int64         // process limit for one tenant's RUN steps (local daemons)
	DiskBytes          int64         // how much one RUN step may write (local daemons)
	MaxDockerfileBytes int64         // refused before any build
	MaxContextBytes    int64         // after .dockerignore; refused before any build
	MaxInstructions    int           // instructions in the Dockerfile (FROM and ARG included); refused before any build
	// AllowFetch lists URL prefixes an ADD may download from (an exercise may declare one);
	// every other ADD of a URL or git repository is refused. Loopback, link-local and
	// unspecified hosts are refused even when listed.
	AllowFetch []string
}

// DefaultMaxInstructions is the most instructions a Dockerfile may have: far above any
// exercise, far below what would tie a daemon up.
const DefaultMaxInstructions = 300

// MaxDockerfileBytes is the largest Dockerfile the sandbox accepts.
const MaxDockerfileBytes = 1 << 20

// DefaultPolicy is the policy for learner and student builds.
func DefaultPolicy() Policy {
	return Policy{
		Timeout:            5 * time.Minute,
		MemoryBytes:        2 << 30,
		CPUs:               DefaultCPUs(),
		Pids:               512,
		DiskBytes:          2 << 30,
		MaxDockerfileBytes: MaxDockerfileBytes,
		MaxContextBytes:    200 << 20,
		MaxInstructions:    DefaultMaxInstructions,
	}
}

// DefaultCPUs is one core less than the machine has (at least one), so a build that spins
// every thread it can still leaves a core for the learner's editor, the TUI and the daemon.
func DefaultCPUs() float64 {
	return float64(max(1, runtime.NumCPU()-1))
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
func HumanBytes(n int64) string { return scaledBytes(n, 1024, "KMGTPE", "iB") }

// DecimalBytes formats a byte count in 1000-based units, as registries and `docker images` do.
func DecimalBytes(n int64) string { return scaledBytes(n, 1000, "kMGTPE", "B") }

// scaledBytes writes n in the largest unit of base it reaches: letters name the units from the
// first power of base up, suffix follows the letter ("iB" for 1024-based, "B" for 1000-based).
func scaledBytes(n, base int64, letters, suffix string) string {
	if n < base {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := base, 0
	for m := n / base; m >= base; m /= base {
		div *= base
		exp++
	}
	return fmt.Sprintf("%.1f %c%s", float64(n)/float64(div), letters[exp], suffix)
}
