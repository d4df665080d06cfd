// Hashing throughput on 16 MiB, shared by hash.mjs (Node) and browser.html (Chromium): the
// package's streaming hashers (1 MiB chunks), the plain-sha2 wasm hasher, WebCrypto's digest
// (whole buffer; it has no streaming form) and any `extra` runtime hashers. Median of 5, MB/s.
const SIZE = 16 * 1024 * 1024;
const CHUNK = 1024 * 1024;

export async function hashRates(api, extra = {}) {
  const data = new Uint8Array(SIZE);
  for (let i = 0; i < SIZE; i++) data[i] = (i * 2654435761) >>> 24;
  const mbps = async (fn, reps = 5) => {
    await fn();
    const t = [];
    for (let i = 0; i < reps; i++) {
      const a = performance.now();
      await fn();
      t.push((performance.now() - a) / 1e3);
    }
    t.sort((x, y) => x - y);
    return SIZE / 1e6 / t[Math.floor(reps / 2)];
  };
  const streamed = (Ctor) => () => {
    const h = new Ctor();
    for (let o = 0; o < SIZE; o += CHUNK) h.update(data.subarray(o, o + CHUNK));
    return h.digest('hex');
  };
  const out = {};
  for (const [alg, Ctor, web] of [['sha256', api.Sha256, 'SHA-256'], ['sha512', api.Sha512, 'SHA-512']]) {
    out[`${alg} sigstore-wasm streaming`] = await mbps(streamed(Ctor));
    if (api.scalarHasher) out[`${alg} plain sha2 (wasm)`] = await mbps(streamed(api.scalarHasher(alg)));
    for (const [name, fn] of Object.entries(extra)) out[`${alg} ${name}`] = await mbps(() => fn(alg, data));
    out[`${alg} WebCrypto digest`] = await mbps(() => crypto.subtle.digest(web, data));
  }
  return out;
}
