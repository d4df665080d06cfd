#!/usr/bin/env bash
# Fuzz smoke test: every cargo-fuzz target in fuzz/ for FUZZ_SECONDS seconds each, from the seed
# corpora (fuzz/seed.sh) with the JSON dictionary. Fails on a crash (panic), an allocation or RSS
# over FUZZ_RSS_MB (256) or one input running over FUZZ_TIMEOUT (10 s); the input that did it is
# kept under fuzz/artifacts/<target>/. Prints one line per target: executions, corpus size, time.
#
# Installs what it needs: a C++ compiler (libfuzzer-sys builds libFuzzer from source) and
# cargo-fuzz. No nightly toolchain: the installed stable one with RUSTC_BOOTSTRAP=1, and
# `--sanitizer none`, which needs no sanitizer runtime.
#
#   FUZZ_SECONDS=600 scripts/fuzz-smoke.sh              # longer runs
#   FUZZ_TARGETS="bundle_verify checkpoint" scripts/fuzz-smoke.sh
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-15}
rss_mb=${FUZZ_RSS_MB:-256}
timeout_s=${FUZZ_TIMEOUT:-10}
targets=${FUZZ_TARGETS:-"bundle_verify trusted_root certificate_der rfc3161_token checkpoint tuf_metadata npm_documents"}
export RUSTC_BOOTSTRAP=1

if ! command -v c++ >/dev/null 2>&1 && ! command -v clang++ >/dev/null 2>&1; then
  echo "fuzz-smoke: installing g++ (libfuzzer-sys compiles libFuzzer)"
  apt-get install -y --no-install-recommends g++ >/dev/null || { apt-get update >/dev/null && apt-get install -y --no-install-recommends g++ >/dev/null; }
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz-smoke: installing cargo-fuzz"
  cargo install cargo-fuzz --locked || cargo install cargo-fuzz
fi

fuzz/seed.sh

t0=$(date +%s)
cargo fuzz build --sanitizer none
echo "fuzz-smoke: build took $(( $(date +%s) - t0 )) s"

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
failed=()
for t in $targets; do
  dict=()
  case $t in certificate_der | rfc3161_token) ;; *) dict=(-dict=fuzz/json.dict) ;; esac
  start=$(date +%s)
  rc=0
  cargo fuzz run "$t" --sanitizer none -- \
    -max_total_time="$seconds" -rss_limit_mb="$rss_mb" -malloc_limit_mb="$rss_mb" -timeout="$timeout_s" \
    -print_final_stats=1 "${dict[@]}" >"$logs/$t.log" 2>&1 || rc=$?
  took=$(( $(date +%s) - start ))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$logs/$t.log" | tail -1)
  peak=$(sed -n 's/^stat::peak_rss_mb: *//p' "$logs/$t.log" | tail -1)
  corpus=$(find "fuzz/corpus/$t" -type f | wc -l)
  if [ "$rc" -eq 0 ]; then
    echo "fuzz-smoke: $t: ok, ${execs:-?} executions in ${took} s, peak RSS ${peak:-?} MB, corpus $corpus files"
  else
    echo "fuzz-smoke: $t: FAILED (exit $rc) after ${took} s, ${execs:-?} executions; last lines of its log:"
    grep -E 'ERROR|panicked|SUMMARY|Test unit written|out-of-memory|timeout' "$logs/$t.log" | head -20 || true
    tail -40 "$logs/$t.log"
    failed+=("$t")
  fi
done
echo "fuzz-smoke: total $(( $(date +%s) - t0 )) s"
if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz-smoke: failed: ${failed[*]} (reproduce: RUSTC_BOOTSTRAP=1 cargo fuzz run TARGET --sanitizer none fuzz/artifacts/TARGET/FILE)" >&2
  exit 1
fi
