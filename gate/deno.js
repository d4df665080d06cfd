// The edge gate on Deno (gate/README.md, "Deno"): the same logic as the Worker, served with
// Deno.serve. Settings come from environment variables (UPSTREAM, REGISTRY, ALLOWED_REPOSITORIES, …).
//
//   UPSTREAM=https://registry.npmjs.org ALLOWED_REPOSITORIES=sigstore/sigstore-js MIN_AGE_HOURS=72 \
//     deno run --allow-net --allow-read --allow-env gate/deno.js [--port 8787]
import * as api from '../pkg/src/deno.js';
import { createGate } from './src/gate.js';

export { createGate };

if (import.meta.main) {
  const i = Deno.args.indexOf('--port');
  const port = i >= 0 ? Number(Deno.args[i + 1]) : Number(Deno.env.get('PORT') ?? 8787);
  const gate = createGate(api, Deno.env.toObject());
  Deno.serve({ port, hostname: Deno.env.get('HOST') ?? '127.0.0.1' }, (request) => gate.handle(request));
}
