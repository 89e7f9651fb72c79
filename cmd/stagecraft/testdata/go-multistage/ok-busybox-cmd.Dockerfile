FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/hello .

FROM busybox
COPY --from=build /out/hello /bin/hello
EXPOSE 8080
CMD ["/bin/hello", "-addr", ":8080"]
