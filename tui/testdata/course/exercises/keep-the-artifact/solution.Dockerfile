FROM busybox AS build
RUN dd if=/dev/zero of=/scratch.bin bs=1M count=20
RUN mkdir /out
COPY greeting.txt /out/greeting.txt

FROM busybox
COPY --from=build /out/greeting.txt /greeting.txt
CMD ["cat", "/greeting.txt"]
