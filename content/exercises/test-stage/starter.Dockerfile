FROM golang:1.22-alpine AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /src/greet .

FROM busybox
WORKDIR /app
COPY --from=build /src /app
ENTRYPOINT ["/app/greet"]
