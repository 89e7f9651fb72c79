# The CI job runs `--target test`, the packaging job `--target build`, and
# the image that is pushed is `--target release` (also the default).
FROM busybox:1.36 AS test
WORKDIR /src
COPY greet.sh greet_test.sh ./
RUN mkdir /reports && sh greet_test.sh > /reports/tests.txt

FROM busybox:1.36 AS build
WORKDIR /src
COPY greet.sh ./
RUN mkdir /out \
 && sed 's/^VERSION=dev/VERSION=1.4.0/' greet.sh > /out/greet \
 && chmod 755 /out/greet

FROM busybox:1.36 AS release
COPY --from=build /out/greet /usr/local/bin/greet
ENTRYPOINT ["/usr/local/bin/greet"]
