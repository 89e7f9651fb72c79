# Three targets, but release starts from build: the sources and the tests
# ship in the image that is pushed.
# fails: release-lean
FROM busybox:1.36 AS test
WORKDIR /src
COPY . .
RUN mkdir /reports && sh greet_test.sh > /reports/tests.txt

FROM busybox:1.36 AS build
WORKDIR /src
COPY . .
RUN mkdir /out \
 && sed 's/^VERSION=dev/VERSION=1.4.0/' greet.sh > /out/greet \
 && chmod 755 /out/greet

FROM build AS release
RUN mkdir -p /usr/local/bin && cp /out/greet /usr/local/bin/greet
ENTRYPOINT ["/usr/local/bin/greet"]
