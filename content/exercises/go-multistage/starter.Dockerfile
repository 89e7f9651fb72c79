# One stage does everything: the image that runs the server is the
# image that built it, toolchain, caches and sources included.
FROM golang:1.22
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/hello .
EXPOSE 8080
CMD ["/usr/local/bin/hello"]
