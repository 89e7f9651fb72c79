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
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dir := b.TempDir()
		nodeContext(b, dir, fmt.Sprint(time.Now().UnixNano(), i))
		b.StartTimer()
		res, err := sb.Build(ctx, Request{Dockerfile: []byte(multiStageNode), ContextDir: dir, Export: true})
		if err != nil || res.Failure != nil {
			b.Fatalf("%v %+v", err, res)
		}
	}
}
