# The Go version is written twice, and nothing keeps the two in step.
FROM golang:1.22-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
COPY *.go ./
RUN CGO_ENABLED=0 go build -ldflags "-X main.goImage=1.22-alpine" -o /out/stamp .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/stamp /stamp
ENTRYPOINT ["/stamp"]
