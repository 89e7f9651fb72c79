// Command stagecraft is a terminal course on Docker multi-stage builds: lessons, quizzes, and a
// BuildKit sandbox that builds and checks the Dockerfiles a learner writes.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/sirupsen/logrus"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	// containerd's content store logs warnings (no fsverity on this filesystem, …) through
	// logrus to stderr; they mean nothing to a learner and would break the plain output.
	logrus.SetLevel(logrus.ErrorLevel)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := newRootCmd(os.Stdin, os.Stdout, os.Stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return
	}
	var ex *exitError
	if errors.As(err, &ex) {
		if ex.err != nil {
			fmt.Fprintln(os.Stderr, "stagecraft:", ex.err)
		}
		os.Exit(ex.code)
	}
	fmt.Fprintln(os.Stderr, "stagecraft:", err)
	os.Exit(exitUsage)
}
