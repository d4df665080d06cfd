// Build pkg/ from wasm-pack.toml: cargo (wasm32) -> wasm-bindgen CLI -> wasm-opt -> size budgets.
// Run through scripts/build-wasm.sh, which installs pkg/'s npm dev packages first. Steps whose
// output is newer than their input are skipped. Exit status: 0 built within budget, 3 built but
// over the size budget, 1 build failure.
//
// Toolchain (shared/notes/runtimes.md): the active cargo when `rustup target list --installed`
// has the target; otherwise Debian's rustc-web (/usr/bin/cargo, RUSTC_BOOTSTRAP=1,
// -Zbuild-std, llvm wasm-ld), installed with apt-get when missing.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'pkg', 'package.json'));
const { parse } = require('smol-toml');
const config = parse(readFileSync(join(root, 'wasm-pack.toml'), 'utf8'));

const log = (...a) => console.error('[build-wasm]', ...a);
function run(cmd, args, env = {}) {
  log('$', cmd, ...args);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status ?? r.signal})`);
}
function output(cmd, args, env = {}) {
  try {
    return execFileSync(cmd, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, ...env } }).trim();
  } catch {
    return null;
  }
}
const apt = (...pkgs) => {
  log('apt-get install', ...pkgs);
  run('bash', ['-c', `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${pkgs.join(' ')} >/dev/null`]);
};

/** cargo, its environment and extra flags for `target`. */
function toolchain(target) {
  const installed = output('rustup', ['target', 'list', '--installed']);
  if (installed && installed.split('\n').includes(target)) {
    return { cargo: 'cargo', env: {}, extra: [], rustflags: [], name: 'rustup (target installed)' };
  }
  if (!existsSync('/usr/bin/cargo') || !existsSync('/usr/bin/rustc') || !existsSync('/usr/lib/rustlib/src/rust/library')) {
    apt('rustc-web', 'cargo-web', 'rust-web-src', 'lld-22');
  }
  const env = { RUSTC: '/usr/bin/rustc', RUSTC_BOOTSTRAP: '1' };
  const lds = readdirSync('/usr/lib').filter((d) => /^llvm-\d+$/.test(d) && existsSync(`/usr/lib/${d}/bin/wasm-ld`));
  lds.sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
  if (lds.length) env[`CARGO_TARGET_${target.toUpperCase().replaceAll('-', '_')}_LINKER`] = `/usr/lib/${lds.at(-1)}/bin/wasm-ld`;
  return {
    cargo: '/usr/bin/cargo',
    env,
    extra: [`-Zbuild-std=${config.cargo['build-std'].join(',')}`],
    rustflags: config.cargo['build-std-rustflags'] ?? [],
    name: 'Debian rustc-web + -Zbuild-std',
  };
}

/** The wasm-bindgen CLI of exactly the version Cargo.lock pins; installed when missing. */
function wasmBindgen(tc) {
  const lock = readFileSync(join(root, 'Cargo.lock'), 'utf8');
  const m = lock.match(/name = "wasm-bindgen"\nversion = "([^"]+)"/);
  if (!m) throw new Error('wasm-bindgen is not in Cargo.lock');
  const want = m[1];
  for (const bin of ['wasm-bindgen', join(homedir(), '.cargo', 'bin', 'wasm-bindgen')]) {
    if (output(bin, ['--version']) === `wasm-bindgen ${want}`) return bin;
  }
  log(`installing wasm-bindgen-cli ${want} (a few minutes)`);
  run(tc.cargo, ['install', 'wasm-bindgen-cli', '--version', want], tc.env);
  return join(homedir(), '.cargo', 'bin', 'wasm-bindgen');
}

const kib = (n) => (n / 1024).toFixed(1) + ' KiB';
const tomlValue = (v) => (typeof v === 'string' ? JSON.stringify(v) : String(v));

// `node scripts/build-wasm.mjs [TARGET...]`: only the named targets (default: every one); the size
// report covers every budget either way.
const only = process.argv.slice(2);
for (const name of only) if (!config.target.some((t) => t.name === name)) throw new Error(`no target ${name} in wasm-pack.toml`);
for (const t of config.target) {
  if (only.length && !only.includes(t.name)) continue;
  log(`target ${t.name}: ${t.package} for ${t['rust-target']}`);
  const tc = toolchain(t['rust-target']);
  log('toolchain:', tc.name);
  const bindgen = wasmBindgen(tc);

  // A target with other RUSTFLAGS gets its own target dir, so the builds do not invalidate each other.
  const targetDir = join(root, t['target-dir'] ?? config.cargo['target-dir']);
  // `cargo rustc --crate-type`: the cdylib exists only in this build, so the native build and
  // `cargo test` (whose lib is built twice, unwind and abort) keep a plain rlib.
  const args = ['rustc', '-p', t.package, '--lib', '--crate-type', t['crate-type'], '--release', '--locked', '--target', t['rust-target']];
  if (t.features?.length) args.push('--features', t.features.join(','));
  if (t['no-default-features']) args.push('--no-default-features');
  for (const [k, v] of Object.entries(t.profile ?? {})) args.push('--config', `profile.release.${k}=${tomlValue(v)}`);
  // Per-crate overrides, e.g. speed-optimised arithmetic inside a size-optimised build.
  for (const [pkg, o] of Object.entries(t['profile-packages'] ?? {})) {
    for (const [k, v] of Object.entries(o)) args.push('--config', `profile.release.package.${JSON.stringify(pkg)}.${k}=${tomlValue(v)}`);
  }
  args.push(...tc.extra);
  const rustflagsVar = `CARGO_TARGET_${t['rust-target'].toUpperCase().replaceAll('-', '_')}_RUSTFLAGS`;
  run(tc.cargo, args, { ...tc.env, CARGO_TARGET_DIR: targetDir, [rustflagsVar]: [...(t.rustflags ?? []), ...tc.rustflags].join(' ') });
  const built = join(targetDir, t['rust-target'], 'release', 'sigstore_wasm.wasm');
  const rawSize = statSync(built).size;

  const outDir = join(root, t['out-dir']);
  const wasmFile = join(outDir, `${t['out-name']}_bg.wasm`);
  const jsFile = join(outDir, `${t['out-name']}.js`);
  const mtime = (f) => (existsSync(f) ? statSync(f).mtimeMs : -1);
  const inputs = Math.max(mtime(built), mtime(join(root, 'wasm-pack.toml')));
  if (mtime(wasmFile) > inputs && mtime(jsFile) > inputs) {
    log(`${t.name}: ${t['out-dir']} is up to date`);
    continue;
  }
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  run(bindgen, ['--target', t['bindgen-target'], '--out-dir', outDir, '--out-name', t['out-name'], ...(t['bindgen-args'] ?? []), built]);
  const bindgenSize = statSync(wasmFile).size;

  if (config['wasm-opt'].enabled) {
    const wasmOpt = join(root, 'pkg', 'node_modules', '.bin', 'wasm-opt');
    log('wasm-opt', output(wasmOpt, ['--version']));
    run(wasmOpt, [...config['wasm-opt'].args, wasmFile, '-o', wasmFile]);
  }
  log(`${t.name}: cargo ${kib(rawSize)}, after wasm-bindgen ${kib(bindgenSize)}, after wasm-opt ${kib(statSync(wasmFile).size)}`);
}

// Size report and budgets: the top-level [budget] (the full build, pkg/wasm and its JS), then
// each target's own `budget` table (the web build). Each total is printed against its budget;
// exit 3 when any is over.
const budgets = [{ name: 'full', ...config.budget }, ...config.target.filter((t) => t.budget).map((t) => ({ name: t.name, ...t.budget }))];
let over = false;
console.log('size report (gzip -9; brotli -11 for reference):');
for (const budget of budgets) {
  let raw = 0;
  let gz = 0;
  let br = 0;
  console.log(` ${budget.name}:`);
  for (const f of budget.files) {
    const data = readFileSync(join(root, f));
    const g = gzipSync(data, { level: 9 }).length;
    const b = brotliCompressSync(data, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }).length;
    raw += data.length;
    gz += g;
    br += b;
    console.log(`  ${f.padEnd(36)} ${kib(data.length).padStart(10)} raw ${kib(g).padStart(10)} gzipped ${kib(b).padStart(10)} brotli`);
  }
  console.log(`  ${'total'.padEnd(36)} ${kib(raw).padStart(10)} raw ${kib(gz).padStart(10)} gzipped ${kib(br).padStart(10)} brotli (budget ${budget['gzip-kib']} KiB gzipped)`);
  if (gz > budget['gzip-kib'] * 1024) {
    console.error(`error: ${budget.name}: ${kib(gz)} gzipped is over the budget of ${budget['gzip-kib']} KiB (wasm-pack.toml)`);
    over = true;
  }
}
// Exit 3: the package is built but too large (scripts/test-js.sh still tests it, then fails).
if (over) process.exit(3);
