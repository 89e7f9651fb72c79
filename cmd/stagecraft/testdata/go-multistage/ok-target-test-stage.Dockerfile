# A test stage for `--target test`; a plain build skips it.
FROM golang:1.22-alpine AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/hello .

FROM build AS test
RUN go vet ./... && go test ./...

FROM scratch
COPY --from=build /out/hello /hello
ENTRYPOINT ["/hello"]
