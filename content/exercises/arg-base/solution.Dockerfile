# One place to change the Go version: docker build --build-arg GO_VERSION=1.23 .
ARG GO_VERSION=1.22

FROM golang:${GO_VERSION}-alpine AS build
# A meta ARG is only visible to FROM lines; declare it again to use it here.
ARG GO_VERSION
WORKDIR /src
COPY go.mod go.sum ./
COPY *.go ./
RUN CGO_ENABLED=0 go build -ldflags "-X main.goImage=${GO_VERSION}-alpine" -o /out/stamp .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/stamp /stamp
ENTRYPOINT ["/stamp"]
