// Node (node --test): npm provenance end to end against the stand-in registry on 127.0.0.1
// (pkg/test/registry.mjs serving the real documents of tests/data/npm); the same tests run in
// Chromium through npm-chromium.mjs.
import { after, describe, test } from 'node:test';

import * as api from 'sigstore-wasm';
import { npmTests } from './npm-cases.js';
import { startRegistry } from './registry.mjs';

const registry = await startRegistry();
describe('npm provenance (stand-in registry)', () => {
  after(() => registry.close());
  for (const { name, run } of npmTests(api, registry.url)) test(name, run);
});
