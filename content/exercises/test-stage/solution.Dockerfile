FROM golang:1.22-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY *.go ./
RUN CGO_ENABLED=0 go build -o /out/greet .

# The tests run on the sources the binary was built from; a failing test
# fails the build.
FROM build AS test
RUN go vet ./... && go test ./...

# Copying from "test" makes the final image depend on it, so a plain
# build cannot skip the tests.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=test /out/greet /app/greet
ENTRYPOINT ["/app/greet"]
