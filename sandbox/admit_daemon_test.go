package sandbox

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

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
