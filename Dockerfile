# stagecraft's own image, built the way the course teaches: a build stage with the toolchain
# and its caches, a final stage with one static binary on a small base, running as non-root.
#
#   docker build -t stagecraft .                         (needs Docker Hub and the Go proxy)
#   docker build --target test -t stagecraft:test .      (also runs the unit tests)
#
# cgo is needed: the progress store is SQLite through github.com/mattn/go-sqlite3, so the build
# stage needs a C compiler (the official golang image has gcc) and links the binary statically,
# which lets it run on distroless/static with no C library. Offline, through stagecraft's own
# catalog (`stagecraft build -f Dockerfile --context .`), this does not build: the catalog's
# golang stand-in has no gcc and RUN has no network for the modules. See deploy/README.md.

ARG GO_VERSION=1.26

FROM golang:${GO_VERSION} AS build
WORKDIR /src
# Modules first: this layer stays cached until go.mod or go.sum change.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download
COPY . .
ARG VERSION=dev
# Static, with the pure-Go resolver and user lookup so glibc's NSS is never needed at run time.
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=1 go build -trimpath \
      -tags "netgo osusergo sqlite_omit_load_extension" \
      -ldflags "-s -w -X main.version=${VERSION} -linkmode external -extldflags -static" \
      -o /out/stagecraft ./cmd/stagecraft
# The folders the final image writes to, owned by its user (distroless nonroot is 65532).
RUN mkdir -p /rootfs/data /rootfs/cache /rootfs/work

# Optional: docker build --target test . runs the tests that need no BuildKit.
FROM build AS test
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    go test ./grade/... ./quiz/... ./progress/... ./lessons/...

# The image: one binary, CA certificates (to reach tcp:// BuildKit daemons over mTLS and
# registries), the nonroot user (uid 65532), nothing else.
FROM gcr.io/distroless/static:nonroot
COPY --from=build /out/stagecraft /usr/local/bin/stagecraft
COPY --from=build --chown=65532:65532 /rootfs/ /
# Where the progress store and the image cache live; mount volumes here.
ENV STAGECRAFT_DB=/data/progress.db \
    XDG_CACHE_HOME=/cache
USER nonroot:nonroot
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/stagecraft"]
CMD ["--help"]
