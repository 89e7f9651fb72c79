FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod ./
COPY *.go ./
# The security policy: position-independent executables only.
RUN go build -buildmode=pie -trimpath -o /out/ledger .

# The smallest rung of the ladder: no shell, no C library.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/ledger /ledger
ENTRYPOINT ["/ledger"]
