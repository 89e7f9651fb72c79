# Non-root, but the service's user owns its own program too.
# fails: code-read-only
FROM golang:1.22-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
COPY *.go ./
RUN CGO_ENABLED=0 go build -o /out/counter . \
 && mkdir -p /out/data

FROM busybox
COPY --from=build --chown=10001:10001 /out/counter /app/counter
COPY --from=build --chown=10001:10001 /out/data /data
USER 10001:10001
ENTRYPOINT ["/app/counter"]
