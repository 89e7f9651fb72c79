FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/hello .

FROM golang:1.22-alpine
COPY --from=build /out/hello /hello
ENTRYPOINT ["/hello"]
