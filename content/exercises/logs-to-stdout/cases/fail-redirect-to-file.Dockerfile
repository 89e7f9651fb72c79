# The program would log to standard output, but the start command sends
# all of it into a file inside the container, out of reach of the runtime.
# fails: logs-to-stdout
FROM busybox:1.36
COPY www/ /app/www/
COPY --chmod=755 serve.sh /app/serve.sh
ENV LOG_FILE=-
RUN mkdir -p /var/log/notes
EXPOSE 8080
CMD ["sh", "-c", "exec /app/serve.sh >> /var/log/notes/notes.log 2>&1"]
