FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY *.go ./
# A static binary: no cgo, so no C library needed where it runs.
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/clock .

# distroless/static: CA certificates, time zones and a nonroot user, no shell.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/clock /clock
EXPOSE 8080
ENTRYPOINT ["/clock"]
