# The servers are ARM (linux/arm64); this builds on an amd64 machine.
# As written, the whole build runs for the target platform: the go
# compiler itself would have to run as an arm64 program.
FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod go.sum ./
COPY *.go ./
RUN CGO_ENABLED=0 go build -trimpath -o /out/hello .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/hello /hello
ENTRYPOINT ["/hello"]
