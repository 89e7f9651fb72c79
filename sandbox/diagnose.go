package sandbox

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/stagecraft/stagecraft/sandbox/catalog"
)

// Probe is one thing the doctor checked: whether it is fine, what was found and, when it is
// not fine, how to fix it.
type Probe struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
	Fix    string `json:"fix,omitempty"`
}

// DiagnoseOptions is what Diagnose looks at besides the endpoint.
type DiagnoseOptions struct {
	// Start brings the endpoint up first (the managed daemon is started); without it a managed
	// daemon that is not running is reported as such and left so.
	Start    bool
	Progress io.Writer // where starting the daemon is reported; may be nil
	// ChooseErr is why no endpoint could be chosen (the endpoint is then nil), and NoAddress
	// says no address was given, so the managed daemon would have been the one.
	ChooseErr error
	NoAddress bool
	// Images is how FROM images are served (ImagesAuto, ImagesCatalog, ImagesRegistry), with
	// the catalog, or why neither could be had.
	Images     string
	Catalog    *catalog.Catalog
	CatalogErr error
	// CacheDir holds the daemon, the catalog and exported images; "" skips the disk probe.
	CacheDir string
}

// Diagnose probes what exercises need: the BuildKit endpoint (reachable, its version), the
// tools the managed daemon runs (buildkitd, runc) and the limits its builds get when it is the
// one, the offline catalog and the disk the cache lives on. It starts the managed daemon only when asked to.
func Diagnose(ctx context.Context, ep Endpoint, opt DiagnoseOptions) []Probe {
	var out []Probe
	tools, managed := opt.NoAddress, false
	if ep == nil {
		detail := "no BuildKit daemon configured"
		if opt.ChooseErr != nil {
			detail = opt.ChooseErr.Error()
		}
		out = append(out, Probe{Name: "buildkit", Detail: detail})
	} else {
		p, info := probeBuildKit(ctx, ep, opt)
		tools, managed = info.Managed, info.Managed
		out = append(out, p)
	}
	if tools {
		out = append(out, probeBuildkitd(), probeRunc())
	}
	if managed {
		out = append(out, probeLimits(ManagedLimits()))
	}
	out = append(out, probeCatalog(opt))
	if opt.CacheDir != "" {
		out = append(out, probeDisk(opt.CacheDir))
	}
	return out
}

// probeBuildKit reaches the endpoint (starting it if asked) and says what answers there.
func probeBuildKit(ctx context.Context, ep Endpoint, opt DiagnoseOptions) (Probe, EndpointInfo) {
	p := Probe{Name: "buildkit"}
	ctx, cancel := context.WithTimeout(ctx, 45*time.Second)
	defer cancel()
	if opt.Start {
		if err := ep.Bootstrap(ctx, opt.Progress); err != nil {
			// Not asked again for its info: a remote daemon that did not answer would be
			// waited for twice. The endpoint is the managed one when no address was given.
			p.Detail, p.Fix = "unreachable at "+ep.Address(), err.Error()
			return p, EndpointInfo{Status: EndpointUnreachable, Address: ep.Address(), Managed: opt.NoAddress}
		}
	}
	info, err := ep.Info(ctx)
	switch {
	case err != nil:
		p.Detail, p.Fix = "unreachable at "+ep.Address(), err.Error()
	case info.Status == EndpointStopped:
		p.Detail = "managed daemon not running (it starts on the first build)"
		p.OK = info.Prereqs == nil
		if info.Prereqs != nil {
			p.Fix = info.Prereqs.Error()
		}
	default:
		kind := "daemon"
		if info.Managed {
			kind = "managed daemon"
		}
		p.OK = true
		p.Detail = fmt.Sprintf("%s %s at %s", kind, info.Version, ep.Address())
	}
	return p, info
}

func probeBuildkitd() Probe {
	if p := FindBuildkitd(); p != "" {
		return Probe{Name: "buildkitd", OK: true, Detail: p}
	}
	return Probe{Name: "buildkitd", Detail: "not found on PATH, beside stagecraft, or in ./bin",
		Fix: "make buildkitd   # builds bin/buildkitd from the BuildKit version in go.mod"}
}

func probeRunc() Probe {
	if p, err := exec.LookPath("runc"); err == nil {
		return Probe{Name: "runc", OK: true, Detail: p}
	}
	return Probe{Name: "runc", Detail: "not found on PATH", Fix: "sudo apt-get install -y runc"}
}

// probeLimits says which sandbox limits builds on the managed daemon get here. Missing limits
// are not a failure (the rootless daemon still builds safely without network), but the learner
// or instructor should know which ones do not hold.
func probeLimits(info LimitsInfo) Probe {
	p := Probe{Name: "limits", OK: true}
	if !info.Rootless {
		p.Detail = "root daemon: " + strings.Join(info.Applied, "; ")
		return p
	}
	// One line, as the terminal app shows it beside the others; the CLI prints it whole.
	p.Detail = "rootless daemon: not applied: " + strings.Join(info.Missing, "; ") + " (" + info.Why + "). " +
		"Applied: " + strings.Join(info.Applied, "; ") + ". The daemon's own network: " + info.Network
	p.Fix = "run stagecraft as root (sudo -H stagecraft …) to get the per-tenant memory, CPU, process and disk limits"
	return p
}

// probeCatalog says which images the offline catalog serves, and whether it is built.
func probeCatalog(opt DiagnoseOptions) Probe {
	p := Probe{Name: "catalog"}
	switch {
	case opt.CatalogErr != nil:
		p.Detail = opt.CatalogErr.Error()
		return p
	case opt.Images == ImagesRegistry:
		p.OK, p.Detail = true, "not used (--images registry)"
		return p
	case opt.Catalog == nil:
		p.Detail = "no catalog to look at"
		return p
	}
	var built, missing []string
	for _, e := range opt.Catalog.List() {
		if e.Built {
			built = append(built, e.Name)
		} else {
			missing = append(missing, e.Name)
		}
	}
	if len(missing) > 0 {
		p.Detail = "not built: " + strings.Join(missing, ", ")
		p.Fix = "stagecraft images build   # once, from this machine's busybox-static and Go (the first exercise build does it too)"
		p.OK = len(built) > 1 // scratch is always there; a partial catalog still serves what it has
		return p
	}
	p.OK = true
	p.Detail = strings.Join(built, ", ") + " in " + opt.Catalog.StoreDir()
	return p
}

// probeDisk says how much space is free where the cache lives (or would, once made).
func probeDisk(dir string) Probe {
	p := Probe{Name: "disk"}
	probe := dir
	for {
		if _, err := os.Stat(probe); err == nil {
			break
		}
		parent := filepath.Dir(probe)
		if parent == probe {
			break
		}
		probe = parent
	}
	var st syscall.Statfs_t
	if err := syscall.Statfs(probe, &st); err != nil {
		p.Detail = "cannot read free space: " + err.Error()
		return p
	}
	free := int64(st.Bavail) * st.Bsize
	p.Detail = fmt.Sprintf("%s free for %s", HumanBytes(free), dir)
	if free < 2<<30 {
		p.Fix = "builds and the image catalog need a few GiB: free some space, or `stagecraft images prune`"
		return p
	}
	p.OK = true
	return p
}
