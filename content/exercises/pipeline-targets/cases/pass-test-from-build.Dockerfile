# Another correct route: the test stage starts from the build stage, so
# the tests run against exactly what was built.
FROM busybox:1.36 AS build
WORKDIR /src
COPY . .
RUN mkdir /out \
 && sed 's/^VERSION=dev/VERSION=1.4.0/' greet.sh > /out/greet \
 && chmod 755 /out/greet

FROM build AS test
RUN mkdir /reports && sh greet_test.sh | tee /reports/tests.txt

FROM busybox:1.36 AS release
COPY --from=build /out/greet /usr/local/bin/greet
ENTRYPOINT ["/usr/local/bin/greet"]
