# distroless cc: glibc plus libgcc and libstdc++, more than this
# binary needs and still without a shell.
FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod ./
COPY *.go ./
RUN go build -buildmode=pie -trimpath -o /out/ledger .

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /out/ledger /usr/local/bin/ledger
ENTRYPOINT ["/usr/local/bin/ledger"]
