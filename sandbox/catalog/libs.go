package catalog

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// sharedLibs asks the host's loader (ldd) which shared libraries the given ELF files load and
// returns them as the path the loader looks for (the interpreter included) → the host file
// behind it. The catalog's images have no libc of their own, so a dynamically linked program
// (node, python) brings exactly these along, at the same paths, and nothing else of the host.
func sharedLibs(ctx context.Context, elfs ...string) (map[string]string, error) {
	libs := map[string]string{}
	for _, f := range elfs {
		out, err := exec.CommandContext(ctx, "ldd", f).CombinedOutput()
		if err != nil {
			if strings.Contains(string(out), "not a dynamic executable") {
				continue
			}
			return nil, fmt.Errorf("ldd %s: %v: %s", f, err, strings.TrimSpace(string(out)))
		}
		for _, line := range strings.Split(string(out), "\n") {
			line = strings.TrimSpace(line)
			var p string
			if name, rest, ok := strings.Cut(line, "=>"); ok {
				rest = strings.TrimSpace(rest)
				if strings.HasPrefix(rest, "not found") {
					return nil, fmt.Errorf("%s needs %s, which the host's loader cannot find", f, strings.TrimSpace(name))
				}
				p, _, _ = strings.Cut(rest, " ")
			} else if strings.HasPrefix(line, "/") {
				p, _, _ = strings.Cut(line, " ")
			}
			if !strings.HasPrefix(p, "/") {
				continue // linux-vdso.so.1 is the kernel's
			}
			real, err := filepath.EvalSymlinks(p)
			if err != nil {
				return nil, fmt.Errorf("%s needs %s: %w", f, p, err)
			}
			libs[p] = real
		}
	}
	return libs, nil
}

// addLibs adds the libraries sharedLibs found to t, at the paths the loader asks for.
func (t *tree) addLibs(libs map[string]string) error {
	paths := make([]string, 0, len(libs))
	for p := range libs {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		if err := t.hostFile(p, libs[p], 0o755); err != nil {
			return fmt.Errorf("copying %s: %w", p, err)
		}
	}
	return nil
}
