package catalog

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"

	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

//go:embed files/npm-offline
var npmWrapper string

// The npm packages the node image caches: the course's lockfiles may name only these (a test
// in cmd/stagecraft holds every exercise's lockfile to it).
//
//go:embed files/npm/package.json
var npmPackageJSON []byte

//go:embed files/npm/package-lock.json
var npmLockJSON []byte

const (
	nodeBinPath = "/usr/local/bin/node" // where official node images keep it
	npmCacheDir = "/usr/local/share/npm-cache"
	nodeUID     = 1000 // the official images' "node" user
)

// nodeRuntime returns the layer with node and its shared libraries, written once and shared by
// the node and nodejs (distroless-like) images.
func (b *builder) nodeRuntime(ctx context.Context) (layer, error) {
	if b.nodeLayer != nil {
		return *b.nodeLayer, nil
	}
	if b.in.nodeBin == "" {
		return layer{}, b.in.nodeMissing
	}
	libs, err := sharedLibs(ctx, b.in.nodeBin)
	if err != nil {
		return layer{}, err
	}
	t := newTree()
	if err := t.hostFile(nodeBinPath, b.in.nodeBin, 0o755); err != nil {
		return layer{}, err
	}
	if err := t.addLibs(libs); err != nil {
		return layer{}, err
	}
	l, err := b.store.writeLayer(ctx, t, fmt.Sprintf("stagecraft catalog: the host's Node.js %s at %s and the %d shared libraries it loads (ldd)", b.in.nodeVersion, nodeBinPath, len(libs)))
	if err != nil {
		return layer{}, fmt.Errorf("writing the node layer: %w", err)
	}
	b.nodeLayer = &l
	return l, nil
}

func (b *builder) buildNode(ctx context.Context) error {
	base, certs, err := b.baseAndCerts(ctx)
	if err != nil {
		return err
	}
	runtime, err := b.nodeRuntime(ctx)
	if err != nil {
		return err
	}
	b.logf("catalog: node: filling the npm cache with the course's packages (npm ci from the registry, once)")
	cache, pkgs, err := fillNpmCache(ctx, b.in, filepath.Join(b.work, "npm"))
	if err != nil {
		return err
	}

	t := newTree()
	cli, npx := "usr/local/lib/node_modules/npm/bin/npm-cli.js", "usr/local/lib/node_modules/npm/bin/npx-cli.js"
	if b.in.npmShared == "" {
		// npm bundles its dependencies (upstream and NodeSource packages): it moves as one folder.
		if err := t.hostTree(ctx, "usr/local/lib/node_modules/npm", b.in.npmRoot, copyOptions{}); err != nil {
			return fmt.Errorf("copying npm: %w", err)
		}
	} else {
		// Debian's npm loads its dependencies from the shared module folder beside it, where
		// Debian's node looks for them: copy that folder to the same place.
		if err := t.hostTree(ctx, strings.TrimPrefix(b.in.npmShared, "/"), b.in.npmShared, copyOptions{}); err != nil {
			return fmt.Errorf("copying npm and its modules: %w", err)
		}
		cli = strings.TrimPrefix(path.Join(b.in.npmRoot, "bin/npm-cli.js"), "/")
		npx = strings.TrimPrefix(path.Join(b.in.npmRoot, "bin/npx-cli.js"), "/")
	}
	wrapper := strings.NewReplacer("@NPM_CLI@", "/"+cli, "@NPM_CACHE@", npmCacheDir).Replace(npmWrapper)
	t.file("usr/local/bin/npm", 0o755, []byte(wrapper))
	t.symlink("usr/local/bin/npx", "/"+npx)
	// npm reads $PREFIX/etc/npmrc, PREFIX being the folder above node's bin/.
	t.file("usr/local/etc/npmrc", 0o644, []byte("cache="+npmCacheDir+"\noffline=true\naudit=false\nfund=false\nupdate-notifier=false\n"))
	// Package scripts and bins start with #!/usr/bin/env node.
	t.symlink("usr/bin/env", "/bin/env")
	t.file("usr/sbin/useradd", 0o755, accountsScript)
	t.file("usr/sbin/groupadd", 0o755, accountsScript)
	t.file("etc/passwd", 0o644, []byte(
		"root:x:0:0:root:/root:/bin/sh\n"+
			"nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"+
			"nonroot:x:65532:65532:nonroot:/home/nonroot:/bin/sh\n"+
			"node:x:1000:1000::/home/node:/bin/sh\n"))
	t.file("etc/group", 0o644, []byte("root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\nnode:x:1000:\n"))
	t.file("etc/shadow", 0o640, []byte("root:*:10933:0:99999:7:::\nnobody:*:10933:0:99999:7:::\nnonroot:*:10933:0:99999:7:::\nnode:!:10933:0:99999:7:::\n"))
	t.dir("home/node", 0o755, nodeUID, nodeUID)
	tools, err := b.store.writeLayer(ctx, t, fmt.Sprintf("stagecraft catalog: npm %s (offline: /usr/local/etc/npmrc), /usr/bin/env, useradd/groupadd, the node user (1000)", b.in.npmVersion))
	if err != nil {
		return fmt.Errorf("writing the npm layer: %w", err)
	}

	t = newTree()
	if err := t.hostTree(ctx, strings.TrimPrefix(npmCacheDir, "/"), cache, copyOptions{}); err != nil {
		return fmt.Errorf("copying the npm cache: %w", err)
	}
	// Any user may run npm (USER node before RUN npm ci is the lesson), and npm writes
	// temporary files and index entries into its cache.
	for p, n := range t.nodes {
		if strings.HasPrefix(p, strings.TrimPrefix(npmCacheDir, "/")) {
			if n.hdr.Typeflag == '5' {
				n.hdr.Mode = 0o777
			} else {
				n.hdr.Mode = 0o666
			}
		}
	}
	t.file(strings.TrimPrefix(npmCacheDir, "/")+"/packages.txt", 0o644, []byte(strings.Join(pkgs, "\n")+"\n"))
	cached, err := b.store.writeLayer(ctx, t, fmt.Sprintf("stagecraft catalog: an npm cache at %s with %d packages: %s", npmCacheDir, len(pkgs), strings.Join(pkgs, ", ")))
	if err != nil {
		return fmt.Errorf("writing the npm cache layer: %w", err)
	}
	os.RemoveAll(cache)

	env := []string{"PATH=" + basePath, "NODE_VERSION=" + strings.TrimPrefix(b.in.nodeVersion, "v"), "NPM_CONFIG_OFFLINE=true"}
	hist := make([]string, 0, len(env)+1)
	for _, e := range env {
		hist = append(hist, "ENV "+e)
	}
	hist = append(hist, `CMD ["node"]`)
	return b.image(Node, []layer{base, certs, runtime, tools, cached}, ocispec.ImageConfig{Env: env, Cmd: []string{"node"}}, hist)
}

