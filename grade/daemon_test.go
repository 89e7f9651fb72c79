package grade

import (
	"context"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stagecraft/stagecraft/lessons"
	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/sandbox/catalog"
	"github.com/stagecraft/stagecraft/sandbox/check"
)

// Integration tests on real BuildKit daemons: the one `make test` starts
// (scripts/with-buildkitd.sh) and, for the tests of several workers, a second private one
// started here the same way.

func testDaemon(t testing.TB) string {
	t.Helper()
	addr := os.Getenv("STAGECRAFT_TEST_BUILDKIT")
	if addr == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but STAGECRAFT_TEST_BUILDKIT is unset: run the tests through `make test`")
		}
		t.Skip("no BuildKit daemon: run `make test` (it starts a private buildkitd) to run this test")
	}
	return addr
}

// testCache is the catalog cache `make test` shares between packages.
func testCache(t testing.TB) string {
	if d := os.Getenv("STAGECRAFT_TEST_CACHE"); d != "" {
		return d
	}
	return t.TempDir()
}

// startDaemon starts a second private buildkitd (bin/buildkitd, as `make buildkitd` builds it)
// on its own socket and root, and returns its address and a func that kills it at once, as a
// crashed worker would die. The daemon is stopped and its root removed when the test ends.
func startDaemon(t testing.TB) (string, func()) {
	return startDaemonOn(t, "", nil)
}

// daemonTLS is the server side of mTLS for a tcp:// daemon.
type daemonTLS struct{ CA, Cert, Key string }

