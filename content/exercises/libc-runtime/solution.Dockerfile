FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod ./
COPY *.go ./
# The security policy: position-independent executables only. Go links
# a PIE as a dynamically linked program: the kernel starts it through
# the C library's loader, /lib64/ld-linux-x86-64.so.2 on amd64.
RUN go build -buildmode=pie -trimpath -o /out/ledger .

# One rung up: distroless base has glibc and its loader, still no shell.
FROM gcr.io/distroless/base-debian12:nonroot
COPY --from=build /out/ledger /ledger
ENTRYPOINT ["/ledger"]
