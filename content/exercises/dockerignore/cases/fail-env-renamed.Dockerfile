# .env is copied under another name: no path check would look there.
# fails: no-env
FROM golang:1.22-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
COPY *.go ./
RUN CGO_ENABLED=0 go build -o /out/site .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/site /app/site
COPY static/ /app/static/
COPY .env /etc/site/defaults.conf
ENTRYPOINT ["/app/site"]
