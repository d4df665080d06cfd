// The targets of issue 16, one per kind of harness row, and how a row prints against its target.
// A figure is never asserted: bench.mjs prints "met" or "missed" next to it, and README's table
// says what limits a missed one.

export const TARGETS = {
  // ratio to sigstore-js on Node 22 (lower is better)
  warm_verify: { max: 0.3, unit: 'x', what: 'warm verify' },
  warm_async: { max: 0.12, unit: 'x', what: 'warm verifyAsync' },
  cold_start: { max: 0.3, unit: 'x', what: 'cold start to first verdict, Node 22' },
  // KiB gzip (-9) of what a page loads
  size_full: { max: 150, unit: ' KiB', what: 'full package' },
  size_web: { max: 100, unit: ' KiB', what: 'web build (WebCrypto only)' },
  // throughput ratios (higher is better)
  hash_batch: { min: 2, unit: 'x', what: 'multi-buffer hashing vs plain sha2, 64 x 1 MiB' },
  batch_bundles: { min: 3, unit: 'x', what: '1,000 attestation bundles vs sigstore-js' },
};

/** `(target <= 0.3x: met)` for a figure against the target of `kind`. */
export function against(kind, value) {
  const t = TARGETS[kind];
  if (!t || value === undefined || Number.isNaN(value)) return '';
  const [op, limit, ok] = t.max !== undefined ? ['<=', t.max, value <= t.max] : ['>=', t.min, value >= t.min];
  return `(target ${op} ${limit}${t.unit}: ${ok ? 'met' : 'missed'})`;
}
