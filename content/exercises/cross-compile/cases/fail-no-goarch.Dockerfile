# The build stage runs natively, but go build is never told the target:
# it compiles for the machine it runs on, and the arm64-labelled image
# ships an amd64 binary ("exec format error" on the servers).
# fails: binary-arm64
FROM --platform=$BUILDPLATFORM golang:1.22 AS build
WORKDIR /src
COPY go.mod go.sum ./
COPY *.go ./
RUN CGO_ENABLED=0 go build -trimpath -o /out/hello .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/hello /hello
ENTRYPOINT ["/hello"]
