FROM busybox:1.36
WORKDIR /src
COPY . .
RUN sh greet_test.sh
RUN mkdir -p /usr/local/bin \
 && sed 's/^VERSION=dev/VERSION=1.4.0/' greet.sh > /usr/local/bin/greet \
 && chmod 755 /usr/local/bin/greet
ENTRYPOINT ["/usr/local/bin/greet"]
