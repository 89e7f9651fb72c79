# Another correct route: CGO_ENABLED=0 as an ENV of the build stage, and
# USER nonroot:nonroot on the plain tag.
FROM golang:1.22 AS build
ENV CGO_ENABLED=0
WORKDIR /src
COPY go.mod go.sum ./
COPY *.go ./
RUN go build -o /out/clock .

FROM gcr.io/distroless/static-debian12
COPY --from=build /out/clock /clock
USER nonroot:nonroot
ENTRYPOINT ["/clock"]
