# Every reference resolves, but the stage is declared as Build.
# fails: build-stage, lint-names
FROM golang:1.22-alpine AS Build
WORKDIR /src
COPY go.mod go.sum ./
COPY *.go ./
RUN CGO_ENABLED=0 go build -o /out/greeter .

FROM busybox AS assets
COPY site/ /www/

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/greeter /greeter
COPY --from=assets /www /www
ENTRYPOINT ["/greeter"]
