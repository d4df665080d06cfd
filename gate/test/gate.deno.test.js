// The edge gate's logic (gate/src/gate.js) on Deno, through gate/deno.js's imports, against the
// stand-in registry (started in this process through Deno's node:http): the same cases as the
// workerd run (gate/test/cases.js), each config a createGate() called with Requests directly.
//
//   deno test --allow-net=127.0.0.1 --allow-read gate/test/gate.deno.test.js
import * as api from '../../pkg/src/deno.js';
import { createGate } from '../deno.js';
import { startRegistry } from '../../pkg/test/registry.mjs';
import { gateConfigs, gateTests } from './cases.js';

Deno.test({
  name: 'edge gate on Deno',
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const registry = await startRegistry();
    const gates = {};
    const tufData = (p) => Deno.readTextFile(new URL(`../../tests/data/tuf/${p}`, import.meta.url));
    const trust = { tufRoot: await tufData('metadata/root_history/12.root.json'), trustedRoot: await tufData('targets/trusted_root.json') };
    for (const [name, env] of Object.entries(gateConfigs(registry.url, trust))) gates[name] = createGate(api, env, { cache: null });
    let passed = 0;
    let failed = 0;
    try {
      for (const { name, run } of gateTests({
        request: (config, path, init) => gates[config].handle(new Request(`http://gate.test${path}`, init)),
        registryRequests: () => registry.requests,
        registry: registry.url,
      })) {
        (await t.step(name, run)) ? passed++ : failed++;
      }
    } finally {
      await registry.close();
    }
    console.log(`gate-deno: ${passed} passed, ${failed} failed`);
    if (failed) throw new Error(`${failed} gate tests failed on Deno`);
  },
});
