package catalog

import (
	"slices"
	"strings"
	"testing"

	"github.com/stagecraft/stagecraft/sandbox/image"
)

// The node, nodejs and python images hold what their stand-in descriptions promise, and no
// more of the host than that.
func TestNodeAndPythonImages(t *testing.T) {
	c := fullCatalog(t)
	images := checkLayout(t, c, c.List())
	for _, name := range []string{Node, Nodejs, Python} {
		if images[name] == nil {
			t.Fatalf("no %s image in the catalog", name)
		}
	}

	node := files(t, images[Node])
	for _, p := range []string{nodeBinPath, "/usr/local/bin/npm", "/usr/local/bin/npx", "/usr/local/etc/npmrc", "/usr/bin/env", "/bin/sh", "/lib64/ld-linux-x86-64.so.2", "/home/node", npmCacheDir + "/_cacache", npmCacheDir + "/packages.txt", "/usr/sbin/useradd"} {
		if _, err := node.Lstat(p); err != nil {
			t.Errorf("node: %v", err)
		}
	}
	read := func(fsys interface {
		ReadFile(string, int64) ([]byte, error)
	}, p string) string {
		b, err := fsys.ReadFile(p, 1<<20)
		if err != nil {
			t.Errorf("%s: %v", p, err)
		}
		return string(b)
	}
	if rc := read(node, "/usr/local/etc/npmrc"); !strings.Contains(rc, "offline=true") || !strings.Contains(rc, "cache="+npmCacheDir) {
		t.Errorf("npmrc = %q: npm is not offline on the image's cache", rc)
	}
	if got := strings.Fields(read(node, npmCacheDir+"/packages.txt")); !slices.Equal(got, CachedNpmPackages()) {
		t.Errorf("packages.txt = %v, want the lockfile's %v", got, CachedNpmPackages())
	}
	if pw := read(node, "/etc/passwd"); !strings.Contains(pw, "node:x:1000:1000:") {
		t.Errorf("node: /etc/passwd has no node user (1000):\n%s", pw)
	}
	if f, err := node.Stat("/home/node"); err != nil || f.UID != nodeUID {
		t.Errorf("node: /home/node = %+v, %v; want it owned by 1000", f, err)
	}
	if w := read(node, "/usr/local/bin/npm"); !strings.Contains(w, "ENOTCACHED") || strings.Contains(w, "@NPM_") {
		t.Errorf("node: the npm wrapper is not filled in:\n%s", w)
	}

	nodejs := files(t, images[Nodejs])
	for _, p := range []string{"/nodejs/bin/node", nodeBinPath, "/etc/ssl/certs/ca-certificates.crt"} {
		if _, err := nodejs.Lstat(p); err != nil {
			t.Errorf("nodejs: %v", err)
		}
	}
	for _, p := range []string{"/bin/sh", "/bin/busybox", "/usr/local/bin/npm", "/usr/local/lib/node_modules", npmCacheDir} {
		if _, err := nodejs.Lstat(p); err == nil {
			t.Errorf("nodejs: %s should not be there (no shell, no npm)", p)
		}
	}
	cfg := images[Nodejs].Config
	if cfg.User != "65532" || !slices.Equal(cfg.Entrypoint, []string{"/nodejs/bin/node"}) {
		t.Errorf("nodejs config: user %q, entrypoint %v", cfg.User, cfg.Entrypoint)
	}

	py := files(t, images[Python])
	for _, p := range []string{"/usr/local/bin/python", "/usr/local/bin/python3", "/usr/local/bin/pip", "/bin/sh", pyWheelsDir} {
		if _, err := py.Lstat(p); err != nil {
			t.Errorf("python: %v", err)
		}
	}
	var wheels []string
	var externallyManaged, tests []string
	py.Walk(func(f image.File) error {
		switch {
		case strings.HasPrefix(f.Path, pyWheelsDir+"/"):
			wheels = append(wheels, strings.TrimPrefix(f.Path, pyWheelsDir+"/"))
		case strings.HasSuffix(f.Path, "/EXTERNALLY-MANAGED"):
			externallyManaged = append(externallyManaged, f.Path)
		case strings.Contains(f.Path, "/test/test_") || strings.Contains(f.Path, "/idlelib/"):
			tests = append(tests, f.Path)
		}
		return nil
	})
	for _, w := range []string{"setuptools-", "wheel-"} {
		if !slices.ContainsFunc(wheels, func(s string) bool { return strings.HasPrefix(s, w) && strings.HasSuffix(s, ".whl") }) {
			t.Errorf("python: no %s*.whl in %s (%v): pip cannot build local packages without an index", w, pyWheelsDir, wheels)
		}
	}
	if len(externallyManaged) > 0 {
		t.Errorf("python: %v would make pip refuse to install outside a virtualenv", externallyManaged)
	}
	if len(tests) > 0 {
		t.Errorf("python: %d files of the test suite or IDLE, e.g. %s", len(tests), tests[0])
	}
	env := images[Python].Config.Env
	if !slices.Contains(env, "PIP_NO_INDEX=1") || !slices.Contains(env, "PIP_FIND_LINKS="+pyWheelsDir) {
		t.Errorf("python env %v: pip would look for an index", env)
	}
}

