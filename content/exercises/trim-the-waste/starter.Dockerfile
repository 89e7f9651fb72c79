FROM busybox:1.36
WORKDIR /app
COPY summarise.sh /app/summarise.sh
# The raw dataset (made here: the sandbox has no network to download it).
RUN head -c 3000000 /dev/zero | tr '\0' 'x' > /tmp/dataset.raw
RUN sh /app/summarise.sh /tmp/dataset.raw > /app/summary.txt
# Clean up so the image stays small... or does it?
RUN rm /tmp/dataset.raw
CMD ["cat", "/app/summary.txt"]
