# Another correct route: one COPY per module file, a module cache mount on
# the download, and only the Go sources after it.
FROM golang:1.22-alpine AS build
WORKDIR /src
COPY go.mod ./
COPY go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY *.go ./
RUN CGO_ENABLED=0 go build -o /out/quotes .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/quotes /quotes
ENTRYPOINT ["/quotes"]
