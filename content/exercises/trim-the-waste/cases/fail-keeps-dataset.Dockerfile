# One RUN, so nothing is wasted: but the dataset was never deleted, and
# ships as 3 MB the program never reads again.
# fails: no-dataset
FROM busybox:1.36
WORKDIR /app
COPY summarise.sh /app/summarise.sh
RUN head -c 3000000 /dev/zero | tr '\0' 'x' > /tmp/dataset.raw \
 && sh /app/summarise.sh /tmp/dataset.raw > /app/summary.txt
CMD ["cat", "/app/summary.txt"]