// startDaemonOn is startDaemon listening on tcpAddr ("127.0.0.1:port") with mTLS when given,
// else on a unix socket.
func startDaemonOn(t testing.TB, tcpAddr string, tls *daemonTLS) (string, func()) {
	t.Helper()
	bin, err := filepath.Abs(filepath.Join("..", "bin", "buildkitd"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(bin); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no %s: run `make buildkitd`", bin)
		}
		t.Skipf("no %s: run `make buildkitd` (make test does) to run this test", bin)
	}
	if os.Geteuid() != 0 {
		t.Skip("a private buildkitd needs root")
	}
	// A short path: a unix socket's path is limited to about 100 bytes.
	dir, err := os.MkdirTemp("", "sc-bk-")
	if err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(dir, "buildkitd.sock")
	addr := "unix://" + sock
	grpc := fmt.Sprintf("[grpc]\n  address = [%q]\n", addr)
	if tcpAddr != "" {
		addr = "tcp://" + tcpAddr
		grpc = fmt.Sprintf("[grpc]\n  address = [%q]\n[grpc.tls]\n  cert = %q\n  key = %q\n  ca = %q\n", addr, tls.Cert, tls.Key, tls.CA)
	}
	cfg := fmt.Sprintf(`root = %q
%s[worker.oci]
  enabled = true
  snapshotter = "overlayfs"
  gc = true
  gckeepstorage = "10GB"
[worker.containerd]
  enabled = false
[frontend."gateway.v0"]
  enabled = false
`, filepath.Join(dir, "root"), grpc)
	if err := os.WriteFile(filepath.Join(dir, "buildkitd.toml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	logf, err := os.Create(filepath.Join(dir, "buildkitd.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--config", filepath.Join(dir, "buildkitd.toml"))
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	var once sync.Once
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	kill := func() {
		once.Do(func() {
			cmd.Process.Signal(syscall.SIGKILL)
			<-exited
		})
	}
	t.Cleanup(func() {
		kill()
		logf.Close()
		exec.Command("umount", "-R", filepath.Join(dir, "root")).Run()
		os.RemoveAll(dir)
	})
	for range 100 {
		if tcpAddr != "" {
			if c, err := net.DialTimeout("tcp", tcpAddr, time.Second); err == nil {
				c.Close()
				return addr, kill
			}
		} else if st, err := os.Stat(sock); err == nil && st.Mode()&fs.ModeSocket != 0 {
			return addr, kill
		}
		time.Sleep(100 * time.Millisecond)
	}
	log, _ := os.ReadFile(filepath.Join(dir, "buildkitd.log"))
	t.Fatalf("the second buildkitd did not start:\n%s", log)
	return "", nil
}

// testBackend is a sandbox on addr with the offline catalog, as the CLI wires it.
func testBackend(t testing.TB, addr, cache string, timeout time.Duration) *SandboxBackend {
	t.Helper()
	pol := sandbox.DefaultPolicy()
	if timeout > 0 {
		pol.Timeout = timeout
	}
	sb := &sandbox.Sandbox{Endpoint: &sandbox.AddrEndpoint{Addr: addr}, Policy: pol, StoreDir: filepath.Join(t.TempDir(), "store"),
		Contexts: &sandbox.CatalogResolver{Catalog: catalog.Open(filepath.Join(cache, "catalog"))}}
	t.Cleanup(func() { sb.Close() })
	return &SandboxBackend{Sandbox: sb, WarmTimeout: sandbox.DefaultPolicy().Timeout}
}

// examplePlan is the plan of docs/example-course's keep-the-artifact: busybox only, so a cold
// daemon grades it in seconds.
func examplePlan(t testing.TB) check.Plan {
	t.Helper()
	dir, _ := filepath.Abs(filepath.Join("..", "docs", "example-course"))
	return coursePlan(t, dir, "keep-the-artifact")
}

// coursePlan turns an exercise of a course folder into a plan, as the CLI does.
func coursePlan(t testing.TB, dir, id string) check.Plan {
	t.Helper()
	course, err := lessons.Load(os.DirFS(dir))
	if err != nil {
		t.Fatalf("loading %s: %v", dir, err)
	}
	ex := course.Exercise(id)
	if ex == nil {
		t.Fatalf("%s has no exercise %s", dir, id)
	}
	checks, err := ex.Checks()
	if err != nil {
		t.Fatal(err)
	}
	starter, err := fs.ReadFile(course.FS, ex.Starter)
	if err != nil {
		t.Fatal(err)
	}
	solution, err := fs.ReadFile(course.FS, ex.Solution)
	if err != nil {
		t.Fatal(err)
	}
	return check.Plan{Exercise: ex.ID, Checks: checks, Starter: starter, Reference: solution,
		ContextDir: filepath.Join(dir, filepath.FromSlash(ex.Context))}
}

// artifactClass is n distinct passing submissions of keep-the-artifact.
func artifactClass(n int) []Student {
	var out []Student
	for i := range n {
		df := fmt.Sprintf("FROM busybox AS build\nRUN dd if=/dev/zero of=/scratch.bin bs=1M count=20\nRUN mkdir /out\n"+
			"COPY greeting.txt /out/greeting.txt\n\nFROM busybox\nLABEL student=\"s%02d\"\nCOPY --from=build /out/greeting.txt /greeting.txt\n"+
			"CMD [\"cat\", \"/greeting.txt\"]\n", i)
		id := fmt.Sprintf("s%02d", i)
		out = append(out, Student{ID: id, File: "Dockerfile", Dockerfile: []byte(df), Hash: id})
	}
	return out
}

// TestTwoDaemons spreads a class over two daemons and kills the second in the middle of a
// check, once it has graded some: the interrupted check and everything left move to the first
// daemon; every student is graded exactly once, and alike wherever they were graded.
func TestTwoDaemons(t *testing.T) {
	first := testDaemon(t)
	second, kill := startDaemon(t)
	cache := testCache(t)
	plan := examplePlan(t)
	class := artifactClass(16)
	a, b := testBackend(t, first, cache, 0), testBackend(t, second, cache, 0)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	// A pool of workers is warm before the class comes in: the fresh daemon imports the
	// catalog's busybox now, not while the first one races through the class.
	if err := b.Warm(ctx, plan); err != nil {
		t.Fatalf("warming the second daemon: %v", err)
	}

	var mu sync.Mutex
	calls := map[string]int{}
	byWorker := map[string]int{}
	var logs []string
	dying := &killer{Backend: b, kill: kill, ready: func() bool { mu.Lock(); defer mu.Unlock(); return byWorker[second] > 0 }}
	out, err := Grade(ctx, class, Options{Plan: plan, Backends: []Backend{a, dying}, Jobs: 4,
		Logf: func(f string, args ...any) { mu.Lock(); logs = append(logs, fmt.Sprintf(f, args...)); mu.Unlock() },
		OnResult: func(r Result) {
			mu.Lock()
			defer mu.Unlock()
			calls[r.Student]++
			if r.Status == StatusGraded {
				byWorker[r.Worker]++
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	if !dying.killed() {
		t.Fatalf("the second daemon was never killed: it graded %d (by worker: %v)", byWorker[second], byWorker)
	}
	t.Logf("graded by worker: %v; workers: %+v; logs: %q", byWorker, out.Workers, logs)
	m := byStudent(t, class, out.Results)
	ref := m[class[0].ID]
	moved := 0
	for _, s := range class {
		r := m[s.ID]
		if calls[s.ID] != 1 {
			t.Errorf("%s reported %d times", s.ID, calls[s.ID])
		}
		if r.Status != StatusGraded || !r.Report.Gradable {
			t.Errorf("%s: %s (%s), want graded", s.ID, r.Status, r.Error)
			continue
		}
		if r.Score != ref.Score || !slices.Equal(checkStatuses(r.Report), checkStatuses(ref.Report)) {
			t.Errorf("%s on %s: %s %v; %s on %s: %s %v — the same submission must get the same verdict anywhere",
				s.ID, r.Worker, r.Score, checkStatuses(r.Report), ref.Student, ref.Worker, ref.Score, checkStatuses(ref.Report))
		}
		if r.Attempts == 2 {
			moved++
			if r.Worker != first {
				t.Errorf("%s: retried on %s, want the first daemon", s.ID, r.Worker)
			}
		}
	}
	if byWorker[second] == 0 || byWorker[first] == 0 || byWorker[first]+byWorker[second] != len(class) {
		t.Errorf("graded by worker %v: want both, %d in all", byWorker, len(class))
	}
	if moved == 0 || out.Workers[1].Faults == 0 {
		t.Errorf("no check was interrupted and moved (faults on the second: %d)", out.Workers[1].Faults)
	}
	if out.Workers[1].Down == "" || out.Workers[0].Down != "" {
		t.Errorf("workers %+v: want the second down, the first up", out.Workers)
	}
	if len(logs) != 1 || !strings.Contains(logs[0], second) {
		t.Errorf("logs %q: want the second daemon reported down, once", logs)
	}
}

// killer kills its daemon half a second into the first check it starts once ready says so:
// the daemon dies with a build running.
type killer struct {
	Backend
	kill  func()
	ready func() bool

	once sync.Once
	done atomic.Bool
}

func (k *killer) Check(ctx context.Context, plan check.Plan, sub check.Submission) (*check.Report, error) {
	if k.ready() {
		k.once.Do(func() {
			time.AfterFunc(500*time.Millisecond, func() { k.kill(); k.done.Store(true) })
		})
	}
	return k.Backend.Check(ctx, plan, sub)
}

func (k *killer) killed() bool { return k.done.Load() }

func checkStatuses(rep *check.Report) []string {
	var out []string
	for _, c := range rep.Checks {
		out = append(out, c.ID+"="+c.Status)
	}
	return out
}

// TestWarmBackendReportsLikeCheck: once warm, a backend skips the reference's build in each
// check and fills in the image warm-up read; the report is the one check.Run writes.
func TestWarmBackendReportsLikeCheck(t *testing.T) {
	addr := testDaemon(t)
	plan := examplePlan(t)
	be := testBackend(t, addr, testCache(t), 0)
	ctx := context.Background()
	sub := submissionOf(artifactClass(1)[0])
	want, err := check.Run(ctx, be.Sandbox, plan, sub, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := be.Warm(ctx, plan); err != nil {
		t.Fatal(err)
	}
	got, err := be.Check(ctx, plan, sub)
	if err != nil {
		t.Fatal(err)
	}
	if want.Reference == nil || got.Reference == nil || got.Reference.Digest != want.Reference.Digest || got.Reference.SizeBytes != want.Reference.SizeBytes {
		t.Errorf("reference %+v, want %+v", got.Reference, want.Reference)
	}
	if got.Score != want.Score || !slices.Equal(checkStatuses(got), checkStatuses(want)) || got.Image.Digest != want.Image.Digest {
		t.Errorf("warm report %s %v, want %s %v", got.Score, checkStatuses(got), want.Score, checkStatuses(want))
	}
	// A submission that does not build gets no reference, as from Check.
	broken := check.Submission{Dockerfile: []byte("FROM busybox\nRUN exit 3\n"), Filename: "Dockerfile"}
	if rep, err := be.Check(ctx, plan, broken); err != nil || rep.Reference != nil {
		t.Errorf("a failed build: reference %+v, err %v", rep.Reference, err)
	}
}

// TestTCPWorkerWithMTLS grades on a tcp:// daemon that requires mTLS, with certificates from
// deploy/certs/gen-certs.sh, as a BuildKit pod is reached: with the client certificate the class
// is graded; without it, the daemon is an environment fault, never a grade.
func TestTCPWorkerWithMTLS(t *testing.T) {
	testDaemon(t) // the catalog's daemon; and `make test` is what runs this
	certs := t.TempDir()
	gen := exec.Command(filepath.Join("..", "deploy", "certs", "gen-certs.sh"), certs, "localhost", "127.0.0.1")
	if out, err := gen.CombinedOutput(); err != nil {
		t.Fatalf("gen-certs.sh: %v\n%s", err, out)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hostport := l.Addr().String()
	l.Close()
	addr, _ := startDaemonOn(t, hostport, &daemonTLS{CA: filepath.Join(certs, "daemon", "ca.pem"),
		Cert: filepath.Join(certs, "daemon", "cert.pem"), Key: filepath.Join(certs, "daemon", "key.pem")})
	plan := examplePlan(t)
	class := artifactClass(3)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	be := testBackend(t, addr, testCache(t), 0)
	be.Sandbox.Endpoint = &sandbox.AddrEndpoint{Addr: addr, TLS: sandbox.TLS{CACert: filepath.Join(certs, "client", "ca.pem"),
		Cert: filepath.Join(certs, "client", "cert.pem"), Key: filepath.Join(certs, "client", "key.pem")}}
	out, err := Grade(ctx, class, Options{Plan: plan, Backends: []Backend{be}, Jobs: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range out.Results {
		if r.Status != StatusGraded || r.Worker != addr {
			t.Errorf("%s: %s on %s (%s), want graded on %s", r.Student, r.Status, r.Worker, r.Error, addr)
		}
	}

	anon := testBackend(t, addr, testCache(t), 0)
	anon.Sandbox.Endpoint = &sandbox.AddrEndpoint{Addr: addr, TLS: sandbox.TLS{CACert: filepath.Join(certs, "client", "ca.pem")}}
	out, err = Grade(ctx, class[:1], Options{Plan: plan, Backends: []Backend{anon}, Jobs: 1})
	if err != nil {
		t.Fatal(err)
	}
	if r := out.Results[0]; r.Status != StatusNotGraded || r.Score != 0 {
		t.Errorf("without a client certificate: %s %s, want not graded", r.Status, r.Score)
	}
}
