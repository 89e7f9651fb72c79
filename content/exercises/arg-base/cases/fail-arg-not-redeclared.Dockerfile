# The FROM uses the ARG, but the stage never declares it again, so the
# -ldflags get an empty ${GO_VERSION}.
# fails: default-reaches-stage, build-arg-reaches-binary
ARG GO_VERSION=1.22
FROM golang:${GO_VERSION}-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
COPY *.go ./
RUN CGO_ENABLED=0 go build -ldflags "-X main.goImage=${GO_VERSION}-alpine" -o /out/stamp .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/stamp /stamp
ENTRYPOINT ["/stamp"]
