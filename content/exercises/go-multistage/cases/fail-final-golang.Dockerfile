# Two stages, and the final one starts from golang again: the toolchain
# ships with the binary.
# fails: no-toolchain, under-20mb, smaller-than-starter
FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod go.sum ./
COPY *.go ./
RUN CGO_ENABLED=0 go build -o /out/hello .

FROM golang:1.22
COPY --from=build /out/hello /hello
ENTRYPOINT ["/hello"]
