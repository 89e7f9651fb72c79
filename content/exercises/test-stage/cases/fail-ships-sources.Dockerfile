# The tests gate the build, but the final stage copies the whole source
# folder next to the binary.
# fails: no-sources
FROM golang:1.22-alpine AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /src/greet .

FROM build AS test
RUN go test ./...

FROM busybox
WORKDIR /app
COPY --from=test /src /app
ENTRYPOINT ["/app/greet"]
