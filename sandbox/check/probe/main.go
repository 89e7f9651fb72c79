// Command stagecraft-probe runs inside a learner's image during a service check. The image may
// have no shell, wget or curl, so the checker brings this static binary (built from this file
// on the sandbox's Go image) and mounts it beside the image. It starts the image's command,
// waits for its port, makes HTTP requests on loopback, runs the HEALTHCHECK command, sends
// SIGTERM and times the stop, then prints one JSON line for the checker.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// Marker starts the line that carries the result.
const Marker = "STAGECRAFT-PROBE-RESULT "

// Spec is what to do, passed as JSON in the first argument.
type Spec struct {
	Cmd      []string      `json:"cmd"`
	Port     int           `json:"port"`
	Wait     time.Duration `json:"wait"`
	Requests []string      `json:"requests"`
	Health   []string      `json:"health,omitempty"`
	HealthTO time.Duration `json:"health_timeout"`
	Stop     time.Duration `json:"stop"`
}

// Result is what happened.
type Result struct {
	StartError   string          `json:"start_error,omitempty"`
	Exited       bool            `json:"exited"` // exited before it was asked to stop
	ExitCode     int             `json:"exit_code"`
	Listening    bool            `json:"listening"`
	ListenAfter  time.Duration   `json:"listen_after"`
	Requests     []RequestResult `json:"requests"`
	HealthRan    bool            `json:"health_ran"`
	HealthExit   int             `json:"health_exit"`
	HealthOutput string          `json:"health_output,omitempty"`
	HealthError  string          `json:"health_error,omitempty"`
	Stopped      bool            `json:"stopped"`
	StopAfter    time.Duration   `json:"stop_after"`
	Output       string          `json:"output,omitempty"` // the service's last output
}

// RequestResult is one GET.
type RequestResult struct {
	Path   string `json:"path"`
	Status int    `json:"status"`
	Body   string `json:"body"`
	Error  string `json:"error,omitempty"`
}

// tailBuffer keeps the last bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > 4096 {
		t.buf = t.buf[len(t.buf)-4096:]
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}

func main() {
	var spec Spec
	if len(os.Args) != 2 || json.Unmarshal([]byte(os.Args[1]), &spec) != nil || len(spec.Cmd) == 0 {
		fmt.Fprintln(os.Stderr, "usage: stagecraft-probe SPEC-JSON")
		os.Exit(2)
	}
	res := run(spec)
	b, _ := json.Marshal(res)
	fmt.Println(Marker + string(b))
}

func run(spec Spec) *Result {
	res := &Result{Requests: []RequestResult{}}
	var out tailBuffer
	cmd := exec.Command(spec.Cmd[0], spec.Cmd[1:]...)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		res.StartError = err.Error()
		return res
	}
	done := make(chan struct{})
	go func() {
		cmd.Wait()
		close(done)
	}()
	defer func() { res.Output = out.String() }()
	exited := func() bool {
		select {
		case <-done:
			res.Exited, res.ExitCode = true, cmd.ProcessState.ExitCode()
			return true
		default:
			return false
		}
	}

	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(spec.Port))
	start := time.Now()
	for time.Since(start) < spec.Wait {
		if exited() {
			return res
		}
		if c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond); err == nil {
			c.Close()
			res.Listening, res.ListenAfter = true, time.Since(start)
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !res.Listening {
		exited()
		cmd.Process.Kill()
		return res
	}

	client := &http.Client{Timeout: 5 * time.Second}
	for _, p := range spec.Requests {
		rr := RequestResult{Path: p}
		resp, err := client.Get("http://" + addr + p)
		if err != nil {
			rr.Error = err.Error()
		} else {
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
			resp.Body.Close()
			rr.Status, rr.Body = resp.StatusCode, string(body)
		}
		res.Requests = append(res.Requests, rr)
	}

	if len(spec.Health) > 0 {
		res.HealthRan = true
		ctx, cancel := context.WithTimeout(context.Background(), spec.HealthTO)
		var hout bytes.Buffer
		h := exec.CommandContext(ctx, spec.Health[0], spec.Health[1:]...)
		h.Stdout, h.Stderr = &hout, &hout
		err := h.Run()
		cancel()
		res.HealthOutput = hout.String()
		var ee *exec.ExitError
		switch {
		case err == nil:
		case ctx.Err() != nil:
			res.HealthExit, res.HealthError = -1, fmt.Sprintf("did not finish within %s", spec.HealthTO)
		case errors.As(err, &ee):
			res.HealthExit = ee.ExitCode()
		default:
			res.HealthExit, res.HealthError = -1, err.Error()
		}
	}

	if exited() {
		return res
	}
	stopAt := time.Now()
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
		res.Stopped, res.StopAfter = true, time.Since(stopAt)
		res.ExitCode = cmd.ProcessState.ExitCode()
	case <-time.After(spec.Stop):
		cmd.Process.Kill()
		<-done
	}
	return res
}
