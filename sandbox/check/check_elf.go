package check

import (
	"bytes"
	"debug/elf"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/containerd/platforms"

	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/sandbox/check/spec"
	"github.com/stagecraft/stagecraft/sandbox/image"
)

// elfMachines maps the GOARCH names a check may ask for to their ELF machine (and byte order,
// where two architectures share a machine).
var elfMachines = map[string]struct {
	machine elf.Machine
	order   elf.Data
}{
	"amd64":   {elf.EM_X86_64, elf.ELFDATA2LSB},
	"arm64":   {elf.EM_AARCH64, elf.ELFDATA2LSB},
	"arm":     {elf.EM_ARM, elf.ELFDATA2LSB},
	"386":     {elf.EM_386, elf.ELFDATA2LSB},
	"ppc64le": {elf.EM_PPC64, elf.ELFDATA2LSB},
	"s390x":   {elf.EM_S390, elf.ELFDATA2MSB},
	"riscv64": {elf.EM_RISCV, elf.ELFDATA2LSB},
}

// maxElfRead bounds what an elf_arch check reads of a file: debug/elf needs the section headers,
// which are at the end, and no program of an exercise comes near this.
const maxElfRead = 256 << 20

// elfArch decides an elf_arch check on the built image.
func (r *runState) elfArch(c spec.Check) (bool, string, int, error) {
	p := c.Path
	if p == "" {
		// The program the image starts: what a learner's path for it is does not matter.
		cmd := r.img.Config.Entrypoint
		if len(cmd) == 0 {
			cmd = r.img.Config.Cmd
		}
		if len(cmd) == 0 {
			return false, "the image has no ENTRYPOINT or CMD, so there is no program to check", 0, nil
		}
		if p = cmd[0]; !path.IsAbs(p) {
			return false, fmt.Sprintf("the image starts %q, not an absolute path; write the ENTRYPOINT as the binary's full path", p), 0, nil
		}
	}
	fsys, err := r.img.Files()
	if err != nil {
		return false, "", 0, err
	}
	if _, err := fsys.Lstat(p); err != nil {
		return false, "the final image has no " + p, 0, nil
	}
	data, err := fsys.ReadFile(p, maxElfRead)
	if errors.Is(err, image.ErrTruncated) {
		return false, fmt.Sprintf("%s is larger than %s; the check reads no more", p, sandbox.HumanBytes(maxElfRead)), 0, nil
	}
	if err != nil {
		return false, fmt.Sprintf("cannot read %s in the final image: %v", p, err), 0, nil
	}
	ok, detail := elfVerdict(p, data, c.Arch)
	return ok, detail, 0, nil
}

// elfVerdict says whether data is an ELF binary for the GOARCH arch, and what it is.
func elfVerdict(name string, data []byte, arch string) (bool, string) {
	want := elfMachines[arch]
	f, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		head := data
		if len(head) > 16 {
			head = head[:16]
		}
		return false, fmt.Sprintf("%s is not an ELF binary (%v; it starts with %q)", name, err, head)
	}
	defer f.Close()
	got := goarchOf(f.Machine, f.Data)
	what := fmt.Sprintf("%s is an ELF %s for %s (%s), %s", name, elfKind(f), got, f.Machine, linking(f))
	if f.Machine != want.machine || f.Data != want.order {
		return false, fmt.Sprintf("%s; wanted %s (%s)", what, arch, want.machine)
	}
	return true, what
}

// goarchOf names an ELF machine by its GOARCH, or by the machine when Go has none for it.
func goarchOf(m elf.Machine, order elf.Data) string {
	for name, e := range elfMachines {
		if e.machine == m && e.order == order {
			return name
		}
	}
	return m.String()
}

func elfKind(f *elf.File) string {
	switch f.Type {
	case elf.ET_EXEC:
		return "executable"
	case elf.ET_DYN:
		for _, p := range f.Progs {
			if p.Type == elf.PT_INTERP {
				return "executable (PIE)"
			}
		}
		return "shared object"
	}
	return strings.ToLower(strings.TrimPrefix(f.Type.String(), "ET_"))
}

// linking says whether the binary needs a dynamic loader, and which.
func linking(f *elf.File) string {
	for _, p := range f.Progs {
		if p.Type != elf.PT_INTERP {
			continue
		}
		b := make([]byte, p.Filesz)
		if _, err := p.ReadAt(b, 0); err == nil {
			return "dynamically linked (loader " + strings.TrimRight(string(b), "\x00") + ")"
		}
		return "dynamically linked"
	}
	return "statically linked"
}

// imagePlatform decides an image_platform check: the platform the image's config names.
func (r *runState) imagePlatform(c spec.Check) (bool, string, int, error) {
	want, _ := spec.ParsePlatform(c.Platform)
	p := r.img.Platform
	if p.OS == "" || p.Architecture == "" {
		return false, "the image's config names no platform", 0, nil
	}
	got := platforms.Format(platforms.Normalize(p))
	if got != want {
		return false, fmt.Sprintf("the image's config says %s; wanted %s", got, want), 0, nil
	}
	return true, "the image's config says " + got, 0, nil
}
