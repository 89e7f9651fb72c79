package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// BenchmarkQuizPlainFirstQuestion measures `stagecraft quiz --plain` in process, from runQuiz
// to the first question printed and its prompt flushed (ms-first-question), on the embedded
// course with the question bank cached (as from the second run on), on a store that exists and
// on a new one. ns/op is the whole run: the first question, q, saving, the summary.
func BenchmarkQuizPlainFirstQuestion(b *testing.B) {
	for _, fresh := range []bool{false, true} {
		name := "existing-store"
		if fresh {
			name = "new-store"
		}
		b.Run(name, func(b *testing.B) {
			dir, cache := b.TempDir(), b.TempDir()
			var first time.Duration
			for i := range b.N {
				db := filepath.Join(dir, "progress.db")
				if fresh {
					db = filepath.Join(dir, fmt.Sprintf("p%d.db", i))
				}
				out := &bytes.Buffer{}
				g := &globalOptions{DB: db, Learner: "bench", In: strings.NewReader("q\n"), Out: out, Err: out}
				start := time.Now()
				f := newFactory(g)
				f.CacheDir = func() (string, error) { return cache, nil }
				o := newQuizOptions(f)
				o.Plain, o.Ready = true, func() { first += time.Since(start) }
				if err := runQuiz(context.Background(), o); err != nil {
					b.Fatal(err)
				}
				f.Close()
			}
			b.ReportMetric(float64(first.Microseconds())/1000/float64(b.N), "ms-first-question")
		})
	}
}

// BenchmarkQuizBinaryFirstQuestion measures the built binary: process start to the first
// question's prompt read from its stdout pipe (ms-first-question), with an existing store.
func BenchmarkQuizBinaryFirstQuestion(b *testing.B) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		b.Skip("no go tool to build the binary")
	}
	dir := b.TempDir()
	bin := filepath.Join(dir, "stagecraft")
	if out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("building: %v\n%s", err, out)
	}
	db := filepath.Join(dir, "progress.db")
	runOnce := func() time.Duration {
		cmd := exec.Command(bin, "quiz", "--plain", "--db", db, "--learner", "bench")
		cmd.Env = append(os.Environ(), "STAGECRAFT_CACHE="+filepath.Join(dir, "cache"))
		stdin, _ := cmd.StdinPipe()
		stdout, _ := cmd.StdoutPipe()
		start := time.Now()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		var seen []byte
		buf := make([]byte, 64<<10)
		var took time.Duration
		for {
			n, err := stdout.Read(buf)
			seen = append(seen, buf[:n]...)
			if bytes.Contains(seen, []byte("\n> ")) {
				took = time.Since(start)
				break
			}
			if err != nil {
				b.Fatalf("no question before %v:\n%s", err, seen)
			}
		}
		io.WriteString(stdin, "q\n")
		stdin.Close()
		io.Copy(io.Discard, stdout)
		if err := cmd.Wait(); err != nil {
			b.Fatal(err)
		}
		return took
	}
	runOnce() // create the store and the question bank cache, as a learner's first run does
	b.Run("quiz-plain", func(b *testing.B) {
		var total time.Duration
		for range b.N {
			total += runOnce()
		}
		b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms-first-question")
	})
	// The floor: the same binary doing nothing (--version), start to exit. What the binary's
	// package initialisation costs is in both figures.
	b.Run("version-floor", func(b *testing.B) {
		var total time.Duration
		for range b.N {
			start := time.Now()
			if out, err := exec.Command(bin, "--version").CombinedOutput(); err != nil {
				b.Fatalf("%v: %s", err, out)
			}
			total += time.Since(start)
		}
		b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms-to-exit")
	})
}
