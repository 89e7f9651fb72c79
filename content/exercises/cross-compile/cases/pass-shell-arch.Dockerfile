# The architecture taken from TARGETPLATFORM ("linux/arm64") by the
# build stage's shell, and the final image on scratch.
FROM --platform=$BUILDPLATFORM golang:1.22 AS build
ARG TARGETPLATFORM
WORKDIR /src
COPY go.mod go.sum ./
COPY *.go ./
RUN GOOS=$(echo "$TARGETPLATFORM" | cut -d/ -f1) \
    GOARCH=$(echo "$TARGETPLATFORM" | cut -d/ -f2) \
    CGO_ENABLED=0 go build -trimpath -o /out/hello .

FROM scratch
COPY --from=build /out/hello /hello
ENTRYPOINT ["/hello"]
