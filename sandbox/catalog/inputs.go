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
const formatVersion = 2

// hostPaths are where the catalog's inputs live on the host; tests may point them elsewhere.
type hostPaths struct {
	busybox  string // a static busybox; "" looks in /bin, then PATH
	goBin    string // the go command; "" looks up "go" on PATH
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
	CACerts  string `json:"ca_certs"`
	Zoneinfo string `json:"zoneinfo"`
	Layers   string `json:"layers"` // layer media type
}

func (in inputs) stamp(gzip bool) stamp {
	st := stamp{Format: formatVersion, Arch: runtime.GOARCH, Busybox: in.busyboxSum, CACerts: in.caSum, Zoneinfo: in.tzSum, Layers: "tar"}
	if in.goVersion != "" {
		st.Go = in.goVersion + " " + in.goroot
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
