# Another correct route: the whole image name is the ARG's default, and
# the stage keeps the version in an ENV for the build line.
ARG GO_VERSION=1.22
FROM golang:${GO_VERSION}-alpine AS build
ARG GO_VERSION
ENV GO_IMAGE=${GO_VERSION}-alpine
WORKDIR /src
COPY go.mod go.sum ./
COPY *.go ./
RUN CGO_ENABLED=0 go build -ldflags "-X main.goImage=$GO_IMAGE" -o /out/stamp .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/stamp /stamp
ENTRYPOINT ["/stamp"]
