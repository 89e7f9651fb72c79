package sandbox

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// A server on the host's loopback holds a secret. buildkitd fetches ADD URLs on the host's
// network, so without the sandbox's refusal it would read it; the refusal must come before
// anything reaches the daemon, even when the policy allows the URL.
func TestAdmitAddFromLoopbackNeverFetched(t *testing.T) {
	sb := testCatalogSandbox(t)
	secret := fmt.Sprintf("stagecraft-secret-%d", time.Now().UnixNano())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var hits atomic.Int32
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprintln(w, secret)
	})}
	go srv.Serve(ln)
	defer srv.Close()
	url := fmt.Sprintf("http://%s/secret", ln.Addr())

	for name, allow := range map[string][]string{"no allow-list": nil, "allow-listed": {url}} {
		sb.Policy.AllowFetch = allow
		for df, line := range map[string]int{
			fmt.Sprintf("FROM busybox\nADD %s /secret\nRUN cat /secret\n", url):                            2,
			fmt.Sprintf("FROM busybox\nARG SRC=%s\nADD ${SRC} /secret\n", url):                             3,
			fmt.Sprintf("FROM busybox AS base\nONBUILD ADD %s /secret\nFROM base\nRUN cat /secret\n", url): 2,
		} {
			res, err := sb.Build(context.Background(), Request{Dockerfile: []byte(df), Export: true})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if res.Failure == nil || res.Failure.Kind != "network" || res.Failure.Line != line {
				t.Fatalf("%s: %q built or failed otherwise: %+v", name, df, res.Failure)
			}
			out, _ := json.Marshal(res)
			if strings.Contains(string(out), secret) {
				t.Fatalf("%s: the secret is in the result: %s", name, out)
			}
			// Check reports the same refusal as a failed build, gradable: the learner's fault.
			rep, err := sb.Check(context.Background(), Plan{Checks: []CheckSpec{{ID: "builds", Kind: KindBuilds, Points: 1}}},
				Submission{Dockerfile: []byte(df)}, nil)
			if err != nil || !rep.Gradable || rep.Passed {
				t.Fatalf("%s: check: %v, gradable %v passed %v", name, err, rep.Gradable, rep.Passed)
			}
			out, _ = json.Marshal(rep)
			if strings.Contains(string(out), secret) {
				t.Fatalf("%s: the secret is in the report", name)
			}
		}
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("the loopback server was asked %d times", n)
	}
}

// Tenant A's cache mount is A's alone: B's build does not see A's file; A's next build does.
func TestAdmitCacheMountsPerTenant(t *testing.T) {
	sb := testCatalogSandbox(t)
	nonce := time.Now().UnixNano()
	write := fmt.Sprintf("FROM busybox\nRUN --mount=type=cache,id=shared,target=/c echo %d > /c/f\n", nonce)
	// The echo of a new number keeps each RUN out of BuildKit's layer cache.
	present := func(n int) string {
		return fmt.Sprintf("FROM busybox\nRUN --mount=type=cache,id=shared,target=/c echo %d-%d && grep -qx %d /c/f\n", nonce, n, nonce)
	}
	build := func(tenant, df string) *Failure {
		t.Helper()
		res, err := sb.Build(context.Background(), Request{Dockerfile: []byte(df), Tenant: tenant})
		if err != nil {
			t.Fatal(err)
		}
		return res.Failure
	}
	alice, bob := fmt.Sprintf("alice-%d", nonce), fmt.Sprintf("bob-%d", nonce)
	if f := build(alice, write); f != nil {
		t.Fatalf("alice's write: %+v", f)
	}
	if f := build(bob, present(1)); f == nil {
		t.Fatal("bob's build read the file alice wrote into her cache mount")
	}
	if f := build(alice, present(2)); f != nil {
		t.Fatalf("alice's next build did not find her cache: %+v", f)
	}
	// No tenant is a namespace of its own, not alice's.
	if f := build("", present(3)); f == nil {
		t.Fatal("a build with no tenant read alice's cache mount")
	}
}

// What the sandbox lets through still builds: # syntax= of the built-in frontend (offline, no
// frontend image), and cross-compiling with $BUILDPLATFORM.
func TestAdmitBuildsWhatItAllows(t *testing.T) {
	sb := testCatalogSandbox(t)
	for name, df := range map[string]string{
		"syntax": fmt.Sprintf("# syntax=docker/dockerfile:1.7\nFROM busybox\nRUN echo %d\n", time.Now().UnixNano()),
		"cross": fmt.Sprintf("FROM --platform=$BUILDPLATFORM busybox AS build\nARG TARGETARCH\nRUN echo %d $TARGETARCH > /arch\n"+
			"FROM --platform=$TARGETPLATFORM busybox\nCOPY --from=build /arch /arch\n", time.Now().UnixNano()),
	} {
		res, err := sb.Build(context.Background(), Request{Dockerfile: []byte(df)})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if res.Failure != nil {
			t.Fatalf("%s: %+v", name, res.Failure)
		}
	}
}

// busybox wget crashes (exit 139) rather than fail cleanly when it has no route: the learner
// still gets the no-network hint.
func TestAdmitWgetNoNetworkHint(t *testing.T) {
	sb := testCatalogSandbox(t)
	for _, cmd := range []string{"wget -q -O- http://192.0.2.1/", "wget http://10.0.0.1/x", "wget http://example.com/", "nc 192.0.2.1 80 </dev/null"} {
		df := fmt.Sprintf("FROM busybox\nRUN echo %d && %s\n", time.Now().UnixNano(), cmd)
		res, err := sb.Build(context.Background(), Request{Dockerfile: []byte(df)})
		if err != nil {
			t.Fatal(err)
		}
		f := res.Failure
		if f == nil || f.Kind != "network" || !strings.Contains(f.Hint, "the sandbox has no network") {
			t.Fatalf("%s: got %+v, want the no-network hint", cmd, f)
		}
		t.Logf("%s: %s %q", cmd, f.Message, f.LogTail)
	}
}
