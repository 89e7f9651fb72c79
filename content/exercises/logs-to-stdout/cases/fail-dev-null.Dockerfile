# Quiet, and no file grows: but the logs are thrown away.
# fails: logs-to-stdout
FROM busybox:1.36
COPY www/ /app/www/
COPY --chmod=755 serve.sh /app/serve.sh
ENV LOG_FILE=/dev/null
EXPOSE 8080
CMD ["/app/serve.sh"]
