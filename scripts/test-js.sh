#!/usr/bin/env bash
# The npm package's tests: trust over TUF (pkg/test/tuf.test.mjs: the happy path from root 12
# and every fault, against the stand-in repository pkg/test/tuf-repo.mjs; the happy path also in
# Chromium, workerd and Deno), all 140 conformance entries (tests/data/conformance/cases.json) through
# sigstore-wasm in each runtime, compared with the native CLI's verdicts and error codes, plus the
# demo page in Chromium, plus npm provenance end to end (pkg/test/npm-cases.js) against a stand-in
# registry on 127.0.0.1 in Node and Chromium, PyPI PEP 740 attestations end to end
# (pkg/test/pypi-cases.js) against a stand-in index (pkg/test/pypi-index.mjs) in Node and
# Chromium, the <sigstore-provenance> badge (npm and PyPI modes) and the browser
# extension (extension/, npmjs and PyPI pages) in Chromium against that registry, and the edge gate (gate/) in workerd
# and Deno (with its GATE_* codes checked against gate/README.md and docs/errors.md in Node).
#
# usage: scripts/test-js.sh [all | node | chromium | workerd | deno | www | npm-node | npm-chromium |
#                            pypi-node | pypi-chromium | badge | pypi-badge | extension |
#                            pypi-extension | gate]...
#        (default: all)
#
# Installs what it needs (pkg/'s npm dev packages, Debian's chromium, the wasm toolchain), builds
# the package (scripts/build-wasm.sh; quick when up to date) and the release CLI, writes
# target/js-tests/fixtures.json (inputs + the CLI's expected results), then runs each runtime.
# Each prints `<runtime>: N passed, M failed`; the exit status is 1 when any failed or when the
# package is over its size budget (wasm-pack.toml [budget]).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=target/js-tests
mkdir -p "$out"

runtimes=("$@")
[ ${#runtimes[@]} -eq 0 ] && runtimes=(all)
if [[ " ${runtimes[*]} " == *" all "* ]]; then runtimes=(node tuf chromium workerd deno www npm-node npm-chromium pypi-node pypi-chromium badge pypi-badge extension pypi-extension gate); fi
for r in "${runtimes[@]}"; do
  case "$r" in node | tuf | chromium | workerd | deno | www | npm-node | npm-chromium | pypi-node | pypi-chromium | badge | pypi-badge | extension | pypi-extension | gate) ;; *) echo "unknown runtime: $r" >&2; exit 2 ;; esac
done
needs_chromium=
[[ " ${runtimes[*]} " == *" chromium "* || " ${runtimes[*]} " == *" www "* || " ${runtimes[*]} " == *" npm-chromium "* || " ${runtimes[*]} " == *" pypi-chromium "* || " ${runtimes[*]} " == *" pypi-badge "* || " ${runtimes[*]} " == *" badge "* || " ${runtimes[*]} " == *" extension "* || " ${runtimes[*]} " == *" pypi-extension "* ]] && needs_chromium=chromium

set -e
scripts/js-deps.sh $needs_chromium

echo "== building the package (scripts/build-wasm.sh)"
budget_failed=0
scripts/build-wasm.sh || { rc=$?; if [ $rc -eq 3 ]; then budget_failed=1; else exit $rc; fi; }

echo "== native CLI and expected results"
cargo build --release --locked --bin sigstore-verify 2>&1 | tail -n 1
node pkg/test/fixtures.mjs --cli target/release/sigstore-verify --out "$out/fixtures.json"
export FIXTURES="$root/$out/fixtures.json"
set +e

# The stand-in TUF repository (pkg/test/tuf-repo.mjs) for the runtimes that cannot start one
# themselves (workerd, Deno; the Node and Chromium runners start their own).
tuf_log=$out/tuf-repo.log
node pkg/test/tuf-repo.mjs >"$tuf_log" 2>&1 &
tuf_pid=$!
trap 'kill $tuf_pid 2>/dev/null' EXIT
for _ in $(seq 1 100); do grep -q '^http' "$tuf_log" && break; sleep 0.1; done
TUF_URL=$(grep -m1 '^http' "$tuf_log")
export TUF_URL

