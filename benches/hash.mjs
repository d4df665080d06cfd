// Hashing throughput on 16 MiB in Node (hash-rates.js), with node:crypto beside the package's
// hashers and WebCrypto. Prints JSON.
import { createHash } from 'node:crypto';
import { hashRates } from './hash-rates.js';

const pkg = await import('../pkg/src/node.js');
const mb_per_s = await hashRates(pkg, { 'node:crypto': (alg, data) => createHash(alg).update(data).digest('hex') });
console.log(JSON.stringify({ runtime: `node ${process.version}`, size_mib: 16, mb_per_s }));
