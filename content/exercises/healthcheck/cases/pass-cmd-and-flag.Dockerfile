# Another correct route: the binary at another path, started by an
# exec-form CMD, and the self-check spelled as a flag.
FROM golang:1.22-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
COPY *.go ./
RUN CGO_ENABLED=0 go build -o /out/pinger .

FROM gcr.io/distroless/static-debian12
COPY --from=build /out/pinger /usr/local/bin/pinger
USER 65532:65532
EXPOSE 8080/tcp
HEALTHCHECK --interval=10s --timeout=2s --start-period=3s --retries=2 \
  CMD ["pinger", "-healthcheck"]
CMD ["/usr/local/bin/pinger"]
