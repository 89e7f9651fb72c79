# Another correct route: scratch, a numeric user, the templates taken from
# the build stage.
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN go test ./... && CGO_ENABLED=0 go build -o /out/server .

FROM scratch
COPY --from=build /out/server /app/server
COPY --from=build /src/templates /app/templates
USER 65532:65532
ENTRYPOINT ["/app/server"]
