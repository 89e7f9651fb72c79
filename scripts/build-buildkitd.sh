#!/usr/bin/env bash
# Builds buildkitd at the given BuildKit version from the Go module proxy into OUT.
# It builds inside the module's own source tree so BuildKit's go.mod (with its excludes and
# replaces) is the main module, exactly as upstream builds it.
set -euo pipefail
ver=$1 out=$2
go mod download github.com/moby/buildkit@"$ver"
src=$(go list -m -f '{{.Dir}}' github.com/moby/buildkit@"$ver")
mkdir -p "$(dirname "$out")"
echo "building buildkitd $ver (about two minutes the first time)…"
(cd "$src" && GOFLAGS=-mod=mod CGO_ENABLED=0 go build -trimpath \
  -ldflags "-X github.com/moby/buildkit/version.Version=$ver" -o "$OLDPWD/$out.tmp" ./cmd/buildkitd)
mv "$out.tmp" "$out"
