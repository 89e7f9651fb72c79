FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY *.go ./
COPY templates/ templates/
COPY testdata/ testdata/
# The tests (and the vet checks go test runs) gate the build.
RUN go test ./...
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/server .

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /app
COPY --from=build /out/server /app/server
COPY templates/ /app/templates/
EXPOSE 8080
ENTRYPOINT ["/app/server"]
