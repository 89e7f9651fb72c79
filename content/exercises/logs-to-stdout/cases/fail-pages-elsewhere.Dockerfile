# The logs reach standard output, but the pages were copied where the
# server does not look (/srv instead of /app/www), so it serves nothing.
# fails: serves
FROM busybox:1.36
COPY www/ /srv/
COPY --chmod=755 serve.sh /app/serve.sh
ENV LOG_FILE=-
EXPOSE 8080
CMD ["/app/serve.sh"]
