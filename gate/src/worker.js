// Cloudflare Workers entry of the edge gate (gate/README.md). Settings come from the Worker's
// environment (wrangler.toml [vars], dashboard variables or secrets); one gate per isolate and
// settings object, so its verdict Map survives between requests.
//
// In this repository the package is imported by relative path; in a project of your own, import
// `sigstore-wasm` (Wrangler resolves its `workerd` entry and bundles the .wasm as a module).
import * as api from '../../pkg/src/workerd.js';
import { createGate } from './gate.js';

let gate;
let gateEnv;

export default {
  async fetch(request, env, ctx) {
    if (!gate || gateEnv !== env) {
      gate = createGate(api, env);
      gateEnv = env;
    }
    return gate.handle(request, ctx);
  },
};
