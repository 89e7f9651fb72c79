package catalog

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"

	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// pyWheelsDir holds the wheels pip installs from without an index (PIP_FIND_LINKS).
const pyWheelsDir = "/usr/local/share/python-wheels"

// pythonProbe prints what the catalog copies of a Python installation. It runs isolated (-I),
// so neither the environment nor the user's site folder changes the answer, and it finds
// modules without importing them (Debian's setuptools refuses to import under some settings).
const pythonProbe = `
import importlib.util, json, os, sys, sysconfig
def where(name):
    s = importlib.util.find_spec(name)
    if s is None or not s.origin:
        return ""
    o = os.path.realpath(s.origin)
    return os.path.dirname(o) if s.submodule_search_locations else o
print(json.dumps({
    "version": "%d.%d.%d" % sys.version_info[:3],
    "executable": os.path.realpath(sys.executable),
    "stdlib": sysconfig.get_paths()["stdlib"],
    "dynload": next((p for p in sys.path if p.endswith("lib-dynload")), ""),
    "wheels": sysconfig.get_config_var("WHEEL_PKG_DIR") or "",
    "modules": {m: where(m) for m in ("venv", "ensurepip", "pip", "setuptools", "pkg_resources", "_distutils_hack", "wheel")},
}))
`

// pythonInfo is what pythonProbe found.
type pythonInfo struct {
	Version    string            `json:"version"`
	Executable string            `json:"executable"`
	Stdlib     string            `json:"stdlib"`
	Dynload    string            `json:"dynload"`
	Wheels     string            `json:"wheels"` // Debian's ensurepip installs pip from here
	Modules    map[string]string `json:"modules"`
}

func probePython(ctx context.Context, bin string) (*pythonInfo, error) {
	out, err := exec.CommandContext(ctx, bin, "-I", "-c", pythonProbe).Output()
	if err != nil {
		return nil, fmt.Errorf("%s could not describe itself: %v", bin, err)
	}
	var pi pythonInfo
	if err := json.Unmarshal(out, &pi); err != nil {
		return nil, fmt.Errorf("%s: %w", bin, err)
	}
	for _, m := range []string{"venv", "ensurepip", "pip"} {
		if pi.Modules[m] == "" {
			return nil, &missingError{bin + " has no " + m + " module", "install python3-venv and python3-pip: apt-get install python3-venv python3-pip"}
		}
	}
	return &pi, nil
}

// skipInStdlib leaves out of the standard library what no exercise needs and what is large:
// its tests, Tk and IDLE, the static library, and the marker that makes Debian's pip refuse
// to install outside a virtualenv (official python images have no such marker).
func skipInStdlib(rel string, d fs.DirEntry) bool {
	switch rel {
	case "test", "idlelib", "tkinter", "turtledemo", "lib2to3/tests", "EXTERNALLY-MANAGED", "site-packages", "dist-packages":
		return true
	}
	return d.IsDir() && strings.HasPrefix(rel, "config-")
}

