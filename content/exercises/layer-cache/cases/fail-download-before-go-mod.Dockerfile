# The download runs before go.mod is copied; `|| true` hides the error.
# It stays cached after any edit, because it downloads nothing at all.
# fails: download-sees-go-mod
FROM golang:1.22-alpine AS build
WORKDIR /src
RUN go mod download || true
COPY . .
RUN CGO_ENABLED=0 go build -o /out/quotes .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/quotes /quotes
ENTRYPOINT ["/quotes"]
