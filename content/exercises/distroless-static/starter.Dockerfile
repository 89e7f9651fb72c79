FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY *.go ./
RUN go build -o /out/clock .

FROM scratch
COPY --from=build /out/clock /clock
EXPOSE 8080
ENTRYPOINT ["/clock"]