// nodeApp's package.json has no lockfile: npm install must resolve it from the image's cache.
const nodeApp = `{
  "name": "app",
  "version": "1.0.0",
  "private": true,
  "dependencies": {"ms": "^2.1.0"},
  "devDependencies": {"typescript": "5.6.3", "@types/node": "20.17.6"}
}
`

const nodeServer = `const ms = require("ms");
console.log("up for " + ms(90000, { long: true }));
`

const helloPyproject = `[build-system]
requires = ["setuptools", "wheel"]
build-backend = "setuptools.build_meta"

[project]
name = "hello"
version = "1.0.0"

[project.scripts]
hello = "hello:main"

[tool.setuptools]
py-modules = ["hello"]
`

const helloPy = `import sys
def main():
    print("hello from python %d.%d" % sys.version_info[:2])
`

// Node and Python builds as the course's exercises have them, entirely from the catalog and
// with no network: npm install from the image's cache as the node user, TypeScript runs, the
// distroless-like runtime runs the result; a package not in the cache fails and says what is;
// a virtualenv with a local package, built without an index, runs in the slim image as nonroot.
func TestNodeAndPythonOnBuildKit(t *testing.T) {
	buildkitAddr(t)
	c := fullCatalog(t)

	r := solve(t, c, `
FROM node:20-alpine AS build
WORKDIR /home/node/app
RUN chown node:node .
USER node
COPY --chown=node:node package.json ./
RUN npm install && ./node_modules/.bin/tsc --version > tsc-version && npm prune --omit=dev
COPY --chown=node:node server.js ./
RUN node server.js > out

FROM gcr.io/distroless/nodejs20-debian12
WORKDIR /app
COPY --from=build /home/node/app/ ./
CMD ["server.js"]
`, map[string]string{"package.json": nodeApp, "server.js": nodeServer},
		[]string{"node:20-alpine", "gcr.io/distroless/nodejs20-debian12"})
	if r.err != nil {
		t.Fatalf("node build failed: %v\n%s", r.err, r.logs)
	}
	t.Logf("node build took %s, final image %s", r.took, humanBytes(r.image.UnpackedSize()))
	fsys := files(t, r.image)
	read := func(p string) string {
		b, err := fsys.ReadFile(p, 4096)
		if err != nil {
			t.Errorf("%s: %v", p, err)
		}
		return strings.TrimSpace(string(b))
	}
	if v := read("/app/tsc-version"); !strings.Contains(v, "Version 5.6.3") {
		t.Errorf("tsc --version = %q", v)
	}
	if v := read("/app/out"); v != "up for 2 minutes" {
		t.Errorf("node server.js printed %q", v)
	}
	if _, err := fsys.Lstat("/app/node_modules/ms/index.js"); err != nil {
		t.Errorf("production dependency: %v", err)
	}
	if _, err := fsys.Lstat("/app/node_modules/typescript"); err == nil {
		t.Error("npm prune --omit=dev left typescript in node_modules")
	}
	if _, err := fsys.Lstat("/bin/sh"); err == nil {
		t.Error("the distroless-like runtime has a shell")
	}
	if u := r.image.Config.User; u != "65532" {
		t.Errorf("runtime user %q", u)
	}

	r = solve(t, c, "FROM node:20\nWORKDIR /app\nRUN npm install left-pad@1.3.0\n", map[string]string{}, []string{"node:20"})
	if r.err == nil {
		t.Fatal("npm install of a package the cache does not hold succeeded")
	}
	for _, want := range []string{"ENOTCACHED", "offline stand-in", "ms@2.1.3", "typescript@5.6.3"} {
		if !strings.Contains(r.logs, want) {
			t.Errorf("npm's failure does not say %q:\n%s", want, r.logs)
		}
	}

	r = solve(t, c, `
FROM python:3.11 AS build
RUN python -m venv /opt/venv
WORKDIR /src
COPY pyproject.toml hello.py ./
RUN /opt/venv/bin/pip install --no-cache-dir .

FROM python:3.11-slim
COPY --from=build /opt/venv /opt/venv
USER 65532
RUN /opt/venv/bin/hello > /tmp/hello-out && python3 -c "import ssl, sqlite3, json, zlib; print('stdlib ok')" >> /tmp/hello-out
RUN cat /tmp/hello-out
`, map[string]string{"pyproject.toml": helloPyproject, "hello.py": helloPy}, []string{"python:3.11", "python:3.11-slim"})
	if r.err != nil {
		t.Fatalf("python build failed: %v\n%s", r.err, r.logs)
	}
	t.Logf("python build took %s, final image %s", r.took, humanBytes(r.image.UnpackedSize()))
	fsys = files(t, r.image)
	if out := read("/tmp/hello-out"); !strings.Contains(out, "hello from python 3.") || !strings.Contains(out, "stdlib ok") {
		t.Errorf("the virtualenv's command printed %q", out)
	}
	if _, err := fsys.Lstat("/src"); err == nil {
		t.Error("the runtime has the build stage's /src")
	}
}
