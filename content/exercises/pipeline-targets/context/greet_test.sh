#!/bin/sh
# The unit tests of greet.sh: exit status 1 on the first failure.
check() {
  got=$(sh ./greet.sh "$1")
  if [ "$got" != "$2" ]; then
    echo "FAIL greet $1: got '$got', want '$2'"
    exit 1
  fi
  echo "ok   greet $1"
}
check ada "hello, ada"
check "" "hello, world"
echo PASS
