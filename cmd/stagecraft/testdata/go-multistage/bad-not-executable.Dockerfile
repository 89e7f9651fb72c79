FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/hello .

FROM scratch
# 0644: readable, not executable.
COPY --from=build --chmod=0644 /out/hello /hello
ENTRYPOINT ["/hello"]
