# Another correct route: the secret mounted at a path of our choosing, in
# the final stage itself.
FROM golang:1.22-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
COPY *.go ./
RUN CGO_ENABLED=0 go build -o /out/catalog .

FROM busybox
COPY fetch-catalog.sh /tmp/fetch-catalog.sh
RUN --mount=type=secret,id=api_token,target=/tmp/api-token \
    sh /tmp/fetch-catalog.sh /tmp/api-token /app/data && rm /tmp/fetch-catalog.sh
COPY --from=build /out/catalog /app/catalog
ENTRYPOINT ["/app/catalog"]
