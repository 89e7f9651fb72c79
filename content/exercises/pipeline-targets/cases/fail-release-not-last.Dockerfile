# Every target exists, but the last stage is test: a plain build (no
# --target) gives the test image, not the release.
# fails: release-runs, release-lean
FROM busybox:1.36 AS build
WORKDIR /src
COPY greet.sh ./
RUN mkdir /out \
 && sed 's/^VERSION=dev/VERSION=1.4.0/' greet.sh > /out/greet \
 && chmod 755 /out/greet

FROM busybox:1.36 AS release
COPY --from=build /out/greet /usr/local/bin/greet
ENTRYPOINT ["/usr/local/bin/greet"]

FROM busybox:1.36 AS test
WORKDIR /src
COPY . .
RUN mkdir /reports && sh greet_test.sh > /reports/tests.txt
