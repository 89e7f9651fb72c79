# The binary is written inside the cache mount, which is not part of the
# layer: the final COPY finds nothing.
# fails: builds
FROM golang:1.22-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -o /root/.cache/go-build/tally .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /root/.cache/go-build/tally /tally
ENTRYPOINT ["/tally"]
