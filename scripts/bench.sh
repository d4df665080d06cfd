#!/usr/bin/env bash
# Benchmarks of sigstore-wasm against sigstore-js: one command, figures and ratios on stdout,
# benches/results.json written. Builds the wasm package first if it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
# Exit 3 from the build means "built, but over the size budget": still measurable.
[ -f pkg/wasm/sigstore_wasm_bg.wasm ] || scripts/build-wasm.sh || [ $? -eq 3 ]
scripts/js-deps.sh chromium   # playwright-core (pkg/) and Debian's Chromium, for benches/chromium.mjs
(cd benches && npm ci --no-audit --no-fund >/dev/null 2>&1 || npm install --no-audit --no-fund >/dev/null)
node benches/bench.mjs "$@"
