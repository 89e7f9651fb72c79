# The tests run inside the build stage, so the pipeline's test job has no
# `test` target to build.
# fails: test-target
FROM busybox:1.36 AS build
WORKDIR /src
COPY . .
RUN mkdir /reports /out && sh greet_test.sh > /reports/tests.txt \
 && sed 's/^VERSION=dev/VERSION=1.4.0/' greet.sh > /out/greet \
 && chmod 755 /out/greet

FROM busybox:1.36 AS release
COPY --from=build /out/greet /usr/local/bin/greet
ENTRYPOINT ["/usr/local/bin/greet"]
