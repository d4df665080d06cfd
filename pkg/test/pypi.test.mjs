// Node (node --test): PyPI PEP 740 end to end against the stand-in index on 127.0.0.1
// (pkg/test/pypi-index.mjs in registry.mjs's server, the real files of tests/data/pypi); the same tests run in
// Chromium through pypi-chromium.mjs.
import { after, describe, test } from 'node:test';

import * as api from 'sigstore-wasm';
import { pypiTests } from './pypi-cases.js';
import { startRegistry } from './registry.mjs';

const registry = await startRegistry();
describe('PyPI attestations (stand-in index)', () => {
  after(() => registry.close());
  for (const { name, run } of pypiTests(api, registry.url)) test(name, run);
});
