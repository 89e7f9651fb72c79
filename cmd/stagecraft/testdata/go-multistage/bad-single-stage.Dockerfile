FROM golang:1.22-alpine
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /usr/local/bin/hello .
ENTRYPOINT ["/usr/local/bin/hello"]
