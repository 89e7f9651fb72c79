# Another correct route: the build stage may copy everything (it never
# ships); the final stage takes only the binary and the pages, from there.
FROM golang:1.22-alpine AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/site .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/site /app/site
COPY --from=build /src/static /app/static
ENTRYPOINT ["/app/site"]
