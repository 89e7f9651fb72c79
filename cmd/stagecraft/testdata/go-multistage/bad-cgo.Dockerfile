# cgo needs a C compiler; the sandbox's golang image has none.
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=1 go build -o /out/hello .

FROM scratch
COPY --from=build /out/hello /hello
ENTRYPOINT ["/hello"]
