#!/usr/bin/env bash
# Runs Azurite (blob, queue, table) in the foreground on its standard ports 10000-10002 on 127.0.0.1,
# keeping its data in .azurite/ at the repository root, so `UseDevelopmentStorage=true` reaches it.
# ./scripts/run-local.sh starts it this way; run it by hand to bring storage back after stopping it
# (see docs/local-run.md). Ctrl+C stops it. Extra arguments are passed to Azurite.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
# shellcheck source=scripts/lib/npm-deps.sh
source "$repo_root/scripts/lib/npm-deps.sh"
# shellcheck source=scripts/lib/net.sh
source "$repo_root/scripts/lib/net.sh"
ensure_npm_deps >&2

for port in 10000 10001 10002; do
  if port_open "$port"; then
    echo "Port $port on 127.0.0.1 is already in use (another Azurite?); not starting a second one." >&2
    exit 1
  fi
done

mkdir -p .azurite
# --skipApiVersionCheck: the Azure SDKs may ask for a newer service version than this Azurite knows.
# --loose: ignore headers Azurite does not support instead of failing the request.
exec node_modules/.bin/azurite \
  --location "$repo_root/.azurite" \
  --blobHost 127.0.0.1 --blobPort 10000 \
  --queueHost 127.0.0.1 --queuePort 10001 \
  --tableHost 127.0.0.1 --tablePort 10002 \
  --skipApiVersionCheck --loose --silent \
  "$@"
