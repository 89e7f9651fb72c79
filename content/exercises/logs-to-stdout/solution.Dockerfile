FROM busybox:1.36
COPY www/ /app/www/
COPY --chmod=755 serve.sh /app/serve.sh
# "-" sends the log lines to standard output, where the runtime collects them.
ENV LOG_FILE=-
EXPOSE 8080
CMD ["/app/serve.sh"]
