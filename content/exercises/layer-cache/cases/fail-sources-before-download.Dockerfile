# The module files are copied first, but so is main.go: every source
# edit invalidates the download.
# fails: download-cached
FROM golang:1.22-alpine AS build
WORKDIR /src
COPY go.mod go.sum main.go ./
RUN go mod download
RUN CGO_ENABLED=0 go build -o /out/quotes .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/quotes /quotes
ENTRYPOINT ["/quotes"]
