FROM busybox
RUN dd if=/dev/zero of=/scratch.bin bs=1M count=20
COPY greeting.txt /greeting.txt
CMD ["cat", "/greeting.txt"]
