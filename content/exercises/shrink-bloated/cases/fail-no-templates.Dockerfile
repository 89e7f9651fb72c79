# Small and non-root, but the templates the server reads at start-up were
# left behind.
# fails: templates-load
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN go test ./...
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/server .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/server /app/server
ENTRYPOINT ["/app/server"]
