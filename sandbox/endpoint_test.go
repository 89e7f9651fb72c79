package sandbox

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestDaemonInfoStopped: a managed daemon that was never started is stopped, says where it
// would live and what starting it lacks, and asking starts nothing.
func TestDaemonInfoStopped(t *testing.T) {
	d, _ := testDaemon(t)
	d.Binary = ""
	t.Setenv("PATH", t.TempDir()) // no buildkitd, no runc
	info, err := d.Info(context.Background())
	if err != nil {
		t.Fatalf("Info of a stopped daemon: %v", err)
	}
	if info.Status != EndpointStopped || !info.Managed || info.PID != 0 || info.Version != "" || len(info.Workers) != 0 {
		t.Fatalf("info %+v, want stopped, managed, no pid, no version, no workers", info)
	}
	if info.Address != "unix://"+d.Socket() || info.Root != d.Root || info.Log != d.LogFile() {
		t.Errorf("info %+v does not say where the daemon lives (%s, %s)", info, d.Socket(), d.Root)
	}
	if info.Prereqs == nil || !strings.Contains(info.Prereqs.Error(), "buildkitd") || !strings.Contains(info.Prereqs.Error(), "runc") {
		t.Errorf("Prereqs = %v, want buildkitd and runc missing", info.Prereqs)
	}
	for _, p := range []string{d.Socket(), d.pidFile(), d.configFile()} {
		if _, err := os.Lstat(p); err == nil {
			t.Errorf("Info made %s: it must not start the daemon", p)
		}
	}

	probes := Diagnose(context.Background(), d, DiagnoseOptions{NoAddress: true, Images: ImagesRegistry})
	names := probeNames(probes)
	if !slices.Equal(names, []string{"buildkit", "buildkitd", "runc", "limits", "catalog"}) {
		t.Fatalf("probes %v, want buildkit, buildkitd, runc, limits, catalog", names)
	}
	bk := probes[0]
	if bk.OK || bk.Detail != "managed daemon not running (it starts on the first build)" || !strings.Contains(bk.Fix, "make buildkitd") {
		t.Errorf("buildkit probe %+v, want not running, not ok, with the fix", bk)
	}
	if probes[1].OK || probes[2].OK || !probes[4].OK || probes[4].Detail != "not used (--images registry)" {
		t.Errorf("probes %+v", probes)
	}
}

// TestAddrEndpointUnreachable: an address nothing answers at is unreachable, an environment
// fault with its fix, and the doctor says so without probing the managed daemon's tools.
func TestAddrEndpointUnreachable(t *testing.T) {
	ep := &AddrEndpoint{Addr: "unix:///nonexistent/buildkitd.sock"}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	info, err := ep.Info(ctx)
	var env *EnvError
	if !errors.As(err, &env) || env.Fix == "" || info.Status != EndpointUnreachable || info.Managed {
		t.Fatalf("Info = %+v, %v; want unreachable and an *EnvError with a fix", info, err)
	}
	if err := ep.Bootstrap(ctx, nil); !IsEnvError(err) {
		t.Errorf("Bootstrap = %v, want an *EnvError", err)
	}
	if err := ep.Shutdown(ctx); err != nil {
		t.Errorf("Shutdown of a daemon stagecraft does not own = %v, want nothing done", err)
	}
	probes := Diagnose(ctx, ep, DiagnoseOptions{Start: true, Images: ImagesRegistry})
	if names := probeNames(probes); !slices.Equal(names, []string{"buildkit", "catalog"}) {
		t.Fatalf("probes %v, want buildkit and catalog only", names)
	}
	if p := probes[0]; p.OK || p.Detail != "unreachable at "+ep.Addr || !strings.Contains(p.Fix, "Check that the daemon is running") {
		t.Errorf("buildkit probe %+v", p)
	}

	probes = Diagnose(ctx, nil, DiagnoseOptions{ChooseErr: errors.New(`"x" is not a BuildKit address`), Images: ImagesRegistry})
	if p := probes[0]; p.Name != "buildkit" || p.OK || p.Detail != `"x" is not a BuildKit address` {
		t.Errorf("no endpoint: %+v", probes)
	}
}

