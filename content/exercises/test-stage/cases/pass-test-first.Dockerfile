# The other order: test the sources first, then build FROM the tested
# stage. The final image still cannot exist unless the tests passed.
FROM golang:1.22-alpine AS test
WORKDIR /src
COPY go.mod go.sum ./
COPY *.go ./
RUN go test ./...

FROM test AS build
RUN CGO_ENABLED=0 go build -o /out/greet .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/greet /app/greet
ENTRYPOINT ["/app/greet"]
