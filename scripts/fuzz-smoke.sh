#!/usr/bin/env bash
# Fuzz smoke test: every fuzz target in fuzz/ for FUZZ_SECONDS seconds (30 by default), from the
# seed corpora (fuzz/seed.sh) with the JSON dictionary, FUZZ_JOBS targets at a time (2: one per
# core here). Fails on a crash (panic), an allocation or RSS over FUZZ_RSS_MB (256) or one input
# running over FUZZ_TIMEOUT (10 s); the input that did it is kept under fuzz/artifacts/<target>/.
# Prints one line per target: executions, peak RSS, corpus size, time.
#
# The targets are built the way `cargo fuzz build --sanitizer none` builds them (release, host
# target triple so build scripts stay uninstrumented, SanitizerCoverage flags, `--cfg fuzzing`),
# with plain cargo: installing cargo-fuzz would cost a fresh CI machine minutes for a wrapper.
# `cargo fuzz run` still works on these targets for whoever has it (fuzz/README.md).
# Needs a C++ compiler (libfuzzer-sys builds libFuzzer from source; installed when missing). No
# nightly toolchain: the installed stable one with RUSTC_BOOTSTRAP=1.
#
#   FUZZ_SECONDS=600 scripts/fuzz-smoke.sh              # longer runs
#   FUZZ_TARGETS="bundle_verify checkpoint" scripts/fuzz-smoke.sh
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-30}
rss_mb=${FUZZ_RSS_MB:-256}
timeout_s=${FUZZ_TIMEOUT:-10}
jobs=${FUZZ_JOBS:-2}
targets=${FUZZ_TARGETS:-"bundle_verify trusted_root certificate_der rfc3161_token checkpoint tuf_metadata npm_documents pypi_documents attest_documents identity_pattern"}
export RUSTC_BOOTSTRAP=1

if ! command -v c++ >/dev/null 2>&1 && ! command -v clang++ >/dev/null 2>&1; then
  echo "fuzz-smoke: installing g++ (libfuzzer-sys compiles libFuzzer)"
  apt-get install -y --no-install-recommends g++ >/dev/null || { apt-get update >/dev/null && apt-get install -y --no-install-recommends g++ >/dev/null; }
fi

fuzz/seed.sh

host=$(rustc -vV | sed -n 's/^host: //p')
t0=$(date +%s)
# cargo-fuzz 0.13's flags for `--sanitizer none` at its default coverage level (4).
RUSTFLAGS="--cfg fuzzing -Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares" \
  cargo build --manifest-path fuzz/Cargo.toml --release --target "$host" --bins --locked
bin=fuzz/target/$host/release
echo "fuzz-smoke: build took $(( $(date +%s) - t0 )) s"

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

run_one() { # target: runs it, writes $logs/<target>.{log,rc,took}
  local t=$1 dict=() start rc=0
  case $t in certificate_der | rfc3161_token) ;; identity_pattern) dict=(-dict=fuzz/pattern.dict) ;; *) dict=(-dict=fuzz/json.dict) ;; esac
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
  start=$(date +%s)
  "$bin/$t" -artifact_prefix="fuzz/artifacts/$t/" -max_total_time="$seconds" -rss_limit_mb="$rss_mb" \
    -malloc_limit_mb="$rss_mb" -timeout="$timeout_s" -print_final_stats=1 "${dict[@]}" "fuzz/corpus/$t" >"$logs/$t.log" 2>&1 || rc=$?
  echo "$rc" >"$logs/$t.rc"
  echo $(( $(date +%s) - start )) >"$logs/$t.took"
}

# FUZZ_JOBS targets at a time.
running=0
for t in $targets; do
  [ -x "$bin/$t" ] || { echo "fuzz-smoke: no such target: $t" >&2; exit 2; }
  run_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then wait -n || true; running=$((running - 1)); fi
done
wait

failed=()
for t in $targets; do
  rc=$(cat "$logs/$t.rc" 2>/dev/null || echo 1)
  took=$(cat "$logs/$t.took" 2>/dev/null || echo "?")
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
  echo "fuzz-smoke: failed: ${failed[*]} (reproduce: $bin/TARGET fuzz/artifacts/TARGET/FILE)" >&2
  exit 1
fi
