# A test stage nothing depends on: a plain build skips it, so the tests
# never run.
# fails: failing-test-fails-build
FROM golang:1.22-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
COPY *.go ./
RUN CGO_ENABLED=0 go build -o /out/greet .

FROM build AS test
RUN go test ./...

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/greet /app/greet
ENTRYPOINT ["/app/greet"]
