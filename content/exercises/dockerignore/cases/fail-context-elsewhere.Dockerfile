# The site is copied by name, but the whole context is also parked under
# /srv/ctx "for debugging": .env, .git and the notes ship all the same.
# fails: no-env, no-git, no-notes
FROM golang:1.22-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
COPY *.go ./
RUN CGO_ENABLED=0 go build -o /out/site .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/site /app/site
COPY static/ /app/static/
COPY . /srv/ctx
ENTRYPOINT ["/app/site"]
