FROM golang:1.22 AS Build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/hello .

FROM scratch
COPY --from=Build /out/hello /hello
ENTRYPOINT ["/hello"]
