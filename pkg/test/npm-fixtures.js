// The stand-in registry's packages and fault scenarios (pkg/test/registry.mjs), shared with the
// tests that run in browsers (no Node imports here).

/** The packages served (all real attestations). */
export const PACKAGES = [
  { name: 'sigstore', version: '1.0.0', repository: 'sigstore/sigstore-js', provenance: 'https://slsa.dev/provenance/v0.2' },
  { name: 'tuf-js', version: '1.0.0', repository: 'theupdateframework/tuf-js', provenance: 'https://slsa.dev/provenance/v0.2' },
  { name: 'gundam-visor', version: '1.0.1', repository: 'ramonpetgrave64/gundam-visor', provenance: 'https://slsa.dev/provenance/v1', tarball: true },
  { name: '@trishankatdatadog/supreme-goggles', version: '1.0.5', repository: 'trishankatdatadog/supreme-goggles', provenance: 'https://slsa.dev/provenance/v0.2', tarball: true },
  { name: '@playwright/cli', version: '0.1.1', repository: 'microsoft/playwright-cli', provenance: 'https://slsa.dev/provenance/v1', tarball: true },
];

/**
 * One fault each; the expected error code is what the verifier must report.
 * `tarball: true` marks faults only visible when the tarball is downloaded.
 */
export const SCENARIOS = {
  ok: { code: null },
  'tampered-tarball': { code: 'ARTIFACT_MISMATCH', tarball: true },
  'wrong-integrity': { code: 'ARTIFACT_MISMATCH' },
  // A typosquat: NAME-typo served with NAME's tarball, integrity and real attestations (whose
  // subject is pkg:npm/NAME@VERSION), the version document validly signed by the stand-in.
  'wrong-purl': { code: 'NPM_SUBJECT_MISMATCH', typo: true },
  'expired-key': { code: 'NPM_KEY_EXPIRED' },
  'unknown-key': { code: 'NPM_KEY_UNKNOWN' },
  'wrong-predicate': { code: 'NPM_DOCUMENT_INVALID' },
  'no-attestations': { code: 'NPM_ATTESTATION_MISSING' },
  'bad-registry-signature': { code: 'NPM_REGISTRY_SIGNATURE_INVALID' },
  down: { code: 'NPM_FETCH_FAILED' },
};
