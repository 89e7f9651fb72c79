FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/hello .

FROM scratch
COPY --from=build /out/hello /usr/local/bin/hello
ENTRYPOINT ["/hello"]
