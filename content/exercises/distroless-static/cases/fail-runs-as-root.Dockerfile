# distroless/static without the nonroot tag or a USER: the process runs as
# root.
# fails: not-root
FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod go.sum ./
COPY *.go ./
RUN CGO_ENABLED=0 go build -o /out/clock .

FROM gcr.io/distroless/static-debian12
COPY --from=build /out/clock /clock
ENTRYPOINT ["/clock"]
