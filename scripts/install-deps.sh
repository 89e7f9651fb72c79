#!/usr/bin/env bash
# Installs what stagecraft needs from the distribution: runc (BuildKit's OCI worker runs RUN
# steps with it), busybox-static (the offline catalog's shell image), and the Node.js, npm and
# Python 3 (with venv and pip) the catalog's node and python images are made of. With the argument
# "test", also what the tests drive: tmux (end-to-end runs of the TUI) and openssl (the
# deployment's certificates). Debian/Ubuntu only.
set -euo pipefail
need=()
command -v runc >/dev/null 2>&1 || need+=(runc)
dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
# The catalog copies the distribution's python3 (not one a version manager puts on PATH).
py=/usr/bin/python3
[ -x "$py" ] || need+=(python3)
"$py" -c 'import venv, ensurepip' >/dev/null 2>&1 || need+=(python3-venv)
"$py" -c 'import pip' >/dev/null 2>&1 || need+=(python3-pip)
if [ "${1:-}" = test ]; then
  command -v tmux >/dev/null 2>&1 || need+=(tmux)
  command -v openssl >/dev/null 2>&1 || need+=(openssl)
fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "stagecraft needs: ${need[*]}. Install them with:" >&2
  echo "  sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "stagecraft needs: ${need[*]} (no apt-get here: install them with your package manager)" >&2
  exit 1
fi
echo "installing ${need[*]} from the distribution…"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null || true
apt-get install -y -qq "${need[@]}" >/dev/null
