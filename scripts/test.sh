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

# Each phase prints how long it took, and the last lines sum them up (CI keeps the whole run under
# 30 minutes on a fresh 2-core machine). The wasm package is built in the background from the
# start (its link-time optimisation runs on one core, so the Rust phases fill the other); the
# JS phase waits for it, and scripts/test-js.sh then finds the build up to date.
phases=()
phase_name=""
phase_t0=$SECONDS
phase() { # name: ends the running phase, starts the next
  [ -n "$phase_name" ] && phases+=("$(printf '%5d s  %s' $((SECONDS - phase_t0)) "$phase_name")")
  phase_name=$1
  phase_t0=$SECONDS
  [ -n "$1" ] && echo "== $1"
  return 0
}
report_phases() {
  kill $wasm_pid $deps_pid 2>/dev/null || true
  phase ""
  echo "== time per phase (total $SECONDS s)"
  printf '%s\n' "${phases[@]}"
}
wasm_pid=""
deps_pid=""
trap report_phases EXIT

mkdir -p target
# pkg/'s npm packages first (both background jobs below would otherwise run `npm ci` there).
scripts/js-deps.sh
# Debian's rustc-web (wasm32 std source) now when the wasm builds need it: the background
# installs below hold apt's lock.
if ! { command -v rustup >/dev/null 2>&1 && rustup target list --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown$'; } &&
  { [ ! -x /usr/bin/cargo ] || [ ! -d /usr/lib/rustlib/src/rust/library ]; }; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rustc-web cargo-web rust-web-src lld-22 >/dev/null
fi
# The browsers and other runtimes (apt and npm downloads) install while the Rust phases compile.
deps_log=target/js-deps.log
echo "== installing the JS runtimes in the background (scripts/js-deps.sh; log in $deps_log)"
scripts/js-deps.sh chromium firefox webkit runtimes >"$deps_log" 2>&1 &
deps_pid=$!
wasm_log=target/build-wasm.log
echo "== building the wasm package in the background (scripts/build-wasm.sh; log in $wasm_log)"
wasm_t0=$SECONDS
scripts/build-wasm.sh >"$wasm_log" 2>&1 &
wasm_pid=$!

phase "cargo fmt --check, cargo clippy (workspace lints: no unwrap/expect/panic/indexing/as outside tests)"
# rustfmt and clippy come with the machine's rustup toolchain; a toolchain without them (they
# cannot be downloaded here) skips the check with a warning rather than failing the suite.
if cargo fmt --version >/dev/null 2>&1; then cargo fmt --all --check; else echo "warning: cargo fmt not installed: format check skipped" >&2; fi
if cargo clippy --version >/dev/null 2>&1; then cargo clippy --workspace --all-targets --locked -- -D warnings; else echo "warning: cargo clippy not installed: lint check skipped" >&2; fi

phase "cargo build --release"
cargo build --release --locked

phase "cargo test (profile ci-test: release optimisation, no whole-program LTO per test binary)"
cargo test --profile ci-test --locked

phase "no_std build for wasm32-unknown-unknown"
scripts/check-wasm-nostd.sh

phase "waiting for the background installs and wasm build"
deps_rc=0
wait $deps_pid || deps_rc=$?
cat "$deps_log"
[ $deps_rc -eq 0 ] || { echo "installing the JS runtimes failed (exit $deps_rc)"; exit $deps_rc; }
# Exit 3: built, but over the size budget; test-js.sh reports that and fails at its end.
wasm_rc=0
wait $wasm_pid || wasm_rc=$?
echo "wasm build: exit $wasm_rc, $((SECONDS - wasm_t0)) s since it started; its size report:"
sed -n '/size report/,$p' "$wasm_log" | tail -n 30
if [ $wasm_rc -ne 0 ] && [ $wasm_rc -ne 3 ]; then tail -n 60 "$wasm_log"; exit $wasm_rc; fi

phase "npm package: Node 18/20/24, Bun, Chromium, Firefox, WebKit, workerd, Deno, demo page (scripts/test-js.sh)"
scripts/test-js.sh

export FUZZ_SECONDS=${FUZZ_SECONDS:-20}
phase "fuzz smoke: every fuzz target for $FUZZ_SECONDS s, two at a time (scripts/fuzz-smoke.sh; installs a C++ compiler when missing)"
scripts/fuzz-smoke.sh

phase "conformance runner against target/release/sigstore-verify"
if [ -x "$shared/tools/run-cases" ]; then
  "$shared/tools/run-cases" tests/data/conformance/cases.json --cli target/release/sigstore-verify
else
  echo "($shared/tools/run-cases not found: skipped; cargo test above already ran every case through the CLI)"
fi
