# The target written into Go's own settings with go env -w, so every
# later go command in the stage builds for it.
FROM --platform=$BUILDPLATFORM golang:1.22 AS build
ARG TARGETOS TARGETARCH
RUN go env -w CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH
WORKDIR /src
COPY go.mod go.sum ./
COPY *.go ./
RUN go build -trimpath -o /app/hello .

FROM gcr.io/distroless/static-debian12
COPY --from=build /app/hello /usr/local/bin/hello
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/hello"]
