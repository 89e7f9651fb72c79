FROM golang:1.22-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
COPY *.go ./
RUN CGO_ENABLED=0 go build -o /out/catalog .

FROM busybox
WORKDIR /app
# The catalog comes from a private API at build time, so the build needs
# the token. It is deleted right after use... or is it?
COPY fetch-catalog.sh token.txt ./
RUN sh fetch-catalog.sh token.txt /app/data && rm token.txt fetch-catalog.sh
COPY --from=build /out/catalog /app/catalog
ENTRYPOINT ["/app/catalog"]
