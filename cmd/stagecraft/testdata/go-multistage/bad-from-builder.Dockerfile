FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/hello .

FROM scratch
COPY --from=builder /out/hello /hello
ENTRYPOINT ["/hello"]
