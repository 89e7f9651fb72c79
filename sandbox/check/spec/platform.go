package spec

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/containerd/platforms"
)

// Check kinds about the platform an image is for.
const (
	// KindElfArch: the file at Path in the final image (by default the program its ENTRYPOINT,
	// else CMD, starts) is an ELF binary for Arch, read from the image's layers: nothing is
	// run, so it works for an image of any platform.
	KindElfArch = "elf_arch"
	// KindImagePlatform: the final image's config says it is for Platform.
	KindImagePlatform = "image_platform"
)

// ElfArches are the GOARCH names an elf_arch check may ask for.
var ElfArches = []string{"386", "amd64", "arm", "arm64", "ppc64le", "riscv64", "s390x"}

// ParsePlatform reads a target platform as an exercise's `platform:` and image_platform write
// it ("linux/arm64", "arm64", "linux/arm/v7") and returns it normalized ("linux/arm64"). Only
// linux platforms are accepted: the sandbox builds Linux images.
func ParsePlatform(s string) (string, error) {
	p, err := platforms.Parse(strings.TrimSpace(s))
	if err != nil {
		return "", fmt.Errorf("platform %q: %v; write os/arch such as linux/arm64 or linux/amd64", s, err)
	}
	p = platforms.Normalize(p)
	if p.OS != "linux" {
		return "", fmt.Errorf("platform %q: the sandbox builds Linux images only; write os/arch such as linux/arm64 or linux/amd64", s)
	}
	return platforms.Format(p), nil
}

func validateElfArch(c Check) error {
	if c.Path != "" && !path.IsAbs(c.Path) {
		return fmt.Errorf("check %q: path %q must be absolute, such as /app/server (leave it out to check the image's ENTRYPOINT program)", c.ID, c.Path)
	}
	i := sort.SearchStrings(ElfArches, c.Arch)
	if i < len(ElfArches) && ElfArches[i] == c.Arch {
		return nil
	}
	if c.Arch == "" {
		return fmt.Errorf("check %q (%s) needs arch (one of %s)", c.ID, c.Kind, strings.Join(ElfArches, ", "))
	}
	return fmt.Errorf("check %q: arch %q is not one of %s (GOARCH names)", c.ID, c.Arch, strings.Join(ElfArches, ", "))
}

func validateImagePlatform(c Check) error {
	if c.Platform == "" {
		return fmt.Errorf("check %q (%s) needs platform, such as linux/arm64", c.ID, c.Kind)
	}
	if _, err := ParsePlatform(c.Platform); err != nil {
		return fmt.Errorf("check %q: %w", c.ID, err)
	}
	return nil
}
