#!/usr/bin/env bash
# The whole test suite, from a fresh clone: formatting and clippy over the workspace, unit and
# integration tests of every crate (the 140 conformance
# entries through the library and the CLI, one negative test per error code, no-panic mutation
# sweep), the no_std wasm32 build, the npm package in Node 18/20/24, Bun, Chromium, Firefox ESR,
# WebKitGTK, workerd and Deno (all 140 entries each, plus the demo page and badge in each browser),
# and the conformance runner against the release CLI.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${SHARED_DIR:-../shared}

echo "== cargo fmt --check, cargo clippy (workspace lints: no unwrap/expect/panic/indexing/as outside tests)"
# rustfmt and clippy come with the machine's rustup toolchain; a toolchain without them (they
# cannot be downloaded here) skips the check with a warning rather than failing the suite.
if cargo fmt --version >/dev/null 2>&1; then cargo fmt --all --check; else echo "warning: cargo fmt not installed: format check skipped" >&2; fi
if cargo clippy --version >/dev/null 2>&1; then cargo clippy --workspace --all-targets --locked -- -D warnings; else echo "warning: cargo clippy not installed: lint check skipped" >&2; fi

echo "== cargo build --release"
cargo build --release --locked

echo "== cargo test"
cargo test --release --locked

echo "== no_std build for wasm32-unknown-unknown"
scripts/check-wasm-nostd.sh

echo "== npm package: Node 18/20/24, Bun, Chromium, Firefox, WebKit, workerd, Deno, demo page (scripts/test-js.sh)"
scripts/test-js.sh

echo "== fuzz smoke: every fuzz target for ${FUZZ_SECONDS:-30} s, two at a time (scripts/fuzz-smoke.sh; installs a C++ compiler when missing)"
scripts/fuzz-smoke.sh

echo "== conformance runner against target/release/sigstore-verify"
if [ -x "$shared/tools/run-cases" ]; then
  "$shared/tools/run-cases" tests/data/conformance/cases.json --cli target/release/sigstore-verify
else
  echo "($shared/tools/run-cases not found: skipped; cargo test above already ran every case through the CLI)"
fi
