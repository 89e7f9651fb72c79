# Another correct route: scratch instead of distroless, and CMD.
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /hello .

FROM scratch
COPY --from=build /hello /hello
CMD ["/hello"]
