#!/bin/sh
# notes: serves /app/www on port 8080. It writes one JSON line per event to
# $LOG_FILE, or to standard output when LOG_FILE is unset or "-".
#   serve.sh            start the server
#   serve.sh -selftest  log one event and exit (what a log collector would see)
log() {
  line="{\"level\":\"info\",\"app\":\"notes\",\"msg\":\"$*\"}"
  if [ -z "$LOG_FILE" ] || [ "$LOG_FILE" = "-" ]; then
    echo "$line"
  else
    echo "$line" >> "$LOG_FILE"
  fi
}
if [ "$1" = "-selftest" ]; then
  log "selftest ok"
  exit 0
fi
log "listening on :8080"
# exec: the server replaces this shell, so SIGTERM reaches it directly.
exec httpd -f -p 8080 -h /app/www
