#!/bin/sh
# usage: fetch-catalog.sh TOKEN_FILE OUT_DIR
#
# Stands in for a download from a private API that wants a token. The sandbox
# has no network, so it checks the token it was given and writes the catalog
# the API would have returned. The token never goes into the output.
set -eu
token_file=${1:?usage: fetch-catalog.sh TOKEN_FILE OUT_DIR}
out=${2:?usage: fetch-catalog.sh TOKEN_FILE OUT_DIR}

if [ ! -s "$token_file" ]; then
  echo "fetch-catalog: no token in $token_file (is the secret mounted? RUN --mount=type=secret,id=api_token ...)" >&2
  exit 1
fi
case "$(cat "$token_file")" in
  sct_*) ;;
  *) echo "fetch-catalog: $token_file does not hold an API token (tokens start with sct_)" >&2; exit 1 ;;
esac

mkdir -p "$out"
cat > "$out/catalog.json" <<'JSON'
{
  "source": "https://catalog.internal.example/v1/items",
  "items": [
    {"sku": "MUG-01", "name": "Layered mug"},
    {"sku": "TEE-02", "name": "Multi-stage T-shirt"},
    {"sku": "CAP-03", "name": "Cache cap"}
  ]
}
JSON
echo "fetch-catalog: wrote $out/catalog.json"
