FROM golang:1.22-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
COPY *.go ./
RUN CGO_ENABLED=0 go build -o /out/catalog .

# The catalog is fetched in a stage of its own. The token is a secret mount:
# the file exists while this RUN runs, and in no layer, cache or history.
FROM busybox AS data
COPY fetch-catalog.sh /usr/local/bin/
RUN --mount=type=secret,id=api_token \
    sh /usr/local/bin/fetch-catalog.sh /run/secrets/api_token /data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/catalog /app/catalog
COPY --from=data /data /app/data
ENTRYPOINT ["/app/catalog"]
