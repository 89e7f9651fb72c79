package catalog

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// cacheMtime is the mtime of every file in the shipped Go build cache: far in the future, so
// the go command never "marks an entry used" (a chtime that would copy each .a file up into the
// learner's layer) and its trim, which deletes entries unused for five days, never removes them.
// It is fixed, so the layer is reproducible.
func cacheMtime() time.Time { return time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC) }

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
// build inside the golang image: GOROOT as in the image (the compiler hides GOROOT from
// standard-library cache keys anyway), cgo off (the image has no C compiler, so go turns cgo
// off), GOAMD64 and GOFLAGS at their defaults whatever the host's environment says. Builds
// with -trimpath have their own cache keys; the net/http program is built both ways because
// production Dockerfiles often use it.
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
	runs := [][]string{
		{"build", "std"},
		{"build", "-o", filepath.Join(work, "hello.bin"), "."},
		{"build", "-trimpath", "-o", filepath.Join(work, "hello.bin"), "."},
	}
	for _, args := range runs {
		cmd := exec.CommandContext(ctx, in.goBin, args...)
		cmd.Dir = mod
		cmd.Env = env
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			if ctx.Err() != nil {
				return "", ctx.Err()
			}
			return "", fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, out.Bytes())
		}
	}
	if err := normalizeGoCache(cache); err != nil {
		return "", err
	}
	return cache, nil
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
