# The binary lands at /usr/local/bin/hello, but ENTRYPOINT runs /hello.
# fails: runs-version
FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod go.sum ./
COPY *.go ./
RUN CGO_ENABLED=0 go build -o /out/hello .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/hello /usr/local/bin/hello
ENTRYPOINT ["/hello"]
