#!/usr/bin/env bash
# Runs a command with a private buildkitd (temp root, temp socket) and stops it afterwards.
# The command sees the address in STAGECRAFT_TEST_BUILDKIT and a shared catalog cache dir in
# STAGECRAFT_TEST_CACHE (kept in .cache/test so the catalog is built once per checkout).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
if [ "$(id -u)" -ne 0 ]; then
  echo "with-buildkitd: the private buildkitd needs root (or run the tests with CI unset and no daemon)" >&2
  exit 1
fi
tmp=$(mktemp -d /tmp/stagecraft-test.XXXXXX)
sock="$tmp/buildkitd.sock"
cat > "$tmp/buildkitd.toml" <<TOML
root = "$tmp/root"
[grpc]
  address = ["unix://$sock"]
[worker.oci]
  enabled = true
  snapshotter = "overlayfs"
  gc = true
  gckeepstorage = "20GB"
[worker.containerd]
  enabled = false
[frontend."gateway.v0"]
  enabled = false
TOML
"$here/bin/buildkitd" --config "$tmp/buildkitd.toml" >"$tmp/buildkitd.log" 2>&1 &
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  umount -R "$tmp/root" 2>/dev/null || true
  rm -rf "$tmp" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 100); do [ -S "$sock" ] && break; sleep 0.1; done
if [ ! -S "$sock" ]; then echo "buildkitd did not start:" >&2; cat "$tmp/buildkitd.log" >&2; exit 1; fi
export STAGECRAFT_TEST_BUILDKIT="unix://$sock"
export STAGECRAFT_TEST_CACHE="$here/.cache/test"
export STAGECRAFT_BUILDKITD_LOG="$tmp/buildkitd.log"
mkdir -p "$STAGECRAFT_TEST_CACHE"
"$@"
