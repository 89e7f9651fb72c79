package grade

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stagecraft/stagecraft/content"
	"github.com/stagecraft/stagecraft/sandbox/check"
)

// BenchmarkClass grades 30 distinct but similar go-multistage submissions on one warm daemon
// three ways: one by one through check.Run in a loop (what a script running `stagecraft
// check` per student does), and with Grade at --jobs 1 and --jobs 4 (each Grade run includes
// its warm-up). Each round's submissions are new to the daemon (a label carries the round), so
// every one is built, exported, read and run; what the daemon has cached is the same for all:
// the catalog, the build stage, the starter and the reference.
//
// The three run back to back in every iteration, in a rotating order, so that they share the
// machine's conditions (CI machines are shared); the metrics are seconds per submission and
// the speed-up of --jobs 4 over the loop.
//
//	scripts/with-buildkitd.sh go test -run '^$' -bench BenchmarkClass -benchtime 3x ./grade/
func BenchmarkClass(b *testing.B) {
	addr := testDaemon(b)
	cache := testCache(b)
	plan := coursePlan(b, embeddedGoMultistage(b), "go-multistage")
	be := testBackend(b, addr, cache, 0)
	ctx := context.Background()
	var round atomic.Int64
	class := func() []Student { return goClass(30, int(round.Add(1))) }

	// Warm: the catalog in the daemon, the starter, the reference and the build stage.
	if err := be.Warm(ctx, plan); err != nil {
		b.Fatal(err)
	}
	for _, st := range class()[:2] {
		if _, err := check.Run(ctx, be.Sandbox, plan, submissionOf(st), nil); err != nil {
			b.Fatal(err)
		}
	}

	loop := func(sts []Student) {
		for _, st := range sts {
			rep, err := check.Run(ctx, be.Sandbox, plan, submissionOf(st), nil)
			if err != nil || !rep.Passed {
				b.Fatalf("%s: %v %+v", st.ID, err, rep)
			}
		}
	}
	grade := func(jobs int) func([]Student) {
		return func(sts []Student) {
			// A new backend on the same sandbox (the same cache dir, as the CLI's), warmed by
			// Grade as each `stagecraft grade` run does.
			fresh := &SandboxBackend{Sandbox: be.Sandbox, WarmTimeout: be.WarmTimeout}
			out, err := Grade(ctx, sts, Options{Plan: plan, Backends: []Backend{fresh}, Jobs: jobs})
			if err != nil {
				b.Fatal(err)
			}
			for _, r := range out.Results {
				if !r.Passed {
					b.Fatalf("%s: %s %s", r.Student, r.Status, Note(&r))
				}
			}
		}
	}
	ways := []struct {
		name string
		run  func([]Student)
	}{{"loop", loop}, {"jobs1", grade(1)}, {"jobs4", grade(4)}}
	spent := make([]time.Duration, len(ways))
	n, it := 0, 0
	for b.Loop() {
		for k := range ways {
			w := (k + it) % len(ways)
			sts := class()
			start := time.Now()
			ways[w].run(sts)
			spent[w] += time.Since(start)
		}
		n += 30
		it++
	}
	for w, way := range ways {
		b.ReportMetric(spent[w].Seconds()/float64(n), way.name+"-s/submission")
	}
	b.ReportMetric(spent[0].Seconds()/spent[2].Seconds(), "speedup-jobs4-vs-loop")
}

// goClass is n passing go-multistage submissions that differ in their final stage (base,
// path, user, label); round makes them new to the daemon.
func goClass(n, round int) []Student {
	bases := []string{"scratch", "gcr.io/distroless/static", "gcr.io/distroless/static-debian12:nonroot", "busybox"}
	paths := []string{"/hello", "/app/hello", "/usr/local/bin/hello", "/srv/hello", "/opt/hello/hello"}
	var out []Student
	for i := range n {
		base, p := bases[i%len(bases)], paths[(i/len(bases))%len(paths)]
		user := ""
		if i%3 == 0 {
			user = "USER 65534\n"
		}
		df := fmt.Sprintf(`FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY *.go ./
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/hello .

FROM %s
LABEL student="s%02d" round="%d"
COPY --from=build /out/hello %s
%sENTRYPOINT ["%s"]
`, base, i, round, p, user, p)
		id := fmt.Sprintf("s%02d", i)
		out = append(out, Student{ID: id, File: "Dockerfile", Dockerfile: []byte(df), Hash: id})
	}
	return out
}

// embeddedGoMultistage writes the embedded course's go-multistage into a course folder, with
// its context's _go.mod under its real name (go:embed cannot hold a go.mod).
func embeddedGoMultistage(b testing.TB) string {
	b.Helper()
	dir := filepath.Join(b.TempDir(), "course")
	files := map[string]string{
		"course.yaml": "title: Bench\nmodules:\n  - id: basics\n    title: Basics\n",
		"lessons/01-stages.md": "---\nid: stages-and-copy-from\ntitle: Stages\nmodule: basics\norder: 1\nminutes: 1\n" +
			"objectives:\n  - Copy one file out of a build stage\nexercises: [go-multistage]\n---\n\n# Stages\n",
	}
	for name, text := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	err := fs.WalkDir(content.FS(), "exercises/go-multistage", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(content.FS(), p)
		if err != nil {
			return err
		}
		if path.Base(p) == "_go.mod" {
			p = path.Join(path.Dir(p), "go.mod")
		}
		target := filepath.Join(dir, filepath.FromSlash(p))
		os.MkdirAll(filepath.Dir(target), 0o755)
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		b.Fatal(err)
	}
	return dir
}

func submissionOf(st Student) check.Submission {
	return check.Submission{Dockerfile: st.Dockerfile, Filename: "Dockerfile"}
}
