//go:build unix

package lessons

import (
	"syscall"
	"testing"
	"time"
)

// reportCPU adds a cpu-ms/op metric: on a shared machine the wall-clock ns/op includes time
// other processes had the CPU, the process's own CPU time does not.
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() {
		b.ReportMetric(float64(cpuTime()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
