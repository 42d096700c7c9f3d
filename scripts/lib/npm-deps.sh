# shellcheck shell=bash
# Sourced by the scripts in scripts/. Installs the repository's npm dev dependencies (Azurite, pinned
# in package.json / package-lock.json) with `npm ci` when they are missing or the lock file changed.
# Expects the current directory to be the repository root.

ensure_npm_deps() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "Node.js 20+ with npm is required (for Azurite). Install it and run again." >&2
    return 1
  fi
  local node_major
  node_major="$(node -p 'process.versions.node.split(".")[0]')"
  if ((node_major < 20)); then
    echo "Node.js 20+ is required for Azurite; found $(node --version)." >&2
    return 1
  fi

  # The stamp records which package-lock.json the installed node_modules came from.
  local stamp="node_modules/.hf-package-lock.sha256"
  local want
  want="$(sha256sum package-lock.json | cut -d' ' -f1)"
  if [[ -x node_modules/.bin/azurite && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    return 0
  fi
  echo "Installing npm dev dependencies (Azurite) with npm ci..."
  npm ci --no-audit --no-fund
  echo "$want" > "$stamp"
}
