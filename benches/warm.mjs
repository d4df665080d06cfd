// Warm per-bundle timings, in one process: median and p95 of N runs after warm-up.
// usage: node warm.mjs <subject[,subject...]> [N]
//   subjects: sigstore-js, sigstore-wasm (`verify`; in Node with node:crypto's signature checks),
//   sigstore-wasm-wasm (`verify` with every check in wasm, `hostChecks: false`, as in browsers),
//   sigstore-wasm-async (`verifyAsync`, WebCrypto).
// Several subjects run interleaved (one run of each in turn, per case). Prints one JSON line:
// `{ runtime, subjects: { name: { cases: [{ name, median_ms, p95_ms, samples_ms }] } }, peak_rss_mb }`
// (peak RSS of the whole process). bench.mjs runs one subject per process, so that each peak RSS
// is the subject's own, in rounds that alternate the subjects, and pools the samples: a machine
// whose speed drifts over minutes (shared CPUs: 2x here within an hour) then shifts every
// subject alike. (Two subjects in one process measured the same as each alone.)
import { CASES } from './cases.mjs';
import * as subjects from './subjects.mjs';

const names = process.argv[2].split(',');
const N = Number(process.argv[3] ?? 200);
const subjectOf = async (which) => {
  const s = which === 'sigstore-js' ? await subjects.sigstoreJs() : await subjects.sigstoreWasm(which === 'sigstore-wasm-wasm' ? { hostChecks: false } : {});
  const useAsync = which.endsWith('-async');
  return { which, s, runner: (v, c) => (useAsync ? () => s.verifyAsync(v, c) : () => s.verify(v, c)) };
};
const all = [];
for (const n of names) all.push(await subjectOf(n));
const out = { runtime: `node ${process.version}`, subjects: Object.fromEntries(names.map((n) => [n, { cases: [] }])) };
for (const c of CASES) {
  const runs = all.map(({ s, runner }) => runner(s.prepare(c), c));
  for (let i = 0; i < 20; i++) for (const run of runs) await run();
  const t = runs.map(() => []);
  for (let i = 0; i < N; i++) {
    for (let k = 0; k < runs.length; k++) {
      const a = process.hrtime.bigint();
      await runs[k]();
      t[k].push(Number(process.hrtime.bigint() - a) / 1e6);
    }
  }
  names.forEach((n, k) => {
    const x = t[k].sort((p, q) => p - q);
    out.subjects[n].cases.push({ name: c.name, median_ms: x[Math.floor(N / 2)], p95_ms: x[Math.floor(N * 0.95)], samples_ms: x });
  });
}
out.peak_rss_mb = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify(out));
