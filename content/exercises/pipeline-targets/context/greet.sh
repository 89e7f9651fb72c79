#!/bin/sh
# greet prints a greeting; `greet -version` prints the version the build stamped in.
VERSION=dev
if [ "$1" = "-version" ]; then
  echo "greet $VERSION"
  exit 0
fi
echo "hello, ${1:-world}"