func (b *builder) buildPython(ctx context.Context) error {
	pi := b.in.python
	if pi == nil {
		return b.in.pythonMissing
	}
	base, certs, err := b.baseAndCerts(ctx)
	if err != nil {
		return err
	}
	b.logf("catalog: python: copying Python %s from %s", pi.Version, pi.Stdlib)
	t := newTree()
	if err := t.hostFile(pi.Executable, pi.Executable, 0o755); err != nil {
		return err
	}
	// Python finds its prefix from where its binary is, so everything keeps its host path;
	// compiled bytecode keeps its sources' host mtimes, which it is checked against.
	keep := copyOptions{skip: skipInStdlib, hostMtime: true}
	if err := t.hostTree(ctx, strings.TrimPrefix(pi.Stdlib, "/"), pi.Stdlib, keep); err != nil {
		return fmt.Errorf("copying the standard library: %w", err)
	}
	// pip, setuptools and wheel live outside the standard library on Debian (dist-packages):
	// copy them with their metadata, not the rest of that folder.
	elfs := []string{pi.Executable}
	for _, m := range []string{"pip", "setuptools", "pkg_resources", "_distutils_hack", "wheel"} {
		loc := pi.Modules[m]
		if loc == "" || strings.HasPrefix(loc, pi.Stdlib+"/") && !strings.Contains(loc, "-packages/") {
			continue
		}
		if err := t.hostTree(ctx, strings.TrimPrefix(loc, "/"), loc, copyOptions{hostMtime: true}); err != nil {
			return fmt.Errorf("copying %s: %w", m, err)
		}
		meta, _ := filepath.Glob(filepath.Join(filepath.Dir(loc), m+"-*.*-info"))
		if m == "_distutils_hack" {
			meta, _ = filepath.Glob(filepath.Join(filepath.Dir(loc), "distutils-precedence.pth"))
		}
		for _, p := range meta {
			if err := t.hostTree(ctx, strings.TrimPrefix(p, "/"), p, copyOptions{hostMtime: true}); err != nil {
				return err
			}
		}
	}
	if pi.Wheels != "" {
		if st, err := os.Stat(pi.Wheels); err == nil && st.IsDir() {
			if err := t.hostTree(ctx, strings.TrimPrefix(pi.Wheels, "/"), pi.Wheels, copyOptions{}); err != nil {
				return fmt.Errorf("copying %s: %w", pi.Wheels, err)
			}
		}
	}
	// The wheels pip may install with no index: the distribution's (Debian keeps pip and
	// setuptools as wheels for ensurepip) and one packed here from the installed wheel package.
	wheels, _ := filepath.Glob(filepath.Join(pi.Wheels, "*.whl"))
	if pi.Wheels == "" {
		wheels = nil
	}
	for _, w := range wheels {
		if err := t.hostFile(path.Join(pyWheelsDir, filepath.Base(w)), w, 0o644); err != nil {
			return err
		}
	}
	if loc := pi.Modules["wheel"]; loc != "" {
		meta, _ := filepath.Glob(filepath.Join(filepath.Dir(loc), "wheel-*.*-info"))
		if len(meta) == 1 {
			name, data, err := packWheel(loc, meta[0])
			if err != nil {
				return fmt.Errorf("packing the wheel package: %w", err)
			}
			t.file(path.Join(pyWheelsDir, name), 0o644, data)
			wheels = append(wheels, name)
		}
	}
	if pi.Dynload != "" {
		so, _ := filepath.Glob(filepath.Join(pi.Dynload, "*.so"))
		elfs = append(elfs, so...)
	}
	libs, err := sharedLibs(ctx, elfs...)
	if err != nil {
		return err
	}
	if err := t.addLibs(libs); err != nil {
		return err
	}
	for _, name := range []string{"usr/local/bin/python", "usr/local/bin/python3", "usr/bin/python3", "usr/bin/python"} {
		if "/"+name != pi.Executable {
			t.symlink(name, pi.Executable)
		}
	}
	pip := []byte("#!/bin/sh\nexec " + pi.Executable + " -m pip \"$@\"\n")
	t.file("usr/local/bin/pip", 0o755, pip)
	t.file("usr/local/bin/pip3", 0o755, pip)
	t.file("usr/sbin/useradd", 0o755, accountsScript)
	t.file("usr/sbin/groupadd", 0o755, accountsScript)
	short := path.Base(pi.Executable)
	l, err := b.store.writeLayer(ctx, t, fmt.Sprintf("stagecraft catalog: the host's Python %s (%s) with venv, ensurepip, pip and setuptools, the %d shared libraries it and its extension modules load, python/pip in /usr/local/bin, useradd/groupadd", pi.Version, short, len(libs)))
	if err != nil {
		return fmt.Errorf("writing the Python layer: %w", err)
	}
	env := []string{"PATH=" + basePath, "LANG=C.UTF-8", "PYTHON_VERSION=" + pi.Version, "PIP_NO_INDEX=1", "PIP_FIND_LINKS=" + pyWheelsDir, "PIP_DISABLE_PIP_VERSION_CHECK=1"}
	hist := make([]string, 0, len(env)+1)
	for _, e := range env {
		hist = append(hist, "ENV "+e)
	}
	hist = append(hist, `CMD ["python3"]`)
	return b.image(Python, []layer{base, certs, l}, ocispec.ImageConfig{Env: env, Cmd: []string{"python3"}}, hist)
}
