#!/usr/bin/env bash
# Build the npm package pkg/ (sigstore-wasm) as wasm-pack.toml says: cargo for wasm32, the
# wasm-bindgen CLI, npm binaryen's wasm-opt, then a size report checked against the budget.
# Installs what is missing (npm dev packages, the wasm-bindgen CLI, Debian's rustc-web when rustup
# has no wasm32 target) and skips what is already there. Also runnable as `npm run build` in pkg/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/js-deps.sh
exec node scripts/build-wasm.mjs "$@"