summary=()
failed_any=0
record() { # runtime passed failed
  summary+=("$1: $2 passed, $3 failed")
  [ "$3" -ne 0 ] && failed_any=1
  return 0
}

run_node() { # [name test-file]
  local name=${1:-node} file=${2:-test/node.test.mjs}
  local log=$out/$name.log
  (cd pkg && node --test --test-reporter=spec "$file") 2>&1 | tee "$log" | grep -E '^\s*(✖|ℹ (tests|pass|fail))' | grep -v '^\s*✖ failing tests' || true
  local p f
  p=$(grep -Eo 'ℹ pass [0-9]+' "$log" | grep -Eo '[0-9]+$' || echo 0)
  f=$(grep -Eo 'ℹ fail [0-9]+' "$log" | grep -Eo '[0-9]+$' || echo 1)
  [ -z "$p$f" ] && f=1
  echo "$name: ${p:-0} passed, ${f:-1} failed"
  record "$name" "${p:-0}" "${f:-1}"
}

run_deno() {
  local log=$out/deno.log
  mkdir -p "$out/deno-dir"
  (cd pkg && NO_COLOR=1 DENO_DIR="$root/$out/deno-dir" DENO_NO_UPDATE_CHECK=1 TUF_URL="$TUF_URL" node_modules/.bin/deno test --allow-read --allow-env=FIXTURES,TUF_URL --allow-net=127.0.0.1 test/deno.test.js) >"$log" 2>&1
  grep -E '^.* => |FAILED|^error' "$log" | head -n 40
  local line p f
  line=$(grep -E '^(ok|FAILED) \| [0-9]+ passed' "$log" | tail -n 1)
  p=$(sed -E 's/.*\| ([0-9]+) passed.*/\1/' <<<"$line")
  f=$(sed -E 's/.*\| ([0-9]+) failed.*/\1/' <<<"$line")
  if [ -z "$line" ]; then tail -n 20 "$log"; p=0; f=1; fi
  echo "deno: $p passed, $f failed"
  record deno "$p" "$f"
}

run_workerd() {
  # Module names mirror the repository paths, so the package's relative imports resolve as on
  # disk; the .wasm is a `wasm` module (compiled at load), as Wrangler would bundle it.
  cat >"$out/workerd.capnp" <<'EOF'
using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = ( services = [ (name = "main", worker = .w), (name = "net", network = (allow = ["public", "private", "local"])) ] );
const w :Workerd.Worker = (
  modules = [
    (name = "pkg/test/workerd-worker.js", esModule = embed "../../pkg/test/workerd-worker.js"),
    (name = "pkg/test/run-cases.js", esModule = embed "../../pkg/test/run-cases.js"),
    (name = "pkg/test/tuf-cases.js", esModule = embed "../../pkg/test/tuf-cases.js"),
@PKG_SRC_MODULES@
    (name = "pkg/wasm/sigstore_wasm.js", esModule = embed "../../pkg/wasm/sigstore_wasm.js"),
    (name = "pkg/wasm/sigstore_wasm_bg.wasm", wasm = embed "../../pkg/wasm/sigstore_wasm_bg.wasm"),
    (name = "target/js-tests/fixtures.json", json = embed "fixtures.json"),
  ],
  bindings = [ (name = "TUF_URL", text = "@TUF_URL@") ],
  globalOutbound = "net",
  compatibilityDate = "2025-01-01",
);
EOF
  # Every module of the package (a module not imported is never evaluated).
  local mods="" f
  for f in pkg/src/*.js; do mods+="    (name = \"$f\", esModule = embed \"../../$f\"),"$'\n'; done
  MODS="$mods" perl -0pi -e 's/\@PKG_SRC_MODULES\@\n/$ENV{MODS}/' "$out/workerd.capnp"
  perl -pi -e "s|\@TUF_URL\@|$TUF_URL|" "$out/workerd.capnp"
  local log=$out/workerd.log
  pkg/node_modules/.bin/workerd test "$out/workerd.capnp" >"$log" 2>&1
  local rc=$?
  grep -E '^(FAIL|workerd:)|\[ (PASS|FAIL) \]|uncaught|Error' "$log" | head -n 40
  local line p f
  line=$(grep -E '^workerd: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
  if [ -z "$line" ]; then tail -n 20 "$log"; p=0; f=1; else
    p=$(sed -E 's/^workerd: ([0-9]+) passed.*/\1/' <<<"$line")
    f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
    [ $rc -ne 0 ] && [ "$f" -eq 0 ] && f=1
  fi
  record workerd "$p" "$f"
}

