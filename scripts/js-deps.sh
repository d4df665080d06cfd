#!/usr/bin/env bash
# Install the JS side's tools once: pkg/'s dev packages from its lockfile (binaryen, deno, workerd,
# playwright-core, smol-toml) and, with `chromium` as argument, Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v node >/dev/null 2>&1; then
  echo "installing Node.js and npm (Debian)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
stamp=pkg/node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ pkg/package-lock.json -nt "$stamp" ]; then
  echo "npm ci in pkg/" >&2
  (cd pkg && npm ci --no-audit --no-fund --loglevel=error)
fi
for arg in "$@"; do
  case "$arg" in
    chromium)
      if [ ! -x /usr/bin/chromium ]; then
        echo "installing Debian's chromium" >&2
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
      fi ;;
  esac
done
