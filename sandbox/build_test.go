package sandbox

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/moby/buildkit/client"
)

func TestBuildScratchAndSecondBuildCached(t *testing.T) {
	sb := testSandbox(t)
	ctx := context.Background()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "hello.txt"), []byte("hello "+t.Name()), 0o644); err != nil {
		t.Fatal(err)
	}
	df := []byte("FROM scratch AS base\nCOPY hello.txt /hello.txt\n\nFROM base\nCOPY --from=base /hello.txt /again.txt\n")
	status := make(chan *client.SolveStatus)
	var seen int
	go func() {
		for range status {
			seen++
		}
	}()
	res, err := sb.Build(ctx, Request{Dockerfile: df, ContextDir: dir, Export: true, Status: status})
	if err != nil {
		t.Fatal(err)
	}
	if res.Failure != nil {
		t.Fatalf("build failed: %+v", res.Failure)
	}
	if res.Manifest == "" {
		t.Fatal("no manifest digest from the OCI export")
	}
	if res.TotalSteps < 2 {
		t.Fatalf("TotalSteps = %d, want at least the two COPY steps: %+v", res.TotalSteps, res.Steps)
	}
	if seen == 0 {
		t.Fatal("no status messages reached the Status channel")
	}
	if _, err := os.Stat(filepath.Join(sb.ImagesDir(), "blobs", "sha256", res.Manifest.Encoded())); err != nil {
		t.Fatalf("manifest blob not in the export store: %v", err)
	}

	again, err := sb.Build(ctx, Request{Dockerfile: df, ContextDir: dir, Export: true})
	if err != nil || again.Failure != nil {
		t.Fatalf("second build: %v %+v", err, again.Failure)
	}
	if again.CachedSteps != again.TotalSteps {
		for _, s := range again.Steps {
			t.Logf("step %q cached=%v internal=%v", s.Name, s.Cached, s.Internal)
		}
		t.Fatalf("second build: %d of %d steps cached, want all", again.CachedSteps, again.TotalSteps)
	}
	if again.Manifest != res.Manifest {
		t.Fatalf("same input gave a different image: %s vs %s", again.Manifest, res.Manifest)
	}
}

func TestBuildRefusesInputBeforeBuilding(t *testing.T) {
	// No daemon needed: these never reach BuildKit. An endpoint that cannot connect proves it.
	sb := &Sandbox{Endpoint: &AddrEndpoint{Addr: "unix:///nonexistent/buildkitd.sock"}, Policy: DefaultPolicy()}
	ctx := context.Background()

	big := []byte("FROM scratch\n" + strings.Repeat("# padding line for a huge Dockerfile\n", 2<<20/37))
	if _, err := sb.Build(ctx, Request{Dockerfile: big}); err == nil || !strings.Contains(err.Error(), "limit is 1 MiB") {
		t.Fatalf("2 MiB Dockerfile: got %v, want a limit error", err)
	}

	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "big.bin"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(3 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	small := &Sandbox{Endpoint: sb.Endpoint, Policy: DefaultPolicy()}
	small.Policy.MaxContextBytes = 1 << 20
	_, err = small.Build(ctx, Request{Dockerfile: []byte("FROM scratch\nCOPY . /\n"), ContextDir: dir})
	var le *LimitError
	if err == nil || !asLimit(err, &le) || le.What != "build context" || !strings.Contains(err.Error(), "build context is more than 1 MiB") {
		t.Fatalf("over-limit context: got %v, want a build-context LimitError", err)
	}
	// The same context passes once .dockerignore leaves the big file out.
	if err := os.WriteFile(filepath.Join(dir, ".dockerignore"), []byte("*.bin\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if n, err := ContextSize(dir, 1<<20); err != nil || n > 100 {
		t.Fatalf("ContextSize with .dockerignore = %d, %v; want the big file ignored", n, err)
	}

	for name, src := range map[string]string{
		"empty":  "",
		"binary": "\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00junk\x00\x00",
		"parse":  "FROM scratch\nCOPY\n",
	} {
		res, err := sb.Build(ctx, Request{Dockerfile: []byte(src), Filename: "Dockerfile." + name})
		if err != nil {
			t.Fatalf("%s: got error %v, want a Failure result", name, err)
		}
		if res.Failure == nil || res.Failure.Kind != "syntax" {
			t.Fatalf("%s: got %+v, want a syntax failure", name, res.Failure)
		}
		if name == "parse" && res.Failure.Line != 2 {
			t.Fatalf("parse error on line %d, want 2: %s", res.Failure.Line, res.Failure.Message)
		}
	}

	res, err := sb.Build(ctx, Request{Dockerfile: []byte("# syntax=example.com/frontend:1\nFROM scratch\n")})
	if err != nil || res.Failure == nil || res.Failure.Kind != "frontend" {
		t.Fatalf("# syntax= directive: got %v %+v, want a frontend refusal", err, res)
	}
}

func asLimit(err error, le **LimitError) bool {
	e, ok := err.(*LimitError)
	if ok {
		*le = e
	}
	return ok
}
