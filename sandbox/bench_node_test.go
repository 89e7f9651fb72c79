package sandbox

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// multiStageNode is the node-multistage exercise's answer in its usual form: npm ci (with
// TypeScript), tsc, a pruned node_modules, a distroless-like runtime.
const multiStageNode = `FROM node:20-alpine AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM gcr.io/distroless/nodejs20-debian12
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
CMD ["dist/server.js"]
`

// nodeContext copies the node-multistage exercise's context into dir, with package.json and
// the sources made unique, so that every step (npm ci included) runs as for a never-seen
// submission.
func nodeContext(b *testing.B, dir, id string) {
	b.Helper()
	src := filepath.Join("..", "content", "exercises", "node-multistage", "context")
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		b.Fatal(err)
	}
	pj := filepath.Join(dir, "package.json")
	data, err := os.ReadFile(pj)
	if err != nil {
		b.Fatal(err)
	}
	data = []byte(strings.Replace(string(data), `"private": true,`, fmt.Sprintf(`"private": true, "buildID": %q,`, id), 1))
	if err := os.WriteFile(pj, data, 0o644); err != nil {
		b.Fatal(err)
	}
	f, err := os.OpenFile(filepath.Join(dir, "src", "quotes.ts"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	fmt.Fprintf(f, "\nexport const buildID = %q;\n", id)
	f.Close()
}

// BenchmarkFirstBuildNode is BenchmarkFirstBuild for Node.js: a never-seen multi-stage
// TypeScript service each iteration (npm ci from the catalog's offline cache, tsc, prune,
// export), with the catalog built and its images loaded. Run it with BenchmarkFirstBuild in
// the same run to compare: -bench 'FirstBuild(Node)?$'.
func BenchmarkFirstBuildNode(b *testing.B) {
	sb := testCatalogSandbox(b)
	ctx := context.Background()
	warm := b.TempDir()
	nodeContext(b, warm, "warm")
	if res, err := sb.Build(ctx, Request{Dockerfile: []byte(multiStageNode), ContextDir: warm}); err != nil || res.Failure != nil {
		b.Fatalf("%v %+v", err, res)
	}
	var phases nodePhases
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dir := b.TempDir()
		nodeContext(b, dir, fmt.Sprint(time.Now().UnixNano(), i))
		b.StartTimer()
		start := time.Now()
		res, err := sb.Build(ctx, Request{Dockerfile: []byte(multiStageNode), ContextDir: dir, Export: true})
		if err != nil || res.Failure != nil {
			b.Fatalf("%v %+v", err, res)
		}
		phases.add(res, time.Since(start))
		if i == 0 && testing.Verbose() {
			for _, st := range res.Steps {
				b.Logf("%6.2fs cached=%-5v %s", st.Duration().Seconds(), st.Cached, st.Name)
			}
			b.Logf("%6.2fs total", time.Since(start).Seconds())
		}
	}
	phases.report(b)
}

// nodePhases is where a Node build's time goes, summed over iterations: the RUN steps by what
// they run, the context and the catalog's named contexts, and the rest (solve set-up, the
// copies into the runtime stage, export), so a regression or a cut shows in its phase.
type nodePhases struct {
	npmCI, build, context, other time.Duration
	n                            int
}

func (p *nodePhases) add(res *Result, total time.Duration) {
	p.n++
	var steps time.Duration
	for _, st := range res.Steps {
		d := st.Duration()
		switch {
		case strings.Contains(st.Name, "npm ci"):
			p.npmCI += d
		case strings.Contains(st.Name, "npm run build"):
			p.build += d
		case strings.Contains(st.Name, "load build context") || strings.Contains(st.Name, "load build definition") || strings.Contains(st.Name, "[context "):
			p.context += d
		default:
			continue
		}
		steps += d
	}
	p.other += total - steps
}

func (p *nodePhases) report(b *testing.B) {
	if p.n == 0 {
		return
	}
	per := func(d time.Duration) float64 { return d.Seconds() / float64(p.n) }
	b.ReportMetric(per(p.npmCI), "npm-ci-s/op")
	b.ReportMetric(per(p.build), "tsc+prune-s/op")
	b.ReportMetric(per(p.context), "contexts-s/op")
	b.ReportMetric(per(p.other), "other-s/op")
}
