# One stage: the image that compiled the binary ships it, with the
# whole toolchain.
# fails: small
FROM golang:1.22
WORKDIR /src
COPY go.mod ./
COPY *.go ./
RUN go build -buildmode=pie -trimpath -o /usr/local/bin/ledger .
ENTRYPOINT ["/usr/local/bin/ledger"]
