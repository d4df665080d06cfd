#!/usr/bin/env bash
# Compile-check (`cargo check`: every error a build would give for a library, without code
# generation) the core (sigstore-verifier) and the no_std library crates (sigstore-protojson,
# sigstore-npm, sigstore-tuf, sigstore-pypi, sigstore-attest) for wasm32-unknown-unknown without std (core + alloc only), proving they are no_std. Uses the active toolchain when it has the wasm32 target, else Debian's rustc-web with
# -Zbuild-std (see ../shared/notes/runtimes.md). Then the core alone without `native-crypto` (the
# web build's core: no curve or RSA crates; checked apart, since the other crates turn it on).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target/wasm-nostd}
if command -v rustup >/dev/null 2>&1 && rustup target list --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown$'; then
  cargo check -p sigstore-verifier -p sigstore-protojson -p sigstore-npm -p sigstore-tuf -p sigstore-pypi -p sigstore-attest --lib --no-default-features --target wasm32-unknown-unknown
  cargo check -p sigstore-verifier --lib --no-default-features --target wasm32-unknown-unknown
else
  if [ ! -x /usr/bin/cargo ] || [ ! -d /usr/lib/rustlib/src/rust/library ]; then
    echo "installing Debian's rustc-web toolchain (wasm32 std source)" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rustc-web cargo-web rust-web-src lld-22 >/dev/null
  fi
  linker=$(ls /usr/lib/llvm-*/bin/wasm-ld 2>/dev/null | sort -V | tail -n1 || true)
  [ -n "$linker" ] && export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=$linker
  RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 /usr/bin/cargo check -p sigstore-verifier -p sigstore-protojson -p sigstore-npm -p sigstore-tuf -p sigstore-pypi -p sigstore-attest --lib --no-default-features --target wasm32-unknown-unknown -Zbuild-std=core,alloc
  RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 /usr/bin/cargo check -p sigstore-verifier --lib --no-default-features --target wasm32-unknown-unknown -Zbuild-std=core,alloc
fi
# Without native-crypto, no curve or big-integer crate may be in the core's dependency tree.
if cargo tree -p sigstore-verifier --no-default-features -e normal --prefix none 2>/dev/null | grep -E '^(p256|p384|p521|primeorder|ecdsa|ed25519-dalek|curve25519-dalek|rsa|crypto-bigint) ' ; then
  echo "error: the core without native-crypto depends on the arithmetic crates above" >&2
  exit 1
fi
echo "no_std wasm32 build: ok (also the core without native-crypto)"
