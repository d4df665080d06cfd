// Hashing throughput, shared by hash.mjs (Node) and browser.html (Chromium). MB/s, median of 7
// runs taken round-robin over the hashers of a row group, so that a change in the machine's load
// falls on all of them alike (the ratios are what matters on a shared machine).
//
// One stream, 16 MiB: the package's wasm `Sha256`/`Sha512` (the `sha2` crate, fed 1 MiB chunks),
// hash-wasm (fed the same chunks), WebCrypto's digest (whole buffer: it has no streaming form)
// and any `extra.one` hashers (node:crypto).
// Batch, 64 files of 1 MiB, aggregate: `hashMany` (multi-buffer: four SHA-256 or two SHA-512
// lanes), the wasm `Sha256`/`Sha512` 64 times, hash-wasm 64 times, WebCrypto's digest for all 64
// at once (`Promise.all`; Node runs them on its thread pool) and any `extra.batch` hashers.
// Each ratio is to the wasm `Sha256`/`Sha512` of the same section (plain `sha2`).
const ONE = 16 << 20;
const CHUNK = 1 << 20;
const FILES = 64;
const FILE = 1 << 20;
const REPS = 7;

/** Issue 16's target: multi-buffer at least 2× plain `sha2` in aggregate. */
export const BATCH_TARGET = 2;

export async function hashRates(api, hashWasm, extra = {}) {
  const data = new Uint8Array(FILES * FILE);
  for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
  const one = data.subarray(0, ONE);
  const files = Array.from({ length: FILES }, (_, i) => data.subarray(i * FILE, (i + 1) * FILE));
  // { name: fn } -> { name: MB/s }: one warm-up run each, then REPS rounds of one run each.
  const rates = async (bytes, fns) => {
    const t = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
    for (const fn of Object.values(fns)) await fn();
    for (let r = 0; r < REPS; r++) {
      for (const [k, fn] of Object.entries(fns)) {
        const a = performance.now();
        await fn();
        t[k].push((performance.now() - a) / 1e3);
      }
    }
    return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, bytes / 1e6 / v.sort((x, y) => x - y)[Math.floor(REPS / 2)]]));
  };
  const wasmOne = (Ctor, buf) => {
    const h = new Ctor();
    for (let o = 0; o < buf.length; o += CHUNK) h.update(buf.subarray(o, o + CHUNK));
    return h.digest('hex');
  };
  const hwOne = (h, buf) => {
    h.init();
    for (let o = 0; o < buf.length; o += CHUNK) h.update(buf.subarray(o, o + CHUNK));
    return h.digest('hex');
  };
  const out = { one: { size_mib: ONE >> 20, mb_per_s: {} }, batch: { files: FILES, file_mib: FILE >> 20, mb_per_s: {} } };
  const algs = [
    ['sha256', api.Sha256, 'SHA-256', await hashWasm.createSHA256()],
    ['sha512', api.Sha512, 'SHA-512', await hashWasm.createSHA512()],
  ];
  for (const [alg, Ctor, web, hw] of algs) {
    const fns = {
      [`${alg} wasm ${Ctor.name} (sha2)`]: () => wasmOne(Ctor, one),
      [`${alg} hash-wasm`]: () => hwOne(hw, one),
      [`${alg} WebCrypto digest`]: () => crypto.subtle.digest(web, one),
    };
    for (const [name, fn] of Object.entries(extra.one ?? {})) fns[`${alg} ${name}`] = () => fn(alg, one);
    Object.assign(out.one.mb_per_s, await rates(ONE, fns));
  }
  for (const [alg, Ctor, web, hw] of algs) {
    const fns = {
      [`${alg} hashMany (multi-buffer)`]: () => api.hashMany(alg, files),
      [`${alg} wasm ${Ctor.name} (sha2) x${FILES}`]: () => files.map((f) => wasmOne(Ctor, f)),
      [`${alg} hash-wasm x${FILES}`]: () => files.map((f) => hwOne(hw, f)),
      [`${alg} WebCrypto Promise.all`]: () => Promise.all(files.map((f) => crypto.subtle.digest(web, f))),
    };
    for (const [name, fn] of Object.entries(extra.batch ?? {})) fns[`${alg} ${name}`] = () => files.map((f) => fn(alg, f));
    Object.assign(out.batch.mb_per_s, await rates(FILES * FILE, fns));
  }
  return out;
}

/**
 * The rows of bench.mjs's table for one runtime's `hashRates` result: MB/s, the ratio to the
 * section's wasm `sha2` row of the same algorithm, and for `hashMany` the target.
 */
export function hashRows(runtime, h) {
  const lines = [];
  for (const [section, label] of [['one', `${h.one.size_mib} MiB`], ['batch', `${h.batch.files}x${h.batch.file_mib} MiB`]]) {
    const rows = h[section].mb_per_s;
    for (const [k, v] of Object.entries(rows)) {
      const alg = k.split(' ')[0];
      const baseKey = Object.keys(rows).find((n) => n.startsWith(`${alg} wasm `));
      const ratio = v / rows[baseKey];
      let note = '';
      if (k.includes('hashMany')) note = `  (target x${BATCH_TARGET}: ${ratio >= BATCH_TARGET ? 'met' : 'missed'})`;
      lines.push(`hash ${label.padEnd(10)} ${runtime.padEnd(9)} ${k.padEnd(36)} ${v.toFixed(0).padStart(5)} MB/s  x${ratio.toFixed(2)}${note}`);
    }
  }
  return lines;
}
