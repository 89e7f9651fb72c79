# The build stage pinned to the target: its RUN would need an arm64
# emulator, which the sandbox refuses before the build.
# fails: builds
FROM --platform=linux/arm64 golang:1.22 AS build
WORKDIR /src
COPY go.mod go.sum ./
COPY *.go ./
RUN CGO_ENABLED=0 go build -trimpath -o /out/hello .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/hello /hello
ENTRYPOINT ["/hello"]
