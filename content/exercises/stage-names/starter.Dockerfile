FROM golang:1.22-alpine AS Builder
WORKDIR /src
COPY go.mod go.sum ./
COPY *.go ./
RUN CGO_ENABLED=0 go build -o /out/greeter .

FROM busybox AS assets
COPY site/ /www/
RUN echo "assembled by the assets stage" > /www/stamp.txt

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=biulder /out/greeter /greeter
COPY --from=1 /www /www
EXPOSE 8080
ENTRYPOINT ["/greeter"]
