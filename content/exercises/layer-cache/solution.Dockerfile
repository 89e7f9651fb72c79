FROM golang:1.22-alpine AS build
WORKDIR /src
# The dependency list changes rarely: copy it alone, then download.
COPY go.mod go.sum ./
RUN go mod download
# The sources change all the time: they come last.
COPY . .
RUN CGO_ENABLED=0 go build -o /out/quotes .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/quotes /quotes
ENTRYPOINT ["/quotes"]
