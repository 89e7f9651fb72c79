# Exec form everywhere, but the health check calls wget, which distroless
# does not have: the container would be unhealthy forever.
# fails: healthy
FROM golang:1.22-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
COPY *.go ./
RUN CGO_ENABLED=0 go build -o /out/pinger .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/pinger /app
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s CMD ["wget", "-q", "-O", "-", "http://127.0.0.1:8080/healthz"]
ENTRYPOINT ["/app"]
