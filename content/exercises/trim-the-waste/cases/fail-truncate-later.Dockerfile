# Emptying the file in a later RUN hides its bytes from the final
# filesystem, but the layer that wrote them still ships them.
# fails: no-waste, no-dataset
FROM busybox:1.36
WORKDIR /app
COPY summarise.sh /app/summarise.sh
RUN head -c 3000000 /dev/zero | tr '\0' 'x' > /tmp/dataset.raw
RUN sh /app/summarise.sh /tmp/dataset.raw > /app/summary.txt
RUN : > /tmp/dataset.raw
CMD ["cat", "/app/summary.txt"]
