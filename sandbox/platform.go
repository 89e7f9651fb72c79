package sandbox

import (
	"fmt"
	"strings"

	"github.com/containerd/platforms"

	"github.com/stagecraft/stagecraft/sandbox/dockerfile"
)

// HostPlatform is the daemon's platform as the sandbox assumes it: linux on this machine's
// architecture ("linux/amd64"), what $BUILDPLATFORM says.
func HostPlatform() string { return platforms.Format(platforms.DefaultSpec()) }

// ParsePlatform reads a target platform as --platform and exercise plans write it
// ("linux/arm64", "linux/arm/v7", "arm64") and returns it normalized ("linux/arm64"). Only
// linux platforms are accepted: the sandbox builds Linux images.
func ParsePlatform(s string) (string, error) {
	p, err := platforms.Parse(strings.TrimSpace(s))
	if err != nil {
		return "", &PlatformError{Platform: s, Why: err.Error()}
	}
	p = platforms.Normalize(p)
	if p.OS != "linux" {
		return "", &PlatformError{Platform: s, Why: "the sandbox builds Linux images only"}
	}
	return platforms.Format(p), nil
}

// PlatformError is a target platform the sandbox cannot read: bad input, like a bad flag.
type PlatformError struct{ Platform, Why string }

func (e *PlatformError) Error() string {
	return fmt.Sprintf("platform %q: %s; write os/arch such as linux/arm64 or linux/amd64", e.Platform, e.Why)
}

// IsHostPlatform reports whether a normalized platform is the daemon's (or empty).
func IsHostPlatform(p string) bool {
	if p == "" {
		return true
	}
	pp, err := platforms.Parse(p)
	return err == nil && platforms.Only(platforms.DefaultSpec()).Match(pp)
}

// imagePlatform is the platform BuildKit resolves an external image for: a FROM's stage's
// platform (its --platform, else the build's target); an image a COPY --from or a mount names
// is resolved for the build's target. The result is normalized; the daemon's when unset.
func imagePlatform(a *dockerfile.Analysis, im dockerfile.ImageRef, target string) string {
	p := target
	if im.Kind == dockerfile.RefFrom && im.Stage >= 0 && im.Stage < len(a.Stages) && a.Stages[im.Stage].ForPlatform != "" {
		p = a.Stages[im.Stage].ForPlatform
	}
	if p == "" {
		return HostPlatform()
	}
	if n, err := ParsePlatform(p); err == nil {
		return n
	}
	return p
}
