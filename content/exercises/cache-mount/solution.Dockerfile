FROM golang:1.22-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
# Downloaded modules live in a cache mount: kept between builds, never in a layer.
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download
COPY . .
# Compiled packages too. The binary goes to /out, which is not a mount,
# so it stays in the layer for the final stage to copy.
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -o /out/tally .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/tally /tally
ENTRYPOINT ["/tally"]
