# Another correct route: the assets stage starts from scratch.
FROM golang:1.22-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
COPY *.go ./
RUN CGO_ENABLED=0 go build -o /out/greeter .

FROM scratch AS assets
COPY site/ /www/

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/greeter /greeter
COPY --from=assets /www /www
ENTRYPOINT ["/greeter"]
