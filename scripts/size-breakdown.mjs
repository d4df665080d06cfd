// What the bytes of the wasm package are: the cargo-built module of a build, passed through the
// wasm-bindgen CLI the build uses (which removes the type-description functions it reads, and
// keeps the function names) but not wasm-opt, read with twiggy (crates.io, installed with
// `cargo install` when missing), each function and data segment attributed to the first crate in
// its demangled name that is not core/alloc/std (so a generic instantiated for our type counts
// as ours), then grouped. Prints a Markdown table for README "Size".
//
// usage: node scripts/size-breakdown.mjs [full|web|module.wasm]   (default: full, wasm-pack.toml's
//        `web` target; `web`: its `web-lite` target)
// Shares are of the code and data that reach the shipped module: the name section and custom
// sections are left out. wasm-opt then shrinks every part by roughly the same factor.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TWIGGY_VERSION = '0.8.0';

function twiggy() {
  const local = join(homedir(), '.cargo/bin/twiggy');
  for (const bin of ['twiggy', local]) {
    const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    if (r.status === 0) return bin;
  }
  console.error(`installing twiggy ${TWIGGY_VERSION} from crates.io (cargo install)`);
  const r = spawnSync('cargo', ['install', 'twiggy', '--version', TWIGGY_VERSION, '--locked'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('cargo install twiggy failed');
  return local;
}

const GROUPS = [
  ['regular expressions', /^regex/],
  ['elliptic curves, Ed25519, RSA, big integers', /^(p256|p384|p521|primeorder|ecdsa|elliptic_curve|crypto_bigint|rsa|curve25519_dalek|ed25519_dalek|ff|group|subtle|crypto_primes|signature|num_)/],
  ['DER, X.509, SPKI, OIDs, PEM', /^(der|x509_cert|spki|const_oid|pem_rfc7468|pkcs1|pkcs8)$/],
  ['JSON (serde, serde_json), TOML', /^(serde|serde_core|serde_json|zmij|itoa|ryu|toml|toml_parser|winnow|serde_spanned|toml_datetime)$/],
  ['SHA-2', /^(sha2|digest|block_buffer|crypto_common)$/],
  ['base64, hex', /^(base64|base64ct|base16ct)$/],
  ['wasm-bindgen glue, js-sys, the binding crate', /^(wasm_bindgen|js_sys|sigstore_wasm|export)$/],
  ['core + alloc (formatting, collections, slices)', /^(core|alloc|std)$/],
  ['allocator', /^dlmalloc$/],
  ['read-only data (strings, tables, embedded roots)', /^data$/],
];
const OURS = /^sigstore_(verifier|protojson|npm|tuf|pypi|attest)$/;

function crateOf(name) {
  if (name.startsWith('data segment') || name.startsWith('data[')) return 'data';
  if (/^(wasm[a-z]+_|__wbg_|__wbindgen_)/.test(name)) return 'export';
  const crates = [...name.matchAll(/([A-Za-z_][A-Za-z0-9_]*)\[[0-9a-f]+\]/g)].map((m) => m[1]);
  return crates.find((c) => !['core', 'alloc', 'std'].includes(c)) ?? crates[0] ?? 'other';
}

const BUILDS = {
  full: ['target/wasm/wasm32-unknown-unknown/release/sigstore_wasm.wasm', 'pkg/wasm/sigstore_wasm_bg.wasm'],
  web: ['target/wasm-web/wasm32-unknown-unknown/release/sigstore_wasm.wasm', 'pkg/wasm-web/sigstore_wasm_bg.wasm'],
};
const which = process.argv[2] ?? 'full';
const [built, shippedPath] = BUILDS[which] ?? [which, null];
const cargoOut = resolve(root, built);
if (!existsSync(cargoOut)) {
  console.error(`${cargoOut} not found: build the package first (scripts/build-wasm.sh)`);
  process.exit(2);
}
// wasm-bindgen as the build runs it (scripts/build-wasm.mjs installs the pinned CLI there).
const outDir = mkdtempSync(join(tmpdir(), 'size-breakdown-'));
const bindgen = ['wasm-bindgen', join(homedir(), '.cargo/bin/wasm-bindgen')].find((b) => spawnSync(b, ['--version']).status === 0);
if (!bindgen) {
  console.error('wasm-bindgen CLI not found: scripts/build-wasm.sh installs it');
  process.exit(2);
}
execFileSync(bindgen, ['--target', 'web', '--no-typescript', '--out-dir', outDir, '--out-name', 'm', cargoOut]);
const input = join(outDir, 'm_bg.wasm');
const csv = execFileSync(twiggy(), ['top', '-n', '1000000', '-f', 'csv', input], { encoding: 'utf8', maxBuffer: 1 << 28 });
const inputSize = statSync(input).size;
const lines = csv.trim().split('\n').slice(1);
const byCrate = new Map();
let total = 0;
for (const line of lines) {
  // Name,ShallowSize,ShallowSizePercent,RetainedSize,RetainedSizePercent (Name may be quoted)
  const m = line.match(/^("(?:[^"]|"")*"|[^,]*),(\d+),/);
  if (!m) continue;
  const name = m[1].startsWith('"') ? m[1].slice(1, -1).replaceAll('""', '"') : m[1];
  const size = Number(m[2]);
  if (/function names|custom section|^Σ|^\.\.\. and|__wbindgen_describe|^"?type\[|^import /.test(name)) continue;
  const c = crateOf(name);
  byCrate.set(c, (byCrate.get(c) ?? 0) + size);
  total += size;
}

const groups = new Map();
const members = new Map();
for (const [c, size] of byCrate) {
  const g = OURS.test(c) ? `${c.replace('_', '-')} (ours)` : (GROUPS.find(([, re]) => re.test(c))?.[0] ?? 'other crates');
  groups.set(g, (groups.get(g) ?? 0) + size);
  if (!members.has(g)) members.set(g, []);
  members.get(g).push([c, size]);
}

const shipped = shippedPath ? join(root, shippedPath) : '';
rmSync(outDir, { recursive: true, force: true });
const kb = (n) => (n / 1024).toFixed(1);
console.log(`Module ${built} after wasm-bindgen: ${kb(inputSize)} KiB with names; counted code + data ${kb(total)} KiB.`);
if (shipped && existsSync(shipped)) {
  const b = readFileSync(shipped);
  console.log(`Shipped ${shipped.replace(root + '/', '')} (after wasm-bindgen and wasm-opt): ${kb(b.length)} KiB, ${kb(gzipSync(b, { level: 9 }).length)} KiB gzip.`);
}
console.log('');
console.log('| part | KiB after wasm-bindgen, before wasm-opt | share | largest crates |');
console.log('|---|---:|---:|---|');
for (const [g, size] of [...groups].sort((a, b) => b[1] - a[1])) {
  const top = members.get(g).sort((a, b) => b[1] - a[1]).slice(0, 4).map(([c, s]) => `${c} ${kb(s)}`).join(', ');
  console.log(`| ${g} | ${kb(size)} | ${((100 * size) / total).toFixed(1)}% | ${top} |`);
}