// buildNodejs is the distroless-like runtime: node on the static image's files, no shell, no
// npm, as nonroot.
func (b *builder) buildNodejs(ctx context.Context) error {
	static, err := b.staticBase(ctx)
	if err != nil {
		return err
	}
	runtime, err := b.nodeRuntime(ctx)
	if err != nil {
		return err
	}
	t := newTree()
	t.symlink("nodejs/bin/node", nodeBinPath)
	link, err := b.store.writeLayer(ctx, t, "stagecraft catalog: /nodejs/bin/node, where distroless keeps node")
	if err != nil {
		return err
	}
	env := []string{"PATH=" + basePath, "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"}
	return b.image(Nodejs, []layer{static, runtime, link}, ocispec.ImageConfig{
		Env: env, User: "65532", WorkingDir: "/home/nonroot", Entrypoint: []string{"/nodejs/bin/node"},
	}, []string{"USER 65532", "WORKDIR /home/nonroot", `ENTRYPOINT ["/nodejs/bin/node"]`})
}

// fillNpmCache runs the host's npm against the registry once, into a fresh cache: `npm ci`
// fetches every tarball the catalog's lockfile names (checked against its integrity hashes),
// and `npm cache add` their metadata, so that `npm install` can resolve them offline too. It
// returns the cache folder and the packages in it ("name@version", sorted).
func fillNpmCache(ctx context.Context, in inputs, work string) (string, []string, error) {
	proj, cache := filepath.Join(work, "project"), filepath.Join(work, "cache")
	if err := os.MkdirAll(proj, 0o755); err != nil {
		return "", nil, err
	}
	if err := os.WriteFile(filepath.Join(proj, "package.json"), npmPackageJSON, 0o644); err != nil {
		return "", nil, err
	}
	if err := os.WriteFile(filepath.Join(proj, "package-lock.json"), npmLockJSON, 0o644); err != nil {
		return "", nil, err
	}
	pkgs, err := lockPackages(npmLockJSON)
	if err != nil {
		return "", nil, fmt.Errorf("the catalog's package-lock.json: %w", err)
	}
	npm := func(args ...string) error {
		cmd := exec.CommandContext(ctx, in.npmCmd, append(args, "--cache", cache, "--no-audit", "--no-fund", "--update-notifier=false")...)
		cmd.Dir = proj
		out, err := cmd.CombinedOutput()
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return &missingError{fmt.Sprintf("npm %s could not fetch the course's npm packages: %v: %s", args[0], err, lastLines(string(out), 3)),
				"the npm registry must be reachable once, while the catalog is built"}
		}
		return nil
	}
	if err := npm("ci", "--ignore-scripts"); err != nil {
		return "", nil, err
	}
	if err := npm(append([]string{"cache", "add"}, pkgs...)...); err != nil {
		return "", nil, err
	}
	// Logs and the notifier's stamp are about this run, not content.
	os.RemoveAll(filepath.Join(cache, "_logs"))
	os.Remove(filepath.Join(cache, "_update-notifier-last-checked"))
	return cache, pkgs, nil
}

// lockPackages lists "name@version" for every package a package-lock.json (v2 or v3) installs.
func lockPackages(lock []byte) ([]string, error) {
	var l struct {
		Packages map[string]struct {
			Version string `json:"version"`
			Link    bool   `json:"link"`
		} `json:"packages"`
	}
	if err := json.Unmarshal(lock, &l); err != nil {
		return nil, err
	}
	if l.Packages == nil {
		return nil, fmt.Errorf("no \"packages\": write it with npm 7 or later (lockfileVersion 2 or 3)")
	}
	seen := map[string]bool{}
	for key, p := range l.Packages {
		i := strings.LastIndex(key, "node_modules/")
		if i < 0 || p.Link || p.Version == "" {
			continue // the project itself, or a workspace link
		}
		seen[key[i+len("node_modules/"):]+"@"+p.Version] = true
	}
	out := make([]string, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	sort.Strings(out)
	return out, nil
}

// LockPackages lists "name@version" for every package a package-lock.json installs; tests
// compare an exercise's lockfile with CachedNpmPackages.
func LockPackages(lock []byte) ([]string, error) { return lockPackages(lock) }

// CachedNpmPackages lists the packages ("name@version") the node image's npm cache holds.
func CachedNpmPackages() []string {
	pkgs, _ := lockPackages(npmLockJSON)
	return pkgs
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " / ")
}
