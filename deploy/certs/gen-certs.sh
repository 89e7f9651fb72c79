#!/usr/bin/env bash
# Makes the mTLS material for BuildKit workers reached over tcp:// (openssl only):
#   ca.pem                          the CA both sides trust
#   daemon/{ca,cert,key}.pem        buildkitd's server certificate (--tlscacert/--tlscert/--tlskey)
#   client/{ca,cert,key}.pem        stagecraft's client certificate (grade --tlscacert/--tlscert/--tlskey)
#
# usage: gen-certs.sh OUTDIR [SERVER-NAME…]
# The server names go into the daemon certificate's subjectAltName: every name the grader dials.
# The default fits deploy/kubernetes (StatefulSet "buildkitd", headless service "buildkitd",
# namespace "stagecraft") and deploy/compose.yaml (services buildkitd-0, buildkitd-1), plus
# localhost. IP addresses are accepted too.
set -euo pipefail
out=${1:?usage: gen-certs.sh OUTDIR [SERVER-NAME…]}
shift
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  names=(localhost 127.0.0.1 buildkitd buildkitd-0 buildkitd-1 buildkitd-2)
  for i in 0 1 2 3 4 5 6 7; do
    names+=("buildkitd-$i.buildkitd" "buildkitd-$i.buildkitd.stagecraft" "buildkitd-$i.buildkitd.stagecraft.svc" "buildkitd-$i.buildkitd.stagecraft.svc.cluster.local")
  done
fi
days=${DAYS:-365}
mkdir -p "$out/daemon" "$out/client"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

san=""
for n in "${names[@]}"; do
  if [[ $n =~ ^[0-9.]+$ || $n == *:* ]]; then san+="IP:$n,"; else san+="DNS:$n,"; fi
done
san=${san%,}

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days "$days" \
  -subj "/CN=stagecraft buildkit CA" -keyout "$tmp/ca-key.pem" -out "$out/ca.pem" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null

leaf() { # leaf NAME CN EXTKEYUSAGE [SAN]
  local dir=$1 cn=$2 eku=$3 alt=${4:-}
  printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=%s\n' "$eku" >"$tmp/$dir.ext"
  [ -n "$alt" ] && printf 'subjectAltName=%s\n' "$alt" >>"$tmp/$dir.ext"
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$cn" \
    -keyout "$out/$dir/key.pem" -out "$tmp/$dir.csr" 2>/dev/null
  openssl x509 -req -in "$tmp/$dir.csr" -CA "$out/ca.pem" -CAkey "$tmp/ca-key.pem" -set_serial "0x$(openssl rand -hex 16)" \
    -days "$days" -extfile "$tmp/$dir.ext" -out "$out/$dir/cert.pem" 2>/dev/null
  cp "$out/ca.pem" "$out/$dir/ca.pem"
  chmod 600 "$out/$dir/key.pem"
}
leaf daemon buildkitd serverAuth "$san"
leaf client stagecraft-grade clientAuth
# The CA key is not kept: new workers get certificates from a new run of this script.
echo "wrote $out/ca.pem, $out/daemon/ and $out/client/ (server names: ${names[*]})"
