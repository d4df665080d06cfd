// Where a cold start goes: the steps of pkg/src/node.js and the first verdict, done one by one
// with performance.now() marks (from process start: performance.timeOrigin), in a fresh process.
// Prints one JSON line of milliseconds per step. Run it several times (it is one sample).
// usage: node cold-steps.mjs [embedded] [sync]   (embedded: new Verifier() over the embedded root;
//        sync: new WebAssembly.Module, as node.js did before, instead of WebAssembly.compile)
const t0 = performance.now();
const marks = { process_to_script_ms: t0 };
let last = t0;
const mark = (name) => {
  const t = performance.now();
  marks[name] = t - last;
  last = t;
};
const { readFileSync } = await import('node:fs');
const { CASES } = await import('./cases.mjs');
const c = CASES[0];
mark('read_cases');
const glue = await import('../pkg/wasm/sigstore_wasm.js');
const { wasmUrl } = await import('../pkg/src/load.js');
mark('import_glue_and_load_js');
const bytes = readFileSync(wasmUrl);
mark('read_wasm');
const module = process.argv.includes('sync') ? new WebAssembly.Module(bytes) : await WebAssembly.compile(bytes);
mark('compile_wasm');
glue.initSync({ module });
mark('instantiate');
const api = await import('../pkg/src/api.js');
mark('import_api_js');
const embedded = process.argv.includes('embedded');
const v = embedded ? new api.Verifier() : new api.Verifier({ trustedRoot: c.trustedRoot });
mark(embedded ? 'verifier_embedded_root' : 'verifier_given_root');
v.verify(c.bundle, c.artifact, c.policy);
mark('first_verify');
v.verify(c.bundle, c.artifact, c.policy);
mark('second_verify');
marks.total_ms = last;
console.log(JSON.stringify(Object.fromEntries(Object.entries(marks).map(([k, x]) => [k, Math.round(x * 10) / 10]))));
