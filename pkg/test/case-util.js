// What the test cases (npm-cases.js, pypi-cases.js, attest-cases.js) share: assertions that work in every
// runtime (no node:assert in the browser), fetch wrappers, and the runner the browser pages use.
export function check(cond, msg) {
  if (!cond) throw new Error(msg);
}

export async function rejects(promise, code) {
  try {
    await promise;
  } catch (e) {
    check(e instanceof Error && e.name === 'VerificationError', `not a VerificationError: ${e}`);
    check(e.code === code, `expected ${code}, got ${e.code}: ${e.message}`);
    check(typeof e.step === 'string' && typeof e.message === 'string', 'step and message are strings');
    return e;
  }
  throw new Error(`expected ${code}, but it verified`);
}

/** A fetch that records every URL it is asked for (and can be told to break). */
export function countingFetch(inner = globalThis.fetch.bind(globalThis)) {
  const urls = [];
  const f = (url, init) => {
    urls.push(String(url));
    return inner(url, init);
  };
  f.urls = urls;
  return f;
}

/** A fetch whose response bodies arrive in tiny chunks, to exercise the streaming hasher. */
export function trickleFetch(chunk = 7) {
  return async (url, init) => {
    const res = await fetch(url, init);
    const bytes = new Uint8Array(await res.arrayBuffer());
    let off = 0;
    const body = new ReadableStream({
      pull(c) {
        if (off >= bytes.length) return c.close();
        c.enqueue(bytes.slice(off, off + chunk));
        off += chunk;
      },
    });
    return new Response(body, { status: res.status, headers: res.headers });
  };
}

/** Run `[{ name, run }]` one after another; resolves to `[{ name, ok, error }]`. */
export async function runAll(tests) {
  const out = [];
  for (const { name, run } of tests) {
    try {
      await run();
      out.push({ name, ok: true });
    } catch (e) {
      out.push({ name, ok: false, error: String(e?.stack ?? e) });
    }
  }
  return out;
}

/**
 * TUF options for the stand-in TUF repository beside the registry (tuf-repo.mjs): from root 12
 * at a time inside its metadata's validity, with its own fetch (so that tests counting a
 * registry's requests see only those) and a memory cache. Returns an async getter (made once).
 */
export function localTufOptions(api, base) {
  const plainFetch = globalThis.fetch.bind(globalThis);
  let options;
  return async () =>
    (options ??= {
      url: `${base}/tuf/ok`,
      root: new Uint8Array(await (await plainFetch(`${base}/tuf/ok/12.root.json`)).arrayBuffer()),
      now: new Date('2026-08-22T00:00:00Z'),
      cache: api.memoryCache(),
      fetch: plainFetch,
    });
}
