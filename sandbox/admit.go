package sandbox

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/containerd/platforms"
	"github.com/distribution/reference"

	"github.com/stagecraft/stagecraft/sandbox/dockerfile"
)

// admit refuses, before anything reaches the daemon, what a Dockerfile may not ask for under
// the policy: a frontend image, a download, a cache mount outside its tenant's namespace, a
// RUN that would need an emulator. The daemon enforces none of these on its own: buildkitd
// fetches ADD URLs on the host's network (loopback included), whatever force-network-mode says.
func (s *Sandbox) admit(ctx context.Context, a *dockerfile.Analysis) *Failure {
	if a.Syntax != "" && !a.SyntaxBuiltin {
		return &Failure{Kind: "frontend", Line: max(a.SyntaxLine, 1),
			Message: fmt.Sprintf("the # syntax=%s directive asks BuildKit to run an external frontend image; the sandbox only runs the built-in Dockerfile frontend", a.Syntax),
			Hint:    "delete the # syntax= line (or write # syntax=docker/dockerfile:1): the built-in frontend supports RUN --mount, heredocs and every instruction this course uses"}
	}
	for _, f := range a.Fetches {
		if fail := s.admitFetch(ctx, f); fail != nil {
			return fail
		}
	}
	for _, im := range a.Images {
		if fail := admitRegistry(im); fail != nil {
			return fail
		}
	}
	for _, m := range a.CacheMounts {
		if fail := admitCacheID(m); fail != nil {
			return fail
		}
	}
	return admitPlatforms(a)
}

const copyInstead = "copy the file into the build context instead"

func (s *Sandbox) admitFetch(ctx context.Context, f dockerfile.Fetch) *Failure {
	what := "ADD " + f.Source
	if f.Onbuild {
		what = "ONBUILD ADD " + f.Source
	}
	fail := &Failure{Kind: "network", Line: f.Line, Step: what}
	if f.Unknown {
		fail.Message = fmt.Sprintf("the sandbox has no network: %s at line %d uses a variable this Dockerfile does not set, so the sandbox cannot tell whether it fetches from the network", what, f.Line)
		fail.Hint = "write the path of a file in the build context, or set the variable with ARG or ENV in this Dockerfile"
		return fail
	}
	thing := "fetch from the network"
	if f.Git {
		thing = "clone a git repository from the network"
	}
	if !allowedURL(f.URL, s.Policy.AllowFetch) {
		fail.Message = fmt.Sprintf("the sandbox has no network: %s at line %d would %s; %s", what, f.Line, thing, copyInstead)
		fail.Hint = "ADD downloads URLs and git repositories on the daemon's machine; the sandbox allows only the files of the build context (COPY or ADD of a local path)"
		return fail
	}
	if why := localHost(ctx, f.Host); why != "" {
		fail.Message = fmt.Sprintf("%s at line %d would %s on %s; the sandbox never fetches from the daemon's own machine or link-local addresses; %s", what, f.Line, thing, why, copyInstead)
		return fail
	}
	return nil
}

// allowedURL is true when u starts with one of the prefixes at a boundary: a prefix
// "https://example.com" allows https://example.com/x, not https://example.com.evil.net/x.
func allowedURL(u string, allow []string) bool {
	for _, p := range allow {
		if p == "" || !strings.HasPrefix(u, p) {
			continue
		}
		rest := u[len(p):]
		if rest == "" || strings.HasSuffix(p, "/") || strings.ContainsRune("/?#", rune(rest[0])) {
			return true
		}
	}
	return false
}

