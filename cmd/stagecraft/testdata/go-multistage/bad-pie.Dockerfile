# -buildmode=pie makes Go link a dynamic executable that asks for
# /lib64/ld-linux-x86-64.so.2, which scratch does not have.
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -buildmode=pie -o /out/hello .

FROM scratch
COPY --from=build /out/hello /hello
ENTRYPOINT ["/hello"]
