# The ARG is declared and reaches the binary, but FROM still names the
# version by hand: --build-arg GO_VERSION=1.23 changes the label, not the
# compiler.
# fails: base-from-arg
ARG GO_VERSION=1.22
FROM golang:1.22-alpine AS build
ARG GO_VERSION
WORKDIR /src
COPY go.mod go.sum ./
COPY *.go ./
RUN CGO_ENABLED=0 go build -ldflags "-X main.goImage=${GO_VERSION}-alpine" -o /out/stamp .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/stamp /stamp
ENTRYPOINT ["/stamp"]
