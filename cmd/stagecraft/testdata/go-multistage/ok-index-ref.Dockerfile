# Stage 0 is named build; the copy uses its index. Brittle, but correct.
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/hello .

FROM scratch
COPY --from=0 /out/hello /hello
ENTRYPOINT ["/hello"]
