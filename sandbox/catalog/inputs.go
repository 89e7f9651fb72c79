package catalog

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// formatVersion changes whenever what Build writes changes, so existing catalogs are rebuilt.
const formatVersion = 6

// hostPaths are where the catalog's inputs live on the host; tests may point them elsewhere.
type hostPaths struct {
	busybox  string // a static busybox; "" looks in /bin, then PATH
	goBin    string // the go command; "" looks up "go" on PATH
	nodeBin  string // node; "" looks up "node" on PATH (npm is found beside it)
	python   string // python 3; "" is /usr/bin/python3 (the distribution's), else "python3" on PATH
	caCerts  string
	zoneinfo string
}

func defaultHostPaths() hostPaths {
	return hostPaths{caCerts: "/etc/ssl/certs/ca-certificates.crt", zoneinfo: "/usr/share/zoneinfo"}
}

// inputs is what detect found on the host.
type inputs struct {
	busybox, busyboxSum, busyboxVersion string
	busyboxMissing                      error

	goBin, goroot, goVersion string
	goMissing                error

	nodeBin, nodeVersion, nodeSum string
	npmCmd, npmRoot, npmVersion   string
	npmShared                     string // Debian: the module folder npm's dependencies live in
	nodeMissing                   error

	python        *pythonInfo
	pythonMissing error

	libc        *libcInfo
	libcMissing error

	caCerts, caSum  string
	zoneinfo, tzSum string
}

// detect looks at the host's inputs: cheap enough (well under 100 ms) to run on every Build.
func detect(ctx context.Context, hp hostPaths) inputs {
	in := inputs{caCerts: hp.caCerts, zoneinfo: hp.zoneinfo}

	bb := hp.busybox
	if bb == "" {
		bb = "/bin/busybox"
		if _, err := os.Stat(bb); err != nil {
			bb, _ = exec.LookPath("busybox")
		}
	}
	switch static, err := isStatic(bb); {
	case bb == "" || err != nil:
		in.busyboxMissing = &missingError{"no busybox", "install busybox-static: apt-get install busybox-static"}
	case !static:
		in.busyboxMissing = &missingError{bb + " is dynamically linked and cannot run in an image without libc", "install busybox-static: apt-get install busybox-static"}
	default:
		in.busybox, in.busyboxSum = bb, fileSum(bb)
		in.busyboxVersion = busyboxVersion(ctx, bb)
	}

	goBin := hp.goBin
	if goBin == "" {
		goBin, _ = exec.LookPath("go")
	}
	if goBin == "" {
		in.goMissing = &missingError{"no go command on PATH", "install Go from https://go.dev/dl"}
	} else if out, err := exec.CommandContext(ctx, goBin, "env", "-json", "GOVERSION", "GOROOT").Output(); err != nil {
		in.goMissing = &missingError{goBin + " env failed: " + err.Error(), "check the Go installation"}
	} else {
		var env struct{ GOVERSION, GOROOT string }
		if json.Unmarshal(out, &env) != nil || env.GOROOT == "" || !strings.HasPrefix(env.GOVERSION, "go") {
			in.goMissing = &missingError{goBin + " env printed no GOVERSION and GOROOT", "check the Go installation"}
		} else {
			in.goBin, in.goroot, in.goVersion = goBin, env.GOROOT, env.GOVERSION
		}
	}

	detectNode(ctx, hp, &in)
	detectPython(ctx, hp, &in)
	detectLibc(ctx, &in)
	in.caSum = fileSum(hp.caCerts)
	in.tzSum = treeSum(hp.zoneinfo)
	return in
}

// stamp is everything a catalog depends on. Build is a no-op when the built catalog's stamp
// equals the host's.
type stamp struct {
	Format   int    `json:"format"`
	Arch     string `json:"arch"`
	Go       string `json:"go"` // "go1.26.8 /usr/local/go", "" without Go
	Busybox  string `json:"busybox"`
	Node     string `json:"node"`   // node and npm versions and paths, the npm lockfile's hash
	Python   string `json:"python"` // version and paths
	Libc     string `json:"libc"`   // glibc's version and the checksums of the files copied
	CACerts  string `json:"ca_certs"`
	Zoneinfo string `json:"zoneinfo"`
	Layers   string `json:"layers"` // layer media type
}

