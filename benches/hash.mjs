// Hashing throughput in Node (hash-rates.js): one stream of 16 MiB and a batch of 64 files of
// 1 MiB, the package's hashers beside hash-wasm, WebCrypto and node:crypto. Prints the table rows
// on stderr and the figures as JSON on stdout (bench.mjs reads the JSON).
import { createHash } from 'node:crypto';
import { hashRates, hashRows } from './hash-rates.js';

const pkg = await import('../pkg/src/node.js');
const hashWasm = await import('hash-wasm');
const nodeHash = (alg, data) => createHash(alg).update(data).digest('hex');
const h = await hashRates(pkg, hashWasm, { one: { 'node:crypto': nodeHash }, batch: { 'node:crypto x64': nodeHash } });
const runtime = `node${process.versions.node.split('.')[0]}`;
for (const line of hashRows(runtime, h)) console.error(line);
console.log(JSON.stringify({ runtime: `node ${process.version}`, ...h }));
