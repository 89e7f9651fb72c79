FROM golang:1.22-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY *.go ./
RUN CGO_ENABLED=0 go build -o /out/site .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/site /app/site
# Name what the image needs; nothing else from the context can follow.
COPY static/ /app/static/
ENTRYPOINT ["/app/site"]
