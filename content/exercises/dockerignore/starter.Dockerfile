FROM golang:1.22-alpine AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/site .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/site /app/site
# The site's pages are in static/, so copy the folder. All of it.
COPY . /app
ENTRYPOINT ["/app/site"]
