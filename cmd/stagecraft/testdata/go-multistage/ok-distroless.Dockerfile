FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -ldflags="-s -w" -o /out/hello .

FROM gcr.io/distroless/static
COPY --from=build /out/hello /usr/local/bin/hello
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/hello"]
