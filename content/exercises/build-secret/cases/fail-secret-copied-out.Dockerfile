# The secret mount is right, but the RUN copies the token into the data it
# produces: the value ships in a layer.
# fails: no-leak
FROM golang:1.22-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
COPY *.go ./
RUN CGO_ENABLED=0 go build -o /out/catalog .

FROM busybox AS data
COPY fetch-catalog.sh /usr/local/bin/
RUN --mount=type=secret,id=api_token \
    sh /usr/local/bin/fetch-catalog.sh /run/secrets/api_token /data \
 && cp /run/secrets/api_token /data/.token

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/catalog /app/catalog
COPY --from=data /data /app/data
ENTRYPOINT ["/app/catalog"]
