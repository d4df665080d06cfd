// Hashing throughput on 16 MiB: the package's streaming hashers (1 MiB chunks), node:crypto and
// WebCrypto (whole buffer; it has no streaming digest). Prints JSON.
import { createHash, webcrypto } from 'node:crypto';

const pkg = await import('../pkg/src/node.js');
const SIZE = 16 * 1024 * 1024;
const CHUNK = 1024 * 1024;
const data = new Uint8Array(SIZE);
for (let i = 0; i < SIZE; i++) data[i] = (i * 2654435761) >>> 24;

async function mbps(fn, reps = 5) {
  await fn();
  const t = [];
  for (let i = 0; i < reps; i++) {
    const a = process.hrtime.bigint();
    await fn();
    t.push(Number(process.hrtime.bigint() - a) / 1e9);
  }
  t.sort((x, y) => x - y);
  return SIZE / 1e6 / t[Math.floor(reps / 2)];
}

const streamed = (Ctor) => () => {
  const h = new Ctor();
  for (let o = 0; o < SIZE; o += CHUNK) h.update(data.subarray(o, o + CHUNK));
  return h.digest('hex');
};
const out = { runtime: `node ${process.version}`, size_mib: 16, mb_per_s: {} };
for (const [alg, Ctor, node, web] of [['sha256', pkg.Sha256, 'sha256', 'SHA-256'], ['sha512', pkg.Sha512, 'sha512', 'SHA-512']]) {
  out.mb_per_s[`${alg} sigstore-wasm streaming`] = await mbps(streamed(Ctor));
  if (pkg.scalarHasher) out.mb_per_s[`${alg} plain sha2 (wasm)`] = await mbps(streamed(pkg.scalarHasher(alg)));
  out.mb_per_s[`${alg} node:crypto`] = await mbps(() => createHash(node).update(data).digest('hex'));
  out.mb_per_s[`${alg} WebCrypto digest`] = await mbps(() => webcrypto.subtle.digest(web, data));
}
console.log(JSON.stringify(out));
