#!/usr/bin/env bash
# Installs what stagecraft needs from the distribution: runc (BuildKit's OCI worker runs RUN
# steps with it), busybox-static (the offline catalog's shell image), and the Node.js, npm and
# Python 3 (with venv and pip) the catalog's node and python images are made of. A user other
# than root also needs rootlesskit and uidmap (the managed buildkitd runs rootless) and
# slirp4netns (the daemon's own network namespace). With the argument "test", also what the
# tests drive: tmux (end-to-end runs of the TUI), openssl (the deployment's certificates), and
# rootlesskit, uidmap and slirp4netns (the rootless daemon's test runs as a throwaway user).
# Debian/Ubuntu only.
#
# Run by a user other than root, it installs through `sudo -n` when that needs no password;
# otherwise it prints the one command an administrator runs, and (for `make deps`) lets the
# course start anyway: lessons and quizzes need none of this.
set -euo pipefail
mode=${1:-}
uid=$(id -u)
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
if [ "$uid" -ne 0 ] || [ "$mode" = test ]; then
  command -v rootlesskit >/dev/null 2>&1 || need+=(rootlesskit)
  command -v newuidmap >/dev/null 2>&1 || need+=(uidmap)
  command -v slirp4netns >/dev/null 2>&1 || need+=(slirp4netns)
fi
if [ "$mode" = test ]; then
  command -v tmux >/dev/null 2>&1 || need+=(tmux)
  command -v openssl >/dev/null 2>&1 || need+=(openssl)
fi

# The rootless daemon maps the user's other ids through a range in /etc/subuid and /etc/subgid.
subids_missing() {
  [ "$uid" -eq 0 ] && return 1
  local name; name=$(id -un)
  for f in /etc/subuid /etc/subgid; do
    grep -qE "^($name|$uid):[0-9]+:[1-9]" "$f" 2>/dev/null || return 0
  done
  return 1
}

install() {
  echo "installing ${need[*]} from the distribution…"
  export DEBIAN_FRONTEND=noninteractive
  "$@" apt-get update -qq >/dev/null || true
  "$@" apt-get install -y -qq "${need[@]}" >/dev/null
}

admin=()
if [ ${#need[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "stagecraft needs: ${need[*]} (no apt-get here: install them with your package manager)" >&2
    exit 1
  fi
  if [ "$uid" -eq 0 ]; then
    install
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    install sudo -n env DEBIAN_FRONTEND=noninteractive
  else
    admin+=("sudo apt-get install -y ${need[*]}")
  fi
fi
if subids_missing; then
  admin+=("sudo usermod --add-subuids 100000-165535 --add-subgids 100000-165535 $(id -un)   # any free range of 65536 ids")
fi
[ ${#admin[@]} -eq 0 ] && exit 0
echo "stagecraft: an administrator (root) needs to run:" >&2
for c in "${admin[@]}"; do echo "  $c" >&2; done
if [ "$mode" = test ]; then
  exit 1
fi
echo "Lessons and quizzes work meanwhile; exercises need them (stagecraft doctor says what is missing)." >&2
