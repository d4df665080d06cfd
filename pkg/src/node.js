// Node.js: read the .wasm from the package folder and compile it synchronously.
import { readFileSync } from 'node:fs';
import { initSync } from '../wasm/sigstore_wasm.js';
import { wasmUrl } from './load.js';
import { host } from './host-checks.js';
import { nodeChecks } from './node-checks.js';

initSync({ module: new WebAssembly.Module(readFileSync(wasmUrl)) });
// Signature checks of `verify` in node:crypto (host-checks.js). Not under Bun, which also loads
// this entry: its node:crypto is BoringSSL, whose verdicts the tests have not compared.
if (!process.versions.bun) host.checks = nodeChecks;

export * from './api.js';
