package catalog

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// cacheMtime is the mtime of every file in the shipped Go build cache: far in the future, so
// the go command never "marks an entry used" (a chtime that would copy each .a file up into the
// learner's layer) and its trim, which deletes entries unused for five days, never removes them.
// It is fixed, so the layer is reproducible.
func cacheMtime() time.Time { return time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC) }

// trimpathWarm are the packages warmed for -trimpath builds as well (all of std would double
// the cache): what small web services import.
func trimpathWarm() []string {
	return []string{"net/http", "encoding/json", "log/slog", "os/signal", "flag", "html/template", "embed"}
}

// crossArch is the GOARCH the golang image's cache is warmed for besides its own: arm64 on an
// amd64 machine, amd64 on any other.
func crossArch() string {
	if runtime.GOARCH == "amd64" {
		return "arm64"
	}
	return "amd64"
}

// crossWarm are the packages warmed for crossArch: a command-line program's.
func crossWarm() []string { return []string{"fmt", "flag", "os", "runtime/debug"} }

// helloMain is the program whose build warms the cache past std: a net/http server is what
// the course's first exercises build.
const helloMain = `package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "hello") })
	log.Fatal(http.ListenAndServe(":"+os.Getenv("PORT"), nil))
}
`

// warmGoCache builds std and a net/http program with a fresh GOCACHE, in the configuration of a
// build inside the golang image: cgo off (the image has no C compiler, so go turns cgo off),
// GOAMD64, GOFLAGS and GOEXPERIMENT at their defaults whatever the host's environment says.
// GOROOT is the host's: the compiler hides GOROOT from standard-library cache keys, so the
// entries hit at /usr/local/go in the image (TestGoCacheHitsWithPrunedToolchain checks this with
// the image's toolchain at yet another path). -trimpath builds have keys of their own; the
// packages small web services use are warmed that way too, as production Dockerfiles often
// build with -trimpath.
func warmGoCache(ctx context.Context, in inputs, work string) (string, error) {
	cache := filepath.Join(work, "gocache")
	mod := filepath.Join(work, "hello")
	for _, d := range []string{cache, mod} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return "", err
		}
	}
	if err := os.WriteFile(filepath.Join(mod, "main.go"), []byte(helloMain), 0o644); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module example.com/hello\n\ngo 1.22\n"), 0o644); err != nil {
		return "", err
	}
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + work,
		"GOENV=off", // the user's `go env -w` settings are not the image's
		"GOCACHE=" + cache,
		"GOROOT=" + in.goroot,
		"GOPATH=" + filepath.Join(work, "gopath"),
		"GOMODCACHE=" + filepath.Join(work, "gopath", "pkg", "mod"),
		"CGO_ENABLED=0",
		"GOTOOLCHAIN=local",
		"GOPROXY=off",
		"GOWORK=off",
		"GO111MODULE=on",
		"GOTELEMETRY=off",
	}
	runEnv := func(extra []string, args ...string) error {
		cmd := exec.CommandContext(ctx, in.goBin, args...)
		cmd.Dir = mod
		cmd.Env = append(append([]string{}, env...), extra...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, out.Bytes())
		}
		return nil
	}
	run := func(args ...string) error { return runEnv(nil, args...) }
	// Packages only: their cache entries depend on nothing but the toolchain and the flags.
	if err := run("build", "std"); err != nil {
		return "", err
	}
	if err := run(append([]string{"build", "-trimpath"}, trimpathWarm()...)...); err != nil {
		return "", err
	}
	// A cross-compile for the other common server architecture (the golang image's own
	// programs run only here, so its build stage runs here and targets the other): what a
	// small program imports, both ways, so that a first cross build does not compile the
	// runtime. Measured on the shared 2-core machine: the cross-compile exercise's eight
	// Dockerfiles took 9m20s with a cold cache (the reference hit the 5-minute limit) and 23 s
	// with this warm one.
	cross := []string{"GOARCH=" + crossArch()}
	if err := runEnv(cross, append([]string{"build"}, crossWarm()...)...); err != nil {
		return "", err
	}
	if err := runEnv(cross, append([]string{"build", "-trimpath"}, crossWarm()...)...); err != nil {
		return "", err
	}
	// Position-independent executables compile every package again (-shared): the same
	// packages for -buildmode=pie -trimpath, as the libc-runtime exercise builds (on the
	// shared machine its seven Dockerfiles took 7m29s without them, the starter 316 s, and
	// 40 s with them; they add 33 MiB to the image).
	if err := run(append([]string{"build", "-buildmode=pie", "-trimpath"}, crossWarm()...)...); err != nil {
		return "", err
	}
	// Then the program, both ways, to prove it links. What that adds to the cache is keyed by
	// the program itself (and, without -trimpath, by its temp dir): useless to a learner's
	// build and different on every catalog build, so it is dropped to keep the layer
	// reproducible.
	before, err := cacheEntries(cache)
	if err != nil {
		return "", err
	}
	bin := filepath.Join(work, "hello.bin")
	if err := run("build", "-o", bin, "."); err != nil {
		return "", err
	}
	if err := run("build", "-trimpath", "-o", bin, "."); err != nil {
		return "", err
	}
	after, err := cacheEntries(cache)
	if err != nil {
		return "", err
	}
	for p := range after {
		if !before[p] {
			if err := os.RemoveAll(p); err != nil {
				return "", err
			}
		}
	}
	if err := normalizeGoCache(cache); err != nil {
		return "", err
	}
	return cache, nil
}

// cacheEntries lists the cache's entries: "<hash>-a" (action) and "<hash>-d" (output) files,
// and directories (cached executables).
func cacheEntries(dir string) (map[string]bool, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "[0-9a-f][0-9a-f]", "*"))
	if err != nil {
		return nil, err
	}
	set := make(map[string]bool, len(paths))
	for _, p := range paths {
		set[p] = true
	}
	return set, nil
}

// normalizeGoCache makes the cache reproducible: each action entry ("-a" file) records when it
// was written, which we fix; trim.txt records the last trim, which we drop (go writes it anew).
func normalizeGoCache(dir string) error {
	os.Remove(filepath.Join(dir, "trim.txt"))
	stamp := fmt.Sprintf("%20d", cacheMtime().UnixNano())
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, "-a") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		// "v1 <action> <output> <size:20> <time:20>\n"; anything else is left alone.
		if len(b) < 22 || !bytes.HasPrefix(b, []byte("v1 ")) || b[len(b)-1] != '\n' || b[len(b)-22] != ' ' {
			return nil
		}
		copy(b[len(b)-21:len(b)-1], stamp)
		return os.WriteFile(p, b, 0o644)
	})
}
