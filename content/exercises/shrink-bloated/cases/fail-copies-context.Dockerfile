# A small base, but the whole context is copied into /app: sources, docs,
# the mockup and the test data ship with the server.
# fails: no-sources
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN go test ./...
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/server .

FROM gcr.io/distroless/static-debian12:nonroot
COPY . /app/
COPY --from=build /out/server /app/server
ENTRYPOINT ["/app/server"]
