# Another correct route, the one some official images take: keep the log
# path the program insists on, and make it a link to standard output.
FROM busybox:1.36
COPY www/ /app/www/
COPY --chmod=755 serve.sh /app/serve.sh
ENV LOG_FILE=/var/log/notes/notes.log
RUN mkdir -p /var/log/notes && ln -sf /dev/stdout /var/log/notes/notes.log
EXPOSE 8080
CMD ["/app/serve.sh"]