// localHost says why a host is refused even when its URL is allowed: it is, or resolves to, a
// loopback, link-local or unspecified address (the daemon's machine, a cloud metadata service).
// A host that does not resolve is refused too: the daemon's answer could differ. Empty: fine.
func localHost(ctx context.Context, host string) string {
	if host == "" {
		return "a host the sandbox cannot read from the URL"
	}
	if ip := net.ParseIP(strings.TrimSuffix(host, ".")); ip != nil {
		if badIP(ip) {
			return host
		}
		return ""
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupIPAddr(ctx, host)
	if err != nil || len(addrs) == 0 {
		return fmt.Sprintf("%s, which does not resolve here", host)
	}
	for _, a := range addrs {
		if badIP(a.IP) {
			return fmt.Sprintf("%s (%s)", host, a.IP)
		}
	}
	return ""
}

// admitRegistry refuses an image whose registry is the daemon's own machine or a link-local
// address (FROM 127.0.0.1:5000/x, COPY --from=[::1]:5000/y): with --images auto BuildKit would
// pull it, over plain HTTP for a local registry. Only the name as written is checked: a registry
// name is not resolved, so an offline classroom's docker.io images are not refused for it.
func admitRegistry(im dockerfile.ImageRef) *Failure {
	named, err := reference.ParseNormalizedNamed(im.Expanded)
	if err != nil {
		return nil // BuildKit refuses the name itself; the analysis reports it
	}
	domain := reference.Domain(named)
	host := domain
	if h, _, err := net.SplitHostPort(domain); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	lower := strings.ToLower(strings.TrimSuffix(host, "."))
	ip := net.ParseIP(host)
	if !(ip != nil && badIP(ip)) && lower != "localhost" && !strings.HasSuffix(lower, ".localhost") {
		return nil
	}
	return &Failure{Kind: "image", Line: im.Line,
		Message: fmt.Sprintf("%s at line %d names a registry on %s: the sandbox never fetches from the daemon's own machine or link-local addresses", im.Expanded, im.Line, domain),
		Hint:    "use a base image from the catalog (stagecraft images list), or a stage of this Dockerfile"}
}

func badIP(ip net.IP) bool {
	return ip.IsLoopback() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsUnspecified() ||
		ip.IsInterfaceLocalMulticast()
}

// admitCacheID refuses a cache id that reads like a path out of the tenant's namespace. BuildKit
// joins namespace and id as "<ns>/<id>" and keys the cache by that string; an id that climbs
// or is absolute is refused so that no later change to that join can let it escape.
func admitCacheID(m dockerfile.CacheMount) *Failure {
	id := m.ID
	bad := strings.HasPrefix(id, "/") || strings.HasPrefix(id, "\\")
	for _, part := range strings.FieldsFunc(id, func(r rune) bool { return r == '/' || r == '\\' }) {
		if part == ".." {
			bad = true
		}
	}
	if !bad {
		return nil
	}
	shown := m.IDWritten
	if shown == "" || shown == id {
		shown = id
	} else {
		shown = fmt.Sprintf("%s (%s)", shown, id)
	}
	return &Failure{Kind: "cache", Line: m.Line,
		Message: fmt.Sprintf("RUN --mount=type=cache,id=%s at line %d: a cache id may not start with / or contain .. — each learner's cache mounts are kept apart, and this id reads like a path out of them", shown, m.Line),
		Hint:    "use a plain name such as id=gomod, or leave id= out (the mount's target is used)"}
}

// admitPlatforms refuses a built stage that would RUN on another platform than the daemon's,
// whether its FROM --platform says so, it is built FROM such a stage, or it has no --platform
// and the build targets another platform: the sandbox has no emulator, and BuildKit would fail
// late with "exec format error".
func admitPlatforms(a *dockerfile.Analysis) *Failure {
	host := platforms.DefaultSpec()
	native := platforms.Only(host)
	for _, st := range a.Stages {
		runs := st.Commands("run")
		if st.ForPlatform == "" || !st.Reachable || len(runs) == 0 {
			continue
		}
		p, err := platforms.Parse(st.ForPlatform)
		if err != nil {
			return &Failure{Kind: "platform", Line: st.Line,
				Message: fmt.Sprintf("FROM --platform at line %d: %q is not a platform (%v)", st.Line, st.ForPlatform, err),
				Hint:    "write os/arch, such as linux/amd64, or $BUILDPLATFORM"}
		}
		if native.Match(p) {
			continue
		}
		written := st.ForPlatform
		if st.Platform == "" && st.BaseStage >= 0 {
			written += ", from the stage it is built FROM"
		} else if st.Platform == "" {
			written += ", the build's target platform (a stage without FROM --platform is built for the target)"
		} else if st.Platform != st.ForPlatform {
			written = st.Platform + " (" + st.ForPlatform + ")"
		}
		return &Failure{Kind: "platform", Line: st.Line, Step: runs[0].Original,
			Message: fmt.Sprintf("the stage at line %d is for platform %s, and its RUN at line %d would need emulation, which the sandbox does not have (the daemon runs %s)",
				st.Line, written, runs[0].Line, platforms.Format(host)),
			Hint: "to build for another platform, cross-compile: run the compiler on the daemon's platform with FROM --platform=$BUILDPLATFORM golang AS build, " +
				"and let it target the other one (RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build …, with ARG TARGETOS TARGETARCH in the stage); only stages without RUN may be for another platform"}
	}
	return nil
}

// CacheNamespace is the cache-mount namespace of a tenant's builds: a digest, so a tenant's
// name (an email, a path) never reaches the daemon and no name can collide with another's.
// Builds with no tenant share one namespace of their own.
func CacheNamespace(tenant string) string {
	if tenant == "" {
		return "stagecraft-shared"
	}
	sum := sha256.Sum256([]byte("stagecraft cache mounts\x00" + tenant))
	return "stagecraft-" + hex.EncodeToString(sum[:12])
}
