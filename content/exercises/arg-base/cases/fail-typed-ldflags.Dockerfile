# The base follows the ARG, but the version is still typed into the
# -ldflags: a build with another version lies about it.
# fails: build-arg-reaches-binary
ARG GO_VERSION=1.22
FROM golang:${GO_VERSION}-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
COPY *.go ./
RUN CGO_ENABLED=0 go build -ldflags "-X main.goImage=1.22-alpine" -o /out/stamp .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/stamp /stamp
ENTRYPOINT ["/stamp"]
