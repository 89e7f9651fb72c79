package catalog

import (
	"fmt"
	"strings"

	"github.com/distribution/reference"
)

// The catalog's images, by the name the catalog gives them.
const (
	Busybox       = "busybox"
	Alpine        = "alpine"
	Golang        = "golang"
	Static        = "static"
	StaticNonroot = "static:nonroot"
	Scratch       = "scratch"
	Node          = "node"
	Nodejs        = "nodejs" // distroless-like Node runtime
	Python        = "python"
	Base          = "base" // distroless base/cc-like: the static files and glibc
	BaseNonroot   = "base:nonroot"
	DebianSlim    = "debian:slim" // glibc and a busybox shell
)

// spec is what the catalog says about one of its images before it is built.
type spec struct {
	name        string
	standsIn    []string // the FROM names it answers to, as shown by List
	description string
}

// anyPlatform: the image has no programs, so it is served for every platform (platforms.go).
func (s spec) anyPlatform() bool { return s.name == Static || s.name == StaticNonroot }

// specs lists the catalog in the order List shows it.
func specs() []spec {
	out := []spec{
		{Busybox, []string{"busybox", "busybox:*"},
			"busybox shell and tools (Debian busybox-static), root and nonroot (65532) users"},
		{Alpine, []string{"alpine", "alpine:*"},
			"busybox image with CA certificates and an apk that explains it cannot install packages: not Alpine Linux"},
		{Golang, []string{"golang", "golang:*", "golang:*-alpine"},
			"the host's Go toolchain on busybox, with a warm standard-library build cache; offline (GOPROXY=off)"},
		{Static, []string{"gcr.io/distroless/static", "gcr.io/distroless/static-debian*"},
			"distroless-like: passwd/group with nonroot (65532), CA certificates, tzdata, /tmp; no shell; runs as root; " +
				"no programs, so it is served for every platform (a cross-compiled binary can end on it)"},
		{StaticNonroot, []string{"gcr.io/distroless/static:nonroot", "gcr.io/distroless/static:debug-nonroot"},
			"the static image running as nonroot (65532), as distroless :nonroot tags do; served for every platform"},
		{Base, []string{"gcr.io/distroless/base", "gcr.io/distroless/base-debian*", "gcr.io/distroless/base-nossl-debian*", "gcr.io/distroless/cc", "gcr.io/distroless/cc-debian*"},
			"distroless-like with glibc: the static image's files plus this machine's C library and loader, libgcc_s, libstdc++, libssl and libcrypto " +
				"(the version is this machine's); no shell; runs as root; for dynamically linked programs (cgo, PIE, C/C++)"},
		{BaseNonroot, []string{"gcr.io/distroless/base*:nonroot", "gcr.io/distroless/cc*:nonroot"},
			"the base image running as nonroot (65532), as distroless :nonroot tags do"},
		{DebianSlim, []string{"debian:*-slim"},
			"this machine's glibc (as base has it) on busybox, with CA certificates: not Debian, no apt or dpkg (apt-get says so); " +
				"a slim base with a shell for dynamically linked programs"},
		{Node, []string{"node", "node:*", "node:*-slim", "node:*-alpine"},
			"the host's Node.js and npm on busybox (whatever the tag asks, the version is the host's), a node user (1000), " +
				"npm offline with a cache of the course's packages only (a package not in it fails and the cache's list is printed)"},
		{Nodejs, []string{"gcr.io/distroless/nodejs*", "gcr.io/distroless/nodejs*:nonroot"},
			"distroless-like: the host's node at /nodejs/bin/node (the ENTRYPOINT) on the static image's files; no shell, no npm; " +
				"runs as nonroot (65532) whatever the tag"},
		{Python, []string{"python", "python:*", "python:*-slim", "python:*-alpine"},
			"the host's Python 3 with venv, pip and setuptools on busybox (the version is the host's); no PyPI: " +
				"pip installs only local packages and wheels (PIP_NO_INDEX=1)"},
		{Scratch, []string{"scratch"},
			"BuildKit's empty image: built in, nothing to build"},
	}
	return out
}

// match maps a FROM reference to a catalog image name. Any tag and any digest of a name the
// catalog stands in for match; the tag only matters for distroless nonroot variants.
func match(ref string) (string, bool) {
	ref = strings.TrimSpace(ref)
	if ref == "scratch" {
		return Scratch, true
	}
	named, err := reference.ParseNormalizedNamed(ref)
	if err != nil {
		return "", false
	}
	tag := ""
	if t, ok := named.(reference.Tagged); ok {
		tag = t.Tag()
	}
	switch name := named.Name(); name {
	case "docker.io/library/golang":
		return Golang, true
	case "docker.io/library/busybox":
		return Busybox, true
	case "docker.io/library/alpine":
		return Alpine, true
	case "docker.io/library/node":
		return Node, true
	case "docker.io/library/python":
		return Python, true
	case "docker.io/library/debian":
		if tag == "slim" || strings.HasSuffix(tag, "-slim") {
			return DebianSlim, true
		}
		return "", false
	default:
		img, ok := strings.CutPrefix(name, "gcr.io/distroless/")
		if !ok {
			return "", false
		}
		if strings.HasPrefix(img, "nodejs") {
			return Nodejs, true
		}
		nonroot := strings.Contains(tag, "nonroot")
		switch {
		case img == "static" || strings.HasPrefix(img, "static-"):
			if nonroot {
				return StaticNonroot, true
			}
			return Static, true
		case img == "base" || strings.HasPrefix(img, "base-") || img == "cc" || strings.HasPrefix(img, "cc-"):
			if nonroot {
				return BaseNonroot, true
			}
			return Base, true
		}
		return "", false
	}
}

// ContextKey is the BuildKit frontend attribute that replaces the image a FROM names, computed
// as the Dockerfile frontend looks it up (dockerui.Client.NamedContext): "context:" plus the
// familiar name without ":latest", e.g. "golang:1.22-alpine" for docker.io/library/golang:1.22-alpine.
func ContextKey(ref string) (string, error) {
	named, err := reference.ParseNormalizedNamed(strings.TrimSpace(ref))
	if err != nil {
		return "", fmt.Errorf("image reference %q: %w", ref, err)
	}
	return "context:" + strings.TrimSuffix(reference.FamiliarString(named), ":latest"), nil
}