func (in inputs) stamp(gzip bool) stamp {
	st := stamp{Format: formatVersion, Arch: runtime.GOARCH, Busybox: in.busyboxSum, CACerts: in.caSum, Zoneinfo: in.tzSum, Layers: "tar"}
	if in.goVersion != "" {
		st.Go = in.goVersion + " " + in.goroot
	}
	if in.nodeBin != "" {
		st.Node = fmt.Sprintf("node %s %s %s npm %s %s lock %s", in.nodeVersion, in.nodeBin, in.nodeSum, in.npmVersion, in.npmRoot, bytesSum(npmLockJSON))
	}
	st.Libc = in.stampLibc()
	if in.python != nil {
		st.Python = fmt.Sprintf("python %s %s %s", in.python.Version, in.python.Executable, treeSum(in.python.Stdlib))
	}
	if gzip {
		st.Layers = "tar+gzip"
	}
	return st
}

// key names the store built for this stamp.
func (st stamp) key() string {
	b, _ := json.Marshal(st)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

func bytesSum(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// detectNode finds node and the npm beside it. npm either bundles its dependencies (upstream,
// NodeSource) or, as Debian packages it, loads them from a shared module folder.
func detectNode(ctx context.Context, hp hostPaths, in *inputs) {
	fix := "install Node.js and npm: apt-get install nodejs npm (scripts/install-deps.sh does it)"
	bin := hp.nodeBin
	if bin == "" {
		bin, _ = exec.LookPath("node")
	}
	if bin == "" {
		in.nodeMissing = &missingError{"no node on PATH", fix}
		return
	}
	real, err := filepath.EvalSymlinks(bin)
	if err != nil {
		in.nodeMissing = &missingError{bin + ": " + err.Error(), fix}
		return
	}
	out, err := exec.CommandContext(ctx, real, "--version").Output()
	if err != nil || !strings.HasPrefix(string(out), "v") {
		in.nodeMissing = &missingError{real + " --version failed", fix}
		return
	}
	npm, _ := exec.LookPath(filepath.Join(filepath.Dir(bin), "npm"))
	if npm == "" {
		npm, _ = exec.LookPath("npm")
	}
	cli, err := filepath.EvalSymlinks(npm)
	if npm == "" || err != nil || filepath.Base(cli) != "npm-cli.js" {
		in.nodeMissing = &missingError{"no npm beside " + bin, fix}
		return
	}
	root := filepath.Dir(filepath.Dir(cli))
	var pkg struct{ Version string }
	if b, err := os.ReadFile(filepath.Join(root, "package.json")); err != nil || json.Unmarshal(b, &pkg) != nil || pkg.Version == "" {
		in.nodeMissing = &missingError{"cannot read npm's version in " + root, fix}
		return
	}
	if st, err := os.Stat(filepath.Join(root, "node_modules")); err != nil || !st.IsDir() {
		in.npmShared = filepath.Dir(root)
	}
	in.nodeBin, in.nodeVersion, in.nodeSum = real, strings.TrimSpace(string(out)), fileSum(real)
	in.npmCmd, in.npmRoot, in.npmVersion = npm, root, pkg.Version
}

// detectPython prefers the distribution's python3 over one a version manager puts first on
// PATH: its layout is the one a fresh machine has.
func detectPython(ctx context.Context, hp hostPaths, in *inputs) {
	bin := hp.python
	if bin == "" {
		bin = "/usr/bin/python3"
		if _, err := os.Stat(bin); err != nil {
			bin, _ = exec.LookPath("python3")
		}
	}
	if bin == "" {
		in.pythonMissing = &missingError{"no python3", "install python3, python3-venv and python3-pip: apt-get install python3 python3-venv python3-pip"}
		return
	}
	pi, err := probePython(ctx, bin)
	if err != nil {
		if _, ok := err.(*missingError); ok {
			in.pythonMissing = err
		} else {
			in.pythonMissing = &missingError{err.Error(), "check the Python installation"}
		}
		return
	}
	in.python = pi
}

func fileSum(p string) string {
	f, err := os.Open(p)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
}

// treeSum summarizes a directory by names, sizes and mtimes: a package upgrade changes it.
func treeSum(dir string) string {
	h := sha256.New()
	n := 0
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		n++
		fmt.Fprintf(h, "%s %o %d %d\n", p, info.Mode(), info.Size(), info.ModTime().Unix())
		return nil
	})
	if n == 0 {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
}
