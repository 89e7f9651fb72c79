# The server listens on 9090 (-addr), while EXPOSE and the self-check
# still say 8080: nothing answers where the config promises.
# fails: serves
FROM golang:1.22-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
COPY *.go ./
RUN CGO_ENABLED=0 go build -o /out/pinger .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/pinger /app
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s CMD ["/app", "healthcheck"]
ENTRYPOINT ["/app", "-addr", ":9090"]
