# No download step at all: nothing to keep cached, nothing to re-run.
# fails: download-cached, download-sees-go-mod
FROM golang:1.22-alpine AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/quotes .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/quotes /quotes
ENTRYPOINT ["/quotes"]
