# The build cache is mounted on the download, not on go build, and the
# module cache on neither.
# fails: build-cache-mount, module-cache-mount
FROM golang:1.22-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/root/.cache/go-build go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /out/tally .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/tally /tally
ENTRYPOINT ["/tally"]