// TestAddrEndpointInfo asks the test daemon what it is: running, its version, an OCI worker
// on overlayfs building for this machine's platform; not managed, and left running by
// Shutdown.
func TestAddrEndpointInfo(t *testing.T) {
	sb := testSandbox(t)
	ep, ok := sb.Endpoint.(*AddrEndpoint)
	if !ok {
		t.Fatalf("the test sandbox's endpoint is %T", sb.Endpoint)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := ep.Bootstrap(ctx, nil); err != nil {
		t.Fatal(err)
	}
	info, err := ep.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.Status != EndpointRunning || info.Managed || info.Address != ep.Addr || !strings.HasPrefix(info.Version, "v") {
		t.Fatalf("info %+v, want a running daemon with a version, not managed", info)
	}
	if info.Limits != ep.Local() {
		t.Errorf("Limits = %v, Local() = %v", info.Limits, ep.Local())
	}
	here := runtime.GOOS + "/" + runtime.GOARCH
	if len(info.Workers) == 0 || !slices.ContainsFunc(info.Platforms, func(p string) bool { return strings.HasPrefix(p, here) }) {
		t.Fatalf("workers %+v, platforms %v; want a worker building for %s", info.Workers, info.Platforms, here)
	}
	w := info.Workers[0]
	if w.ID == "" || w.Executor != "oci" || w.Snapshotter != "overlayfs" || len(w.Platforms) == 0 {
		t.Errorf("worker %+v, want the oci worker on overlayfs the test daemon runs", w)
	}

	if err := ep.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if again, err := ep.Info(ctx); err != nil || again.Status != EndpointRunning {
		t.Fatalf("after Shutdown of a daemon stagecraft does not own: %+v, %v; want it still running", again, err)
	}

	probes := Diagnose(ctx, ep, DiagnoseOptions{Start: true, Images: ImagesRegistry, CacheDir: t.TempDir()})
	if names := probeNames(probes); !slices.Equal(names, []string{"buildkit", "catalog", "disk"}) {
		t.Fatalf("probes %v, want buildkit, catalog, disk", names)
	}
	if p := probes[0]; !p.OK || p.Detail != "daemon "+info.Version+" at "+ep.Addr {
		t.Errorf("buildkit probe %+v", p)
	}
}

func probeNames(ps []Probe) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return out
}

// TestDaemonEndpointLifecycle drives the managed daemon (bin/buildkitd in temp folders) through
// the Endpoint interface: Bootstrap starts it, Info sees it running with its pid, version and
// workers, the doctor names it managed, and Shutdown stops it.
func TestDaemonEndpointLifecycle(t *testing.T) {
	if os.Getenv("STAGECRAFT_TEST_BUILDKIT") == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but STAGECRAFT_TEST_BUILDKIT is unset: run the tests through `make test`")
		}
		t.Skip("integration test: run it through scripts/with-buildkitd.sh (root, runc, bin/buildkitd)")
	}
	needRoot(t)
	bin, err := filepath.Abs(filepath.Join("..", "bin", "buildkitd"))
	if err != nil {
		t.Fatal(err)
	}
	d, _ := testDaemon(t)
	d.Binary, d.GCKeepBytes = bin, 1<<30
	var ep Endpoint = d
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	var said strings.Builder
	if err := ep.Bootstrap(ctx, &said); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Stop() })
	if !strings.Contains(said.String(), "starting the managed BuildKit daemon") {
		t.Errorf("Bootstrap said %q, want that it starts the daemon", said.String())
	}
	info, err := ep.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.Status != EndpointRunning || !info.Managed || info.PID <= 0 || info.Version == "" || len(info.Workers) == 0 {
		t.Fatalf("info %+v, want running, managed, with a pid, version and workers", info)
	}
	probes := Diagnose(ctx, ep, DiagnoseOptions{NoAddress: true, Images: ImagesRegistry})
	if p := probes[0]; !p.OK || p.Detail != "managed daemon "+info.Version+" at "+d.Address() {
		t.Errorf("buildkit probe %+v", p)
	}
	if err := ep.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if after, err := ep.Info(ctx); err != nil || after.Status != EndpointStopped || after.PID != 0 {
		t.Fatalf("after Shutdown: %+v, %v; want stopped", after, err)
	}
}
