FROM golang:1.22-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
COPY *.go ./
RUN CGO_ENABLED=0 go build -o /out/hello .

FROM scratch
COPY --from=build /out/hello /hello
ENTRYPOINT ["/hello"]
