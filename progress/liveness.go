package progress

import (
	"errors"
	"os"
	"syscall"
)

// hostName names this machine for a running grading run; "" if the OS will not say.
func hostName() string {
	h, _ := os.Hostname()
	return h
}

// processAlive says whether the process that claimed a grading run may still be grading it. Only
// a process of this machine can be checked: one on another machine (a store on a shared disk)
// is taken to be alive, as is a run claimed before runs named their process. A process id can
// be reused after the grader died; the run then reads as running until that process ends too,
// which errs on the side of not calling a live run interrupted.
func processAlive(pid int, host string) bool {
	if pid <= 0 || host == "" || host != hostName() {
		return true
	}
	if pid == os.Getpid() {
		return true
	}
	// Signal 0 checks that the process exists without touching it; EPERM means it exists but
	// belongs to another user.
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
