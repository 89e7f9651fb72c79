# The health check is right, but CMD is in shell form: distroless has no
# /bin/sh, so the server never starts.
# fails: exec-form, serves
FROM golang:1.22-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
COPY *.go ./
RUN CGO_ENABLED=0 go build -o /out/pinger .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/pinger /app
EXPOSE 8080
HEALTHCHECK CMD ["/app", "healthcheck"]
CMD /app
