# Non-root, but /data still belongs to root: the service cannot write.
# fails: data-writable
FROM golang:1.22-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
COPY *.go ./
RUN CGO_ENABLED=0 go build -o /out/counter . \
 && mkdir -p /out/data

FROM busybox
COPY --from=build /out/counter /app/counter
COPY --from=build /out/data /data
USER 10001:10001
ENTRYPOINT ["/app/counter"]
