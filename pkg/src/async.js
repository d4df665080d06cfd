// verifyAsync: the bundle's signature checks run through the runtime's WebCrypto, in parallel,
// with the wasm (RustCrypto) verifier as the fallback for each check. The wasm side
// (crates/wasm/src/plan.rs) does every structural check, lists the signature checks (each in WebCrypto form, or null where
// WebCrypto could judge differently from RustCrypto), and turns the verdicts into exactly the result
// or error `verify` gives.

// Imported CryptoKeys, per Verifier and per SubtleCrypto: trusted keys (logs, CAs, TSAs) repeat
// across bundles. Fulcio leaf keys do not, so the cache is bounded (oldest entry dropped first).
const MAX_KEYS = 64;
const caches = new WeakMap();

function keyCache(owner, subtle) {
  let c = caches.get(owner);
  if (!c || c.subtle !== subtle) {
    c = { subtle, keys: new Map() };
    caches.set(owner, c);
  }
  return c.keys;
}

/** A cheap exact map key for a key's DER under a prefix: the bytes as a Latin-1 string. */
export function keyId(prefix, spki) {
  let id = prefix;
  for (let i = 0; i < spki.length; i += 4096) id += String.fromCharCode.apply(null, spki.subarray(i, i + 4096));
  return id;
}

function importKey(keys, subtle, check) {
  const { alg, spki } = check;
  const id = keyId(`${alg.name}|${alg.namedCurve ?? ''}|${alg.hash ?? ''}|`, spki);
  let key = keys.get(id);
  if (!key) {
    key = subtle.importKey('spki', spki, alg, false, ['verify']);
    if (keys.size >= MAX_KEYS) keys.delete(keys.keys().next().value);
    keys.set(id, key);
  }
  return key;
}

const count = (stats, field) => {
  if (stats) stats[field] = (stats[field] ?? 0) + 1;
};

/**
 * One verdict per check of a plan (WasmPlan or the web build's WasmRootPlan), in parallel: WebCrypto
 * where the check has a WebCrypto form and the runtime takes it, else `fallback(i, error)` (error:
 * what WebCrypto threw, or undefined for a check without a WebCrypto form). Counts in `stats` as
 * runPlan documents them.
 */
export function verdictsOf(owner, plan, options, fallback) {
  const stats = options?.stats;
  const subtle = options && 'subtle' in options ? options.subtle : globalThis.crypto?.subtle;
  const keys = subtle ? keyCache(owner, subtle) : null;
  return Promise.all(
    plan.checks().map(async (check, i) => {
      let error;
      if (check && subtle) {
        try {
          const key = await importKey(keys, subtle, check);
          const ok = await subtle.verify(check.alg, key, check.signature, check.data);
          if (typeof ok === 'boolean') {
            count(stats, 'webcrypto');
            return ok;
          }
        } catch (e) {
          // Unsupported here (or refused): wasm decides, as it would without WebCrypto.
          error = e;
        }
        count(stats, 'fallback');
      }
      return fallback(i, error ?? (check && subtle ? new Error('WebCrypto gave no verdict') : undefined));
    }),
  );
}

/**
 * Run a WasmPlan's checks and finish it. `owner` keys the CryptoKey cache; `options.subtle`
 * replaces `globalThis.crypto.subtle` (null: wasm only); `options.stats` (an object) receives
 * counts: `webcrypto` (checks WebCrypto decided), `wasm` (checks wasm decided) and `fallback`
 * (WebCrypto threw, e.g. an algorithm this runtime lacks, so wasm decided).
 */
export async function runPlan(owner, plan, options, rethrow) {
  try {
    const verdicts = await verdictsOf(owner, plan, options, (i) => {
      count(options?.stats, 'wasm');
      return plan.verifyInWasm(i);
    });
    return plan.finish(verdicts);
  } catch (e) {
    rethrow(e);
  } finally {
    plan.free();
  }
}
