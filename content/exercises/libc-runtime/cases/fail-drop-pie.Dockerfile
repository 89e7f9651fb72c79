# The binary made static so that it starts on distroless static: it
# runs, but it is no longer the position-independent executable the
# policy asks for.
# fails: pie
FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod ./
COPY *.go ./
RUN CGO_ENABLED=0 go build -trimpath -o /out/ledger .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/ledger /ledger
ENTRYPOINT ["/ledger"]
