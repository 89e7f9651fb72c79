FROM golang:1.22-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
COPY *.go ./
RUN CGO_ENABLED=0 go build -o /out/counter . \
 && mkdir -p /out/data

FROM busybox
# The program stays owned by root: the service can run it, not change it.
COPY --from=build /out/counter /app/counter
# The one folder the service writes to belongs to its user.
COPY --from=build --chown=10001:10001 /out/data /data
USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["/app/counter"]
