// Warm per-bundle timings of one verifier, in one process: median and p95 of N runs after warm-up.
// usage: node warm.mjs <sigstore-js|sigstore-wasm|sigstore-wasm-async> [N]
import { CASES } from './cases.mjs';
import * as subjects from './subjects.mjs';

const which = process.argv[2];
const N = Number(process.argv[3] ?? 200);
const s = which.startsWith('sigstore-js') ? await subjects.sigstoreJs() : await subjects.sigstoreWasm();
const useAsync = which.endsWith('-async');
const out = { subject: which, runtime: `node ${process.version}`, cases: [] };
for (const c of CASES) {
  const v = s.prepare(c);
  const run = useAsync ? () => s.verifyAsync(v, c) : () => s.verify(v, c);
  for (let i = 0; i < 20; i++) await run();
  const t = [];
  for (let i = 0; i < N; i++) {
    const a = process.hrtime.bigint();
    await run();
    t.push(Number(process.hrtime.bigint() - a) / 1e6);
  }
  t.sort((x, y) => x - y);
  out.cases.push({ name: c.name, median_ms: t[Math.floor(N / 2)], p95_ms: t[Math.floor(N * 0.95)] });
}
out.peak_rss_mb = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify(out));
