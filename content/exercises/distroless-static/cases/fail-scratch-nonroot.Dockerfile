# A static binary and a non-root user on scratch: still no time zones or
# CA certificates.
# fails: final-distroless, zones-and-certs
FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod go.sum ./
COPY *.go ./
RUN CGO_ENABLED=0 go build -o /out/clock .

FROM scratch
COPY --from=build /out/clock /clock
USER 65532:65532
ENTRYPOINT ["/clock"]