run_browser() { # chromium | www
  local name=$1 script=$2 log=$out/$1.log
  node "pkg/test/$script" 2>&1 | tee "$log" | grep -Ev '^/usr/bin/chromium: [0-9]+: \[' | head -n 60
  local line p f
  line=$(grep -E "^$name: [0-9]+ passed, [0-9]+ failed" "$log" | tail -n 1)
  if [ -z "$line" ]; then p=0; f=1; else
    p=$(sed -E "s/^$name: ([0-9]+) passed.*/\1/" <<<"$line")
    f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
  fi
  record "$name" "$p" "$f"
}

run_gate() { # the gate's codes against its docs (Node), the edge gate Worker in workerd (gate/test/workerd.mjs), then its logic in Deno
  run_node gate-codes ../gate/test/codes.test.mjs
  local log=$out/gate.log line
  node gate/test/workerd.mjs >"$log" 2>&1
  grep -Ev '^  ok ' "$log" | head -n 40
  line=$(grep -E '^gate: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
  if [ -z "$line" ]; then record gate 0 1; else record gate $(sed -E 's/^gate: ([0-9]+) passed, ([0-9]+) failed/\1 \2/' <<<"$line"); fi
  log=$out/gate-deno.log
  mkdir -p "$out/deno-dir"
  (cd gate && NO_COLOR=1 DENO_DIR="$root/$out/deno-dir" DENO_NO_UPDATE_CHECK=1 ../pkg/node_modules/.bin/deno test --allow-net=127.0.0.1 --allow-read test/gate.deno.test.js) >"$log" 2>&1
  grep -E '^FAILED|^error|=> ' "$log" | head -n 40
  line=$(grep -E '^gate-deno: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
  if [ -z "$line" ]; then tail -n 20 "$log"; record gate-deno 0 1; else echo "$line"; record gate-deno $(sed -E 's/^gate-deno: ([0-9]+) passed, ([0-9]+) failed/\1 \2/' <<<"$line"); fi
}

for r in "${runtimes[@]}"; do
  echo "== $r"
  case "$r" in
    node) run_node ;;
    tuf) run_node tuf test/tuf.test.mjs ;;
    deno) run_deno ;;
    workerd) run_workerd ;;
    chromium) run_browser chromium chromium.mjs ;;
    www) run_browser www www.mjs ;;
    npm-node) run_node npm-node test/npm.test.mjs ;;
    npm-chromium) run_browser npm-chromium npm-chromium.mjs ;;
    pypi-node) run_node pypi-node test/pypi.test.mjs ;;
    pypi-chromium) run_browser pypi-chromium pypi-chromium.mjs ;;
    badge) run_browser badge badge-chromium.mjs ;;
    pypi-badge) run_browser pypi-badge badge-pypi-chromium.mjs ;;
    extension) run_browser extension extension-chromium.mjs ;;
    pypi-extension) run_browser pypi-extension extension-pypi-chromium.mjs ;;
    gate) run_gate ;;
  esac
done

echo "== summary"
for s in "${summary[@]}"; do echo "$s"; done
if [ $budget_failed -eq 1 ]; then
  echo "size budget: the package is over wasm-pack.toml's [budget] (see the build's size report)"
  failed_any=1
fi
exit $failed_any
