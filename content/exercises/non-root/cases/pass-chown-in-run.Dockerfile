# Another correct route: create the folder and hand it over in a RUN.
FROM golang:1.22-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
COPY *.go ./
RUN CGO_ENABLED=0 go build -o /out/counter .

FROM busybox
COPY --from=build /out/counter /app/counter
RUN mkdir /data && chown 10001:10001 /data
USER 10001:10001
ENTRYPOINT ["/app/counter"]
