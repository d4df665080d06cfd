// node:crypto (OpenSSL, as Node's own WebCrypto uses) for the signature checks of `verify` in
// Node: synchronous, without the thread-pool round trip of crypto.subtle (about 0.6 ms per check
// in sequence on Node 22) and faster than the wasm's P-256/P-384 code. Each check comes in the
// WebCrypto form of src/crypto/webcrypto.rs: the signature already in the form WebCrypto takes
// (IEEE P1363 r || s for ECDSA, with r and s in range), offered only where a WebCrypto verdict
// equals RustCrypto's. Node's WebCrypto verifies exactly so (same OpenSSL calls), so these are
// the verdicts verifyAsync gets from crypto.subtle here. Anything unexpected (a key of another
// type or curve than the algorithm names, an algorithm not listed, node:crypto throwing) returns
// undefined and the wasm decides, as without this module.
import { constants, createPublicKey, verify } from 'node:crypto';
import { keyId } from './async.js';

const HASHES = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };
const CURVES = { 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1' };
// Fulcio leaf keys differ per bundle: the cache of parsed keys is bounded (oldest dropped first).
const MAX_KEYS = 64;

/** The KeyObject of a check's SPKI, if its type fits the algorithm; else null. */
function keyOf(keys, check) {
  const { alg, spki } = check;
  const id = keyId(`${alg.name}|${alg.namedCurve ?? ''}|`, spki);
  let key = keys.get(id);
  if (key === undefined) {
    key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    const ok =
      alg.name === 'ECDSA'
        ? key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === CURVES[alg.namedCurve]
        : alg.name === 'Ed25519'
          ? key.asymmetricKeyType === 'ed25519'
          : key.asymmetricKeyType === 'rsa';
    if (!ok) key = null;
    if (keys.size >= MAX_KEYS) keys.delete(keys.keys().next().value);
    keys.set(id, key);
  }
  return key;
}

function verdict(keys, check) {
  const { alg, data, signature } = check;
  try {
    const key = keyOf(keys, check);
    if (!key) return undefined;
    switch (alg.name) {
      case 'ECDSA':
        return HASHES[alg.hash] ? verify(HASHES[alg.hash], data, { key, dsaEncoding: 'ieee-p1363' }, signature) : undefined;
      case 'Ed25519':
        return verify(null, data, key, signature);
      case 'RSASSA-PKCS1-v1_5':
        return HASHES[alg.hash] ? verify(HASHES[alg.hash], data, { key, padding: constants.RSA_PKCS1_PADDING }, signature) : undefined;
      case 'RSA-PSS':
        return HASHES[alg.hash] && Number.isInteger(alg.saltLength)
          ? verify(HASHES[alg.hash], data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: alg.saltLength }, signature)
          : undefined;
      default:
        return undefined;
    }
  } catch {
    return undefined;
  }
}

export const nodeChecks = { name: 'node:crypto', newKeys: () => new Map(), verdict };
