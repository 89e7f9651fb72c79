# A second stage, but it copies the whole work folder, dataset included.
# fails: no-dataset
FROM busybox:1.36 AS fetch
WORKDIR /tmp
COPY summarise.sh /app/summarise.sh
RUN head -c 3000000 /dev/zero | tr '\0' 'x' > /tmp/dataset.raw
RUN mkdir -p /out && sh /app/summarise.sh /tmp/dataset.raw > /out/summary.txt

FROM busybox:1.36
COPY --from=fetch /tmp /tmp
COPY --from=fetch /out/summary.txt /app/summary.txt
CMD ["cat", "/app/summary.txt"]
