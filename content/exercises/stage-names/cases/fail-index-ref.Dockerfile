# It builds, but the site is still copied by stage number.
# fails: no-index-refs
FROM golang:1.22-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
COPY *.go ./
RUN CGO_ENABLED=0 go build -o /out/greeter .

FROM busybox AS assets
COPY site/ /www/

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/greeter /greeter
COPY --from=1 /www /www
ENTRYPOINT ["/greeter"]
