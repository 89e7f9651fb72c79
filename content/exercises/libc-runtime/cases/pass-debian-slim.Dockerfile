# A slim Debian base: glibc and a shell, for a team that wants to
# docker exec into its containers.
FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod ./
COPY *.go ./
ENV GOFLAGS=-buildmode=pie
RUN go build -trimpath -o /out/ledger .

FROM debian:bookworm-slim
COPY --from=build /out/ledger /app/ledger
USER 65532:65532
ENTRYPOINT ["/app/ledger"]
