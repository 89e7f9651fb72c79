package sandbox

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// A RUN that tries to reach a server on the host's loopback fails: with host networking it
// would connect, so a refusal proves the step had no network. Nothing leaves this machine.
func TestPolicyNoNetwork(t *testing.T) {
	sb := testCatalogSandbox(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var accepted atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			c.Write([]byte("HTTP/1.0 200 OK\r\n\r\nreachable\n"))
			c.Close()
		}
	}()
	port := ln.Addr().(*net.TCPAddr).Port
	df := fmt.Sprintf("FROM busybox\nRUN echo %d && wget -qO- http://127.0.0.1:%d/\n", time.Now().UnixNano(), port)
	res, err := sb.Build(context.Background(), Request{Dockerfile: []byte(df)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Failure == nil {
		t.Fatal("a RUN reached a server on the host: the sandbox has network")
	}
	if accepted.Load() != 0 {
		t.Fatalf("the host listener accepted %d connections", accepted.Load())
	}
	if res.Failure.Line != 2 {
		t.Errorf("failure line = %d, want 2 (%+v)", res.Failure.Line, res.Failure)
	}
	if !strings.Contains(strings.ToLower(strings.Join(res.Failure.LogTail, "\n")), "refused") && res.Failure.Kind != "network" {
		t.Errorf("failure does not say the connection was refused: %+v", res.Failure)
	}
}

func TestPolicyTimeout(t *testing.T) {
	sb := testCatalogSandbox(t)
	sb.Policy.Timeout = 4 * time.Second
	start := time.Now()
	df := fmt.Sprintf("FROM busybox\nRUN echo %d && sleep 300\n", time.Now().UnixNano())
	res, err := sb.Build(context.Background(), Request{Dockerfile: []byte(df)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Failure == nil || res.Failure.Kind != "timeout" {
		t.Fatalf("got %+v, want a timeout failure", res.Failure)
	}
	if !strings.Contains(res.Failure.Message, "4s") || !strings.Contains(res.Failure.Step, "sleep 300") {
		t.Errorf("timeout message should name the limit and the step: %+v", res.Failure)
	}
	if time.Since(start) > 2*time.Minute {
		t.Errorf("the build was not stopped: it took %s", time.Since(start))
	}
}

func TestPolicyMemoryLimit(t *testing.T) {
	sb := testCatalogSandbox(t)
	if !sb.Endpoint.Local() {
		t.Skip("memory limits apply to local daemons only")
	}
	sb.Policy.MemoryBytes = 64 << 20
	// awk doubles a string until the kernel stops it.
	df := fmt.Sprintf("FROM busybox\nRUN echo %d && awk 'BEGIN { s = \"x\"; for (;;) s = s s }'\n", time.Now().UnixNano())
	res, err := sb.Build(context.Background(), Request{Dockerfile: []byte(df)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Failure == nil || res.Failure.Kind != "memory" {
		t.Fatalf("got %+v, want a memory failure", res.Failure)
	}
	if !strings.Contains(res.Failure.Message, "memory") {
		t.Errorf("message should say memory: %q", res.Failure.Message)
	}
}
