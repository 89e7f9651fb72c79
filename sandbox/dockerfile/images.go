package dockerfile

import (
	"regexp"
	"strings"

	"github.com/distribution/reference"
)

// normalizeImage returns the reference BuildKit resolves (reference.TagNameOnly of the
// normalized name, as dockerfile2llb's resolveBaseImage) and the named-context key it looks up
// first (dockerui's NamedContext: the familiar name without ":latest").
func normalizeImage(name string) (normalized, contextName string, err error) {
	ref, err := reference.ParseNormalizedNamed(name)
	if err != nil {
		return "", "", err
	}
	ref = reference.TagNameOnly(ref)
	return ref.String(), strings.TrimSuffix(reference.FamiliarString(ref), ":latest"), nil
}

// plainWord matches a --from value with no registry, tag or digest: it reads like a stage name,
// and if no stage has it BuildKit pulls docker.io/library/<word>:latest.
var plainWord = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// looksLikeImage is true for a name with a tag, digest or path: clearly meant as an image.
func looksLikeImage(name string) bool {
	return strings.ContainsAny(name, ":/@")
}

// wellKnownImages are official images a learner may legitimately name bare (FROM alpine,
// COPY --from=busybox): a stage name one or two edits away does not make them a typo.
var wellKnownImages = map[string]bool{
	"alpine": true, "busybox": true, "centos": true, "debian": true, "golang": true,
	"ubuntu": true, "fedora": true, "node": true, "python": true, "nginx": true, "rust": true,
	"redis": true, "postgres": true, "httpd": true, "openjdk": true, "eclipse-temurin": true,
	"gcc": true, "php": true, "ruby": true, "bash": true, "docker": true, "caddy": true,
}
