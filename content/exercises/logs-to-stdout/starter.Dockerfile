FROM busybox:1.36
COPY www/ /app/www/
COPY --chmod=755 serve.sh /app/serve.sh
# Keep a log file, as on the old server.
ENV LOG_FILE=/var/log/notes/notes.log
RUN mkdir -p /var/log/notes
EXPOSE 8080
CMD ["/app/serve.sh"]
