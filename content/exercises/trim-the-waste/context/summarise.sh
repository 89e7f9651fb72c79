#!/bin/sh
# Summarise a dataset: how big it is and a checksum of its content.
set -e
f="$1"
echo "dataset: $(wc -c < "$f" | tr -d ' ') bytes"
echo "md5: $(md5sum < "$f" | cut -d' ' -f1)"
