# The compiler runs on the build machine's own platform...
FROM --platform=$BUILDPLATFORM golang:1.22 AS build
# ...and emits code for the target's: BuildKit sets these per target.
ARG TARGETOS TARGETARCH
WORKDIR /src
COPY go.mod go.sum ./
COPY *.go ./
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -o /out/hello .

# No --platform: the final stage is for the target, and nothing in it runs.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/hello /hello
ENTRYPOINT ["/hello"]
