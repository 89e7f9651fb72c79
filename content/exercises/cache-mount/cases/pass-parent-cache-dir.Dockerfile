# Another correct route: one cache mount on /root/.cache, a folder above
# Go's build cache, and the module cache on both RUNs.
FROM golang:1.22-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache \
    CGO_ENABLED=0 go build -o /out/tally .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/tally /tally
ENTRYPOINT ["/tally"]
