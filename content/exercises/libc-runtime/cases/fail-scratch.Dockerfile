# Only the binary, on scratch: the kernel looks for the loader the
# binary names and finds nothing ("no such file or directory").
# fails: starts
FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod ./
COPY *.go ./
RUN go build -buildmode=pie -trimpath -o /out/ledger .

FROM scratch
COPY --from=build /out/ledger /ledger
USER 65532:65532
ENTRYPOINT ["/ledger"]
