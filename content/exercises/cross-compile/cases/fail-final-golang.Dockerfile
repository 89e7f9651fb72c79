# Cross-compiled right, but shipped on the golang image: for the target
# platform that is an image full of programs built for another one. The
# catalog serves it for the build machine only, and says so.
# fails: builds
FROM --platform=$BUILDPLATFORM golang:1.22 AS build
ARG TARGETOS TARGETARCH
WORKDIR /src
COPY go.mod go.sum ./
COPY *.go ./
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath -o /out/hello .

FROM golang:1.22
COPY --from=build /out/hello /hello
ENTRYPOINT ["/hello"]
