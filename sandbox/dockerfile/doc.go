// Package dockerfile is the static analysis of a learner's Dockerfile, without a daemon: its
// stages, the references between them, the external images the build will need, and the
// mistakes BuildKit rejects or silently misreads (a COPY --from that will pull an image from
// Docker Hub, a reference to a later stage, a stage copying from itself, …).
//
// It never parses a Dockerfile by hand: BuildKit's own parser, instructions and shell packages
// read it, so what this package sees is what BuildKit will build. Where it says what BuildKit
// does with a name (case-insensitive lookup for COPY --from, case-sensitive for FROM, the last
// of two stages with one name wins, …) it follows dockerfile2llb v0.34.2, and the tests pin it.
//
// The part of BuildKit's linter that runs while parsing (StageNameCasing, FromAsCasing,
// MaintainerDeprecated, NoEmptyContinuation) runs here too; the rules that need image metadata
// come from the daemon's frontend.lint subrequest, which the sandbox runs. Findings that share a
// rule name with BuildKit's linter are reported on the same line, so the two lists merge.
package dockerfile
