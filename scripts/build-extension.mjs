#!/usr/bin/env node
// Assemble the unpacked browser extension: extension/ (manifest, service worker, content script)
// plus the npm package's files it runs (pkg/src/*.js, pkg/wasm/sigstore_wasm.js and .wasm) and
// a config.json. The output is generated (target/ is ignored by git); build the package first
// (scripts/build-wasm.sh) if pkg/wasm/ is missing.
//
// usage: node scripts/build-extension.mjs [--out DIR] [--registry URL] [--match PATTERN]... [--tarball]
//                                        [--tuf-url URL] [--tuf-offline]
//   --out       output folder (default target/extension); load it with "Load unpacked"
//   --registry  the registry to verify against (default https://registry.npmjs.org)
//   --match     also run on pages matching PATTERN and allow fetching from it (tests:
//               http://127.0.0.1/*); each is added to content_scripts, host_permissions and
//               web_accessible_resources
//   --tarball   also download each tarball and check its sha512
//   --tuf-url   the TUF repository to get the trusted root and npm keys from (default Sigstore's
//               public-good); its origin is added to host_permissions
//   --tuf-offline  never fetch TUF metadata (the cached, else the embedded trusted root)
// (chrome.storage.local keys registry, tufUrl, tufRoot, tufOffline, trustedRoot override these;
// see extension/sw.js)
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function buildExtension({ out = join(root, 'target', 'extension'), registry = 'https://registry.npmjs.org', match = [], tarball = false, tufUrl, tufOffline = false } = {}) {
  const wasm = join(root, 'pkg', 'wasm');
  for (const f of ['sigstore_wasm.js', 'sigstore_wasm_bg.wasm']) {
    if (!existsSync(join(wasm, f))) throw new Error(`pkg/wasm/${f} is missing: run scripts/build-wasm.sh first`);
  }
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, 'pkg', 'src'), { recursive: true });
  mkdirSync(join(out, 'pkg', 'wasm'), { recursive: true });
  for (const f of ['sw.js', 'content-util.js', 'content.js', 'content-pypi.js']) copyFileSync(join(root, 'extension', f), join(out, f));
  for (const f of readdirSync(join(root, 'pkg', 'src')).filter((f) => f.endsWith('.js'))) copyFileSync(join(root, 'pkg', 'src', f), join(out, 'pkg', 'src', f));
  for (const f of ['sigstore_wasm.js', 'sigstore_wasm_bg.wasm']) copyFileSync(join(wasm, f), join(out, 'pkg', 'wasm', f));

  const manifest = JSON.parse(readFileSync(join(root, 'extension', 'manifest.json'), 'utf8'));
  const origin = new URL(registry).origin;
  const hosts = new Set(manifest.host_permissions);
  if (!manifest.host_permissions.some((p) => p.startsWith(origin))) hosts.add(`${origin}/*`);
  if (tufUrl) hosts.add(`${new URL(tufUrl).origin}/*`);
  for (const m of match) {
    for (const cs of manifest.content_scripts) cs.matches.push(m);
    manifest.web_accessible_resources[0].matches.push(m);
    hosts.add(m);
  }
  manifest.host_permissions = [...hosts];
  writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(out, 'config.json'), `${JSON.stringify({ registry, tarball, tuf: { url: tufUrl ?? null, offline: Boolean(tufOffline) } }, null, 2)}\n`);
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opts = { match: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--out') opts.out = resolve(args[++i]);
    else if (a === '--registry') opts.registry = args[++i];
    else if (a === '--match') opts.match.push(args[++i]);
    else if (a === '--tarball') opts.tarball = true;
    else if (a === '--tuf-url') opts.tufUrl = args[++i];
    else if (a === '--tuf-offline') opts.tufOffline = true;
    else {
      console.error(`unknown argument: ${a}\nusage: node scripts/build-extension.mjs [--out DIR] [--registry URL] [--match PATTERN]... [--tarball] [--tuf-url URL] [--tuf-offline]`);
      process.exit(2);
    }
  }
  try {
    console.log(`extension built in ${buildExtension(opts)} (load it unpacked)`);
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
