// The distributions the stand-in index (pypi-index.mjs) serves, all real files with their real
// PEP 740 provenance from tests/data/pypi (SOURCE.md), and its fault scenarios with the code
// verifyPypiDistribution must fail with. Shared by the index and the tests (Node and Chromium).
export const DISTRIBUTIONS = [
  {
    project: 'pypi-attestations',
    version: '0.0.19',
    filename: 'pypi_attestations-0.0.19.tar.gz',
    publisher: { kind: 'GitHub', repository: 'trailofbits/pypi-attestations', workflow: 'release.yml' },
    attestations: 1,
  },
  {
    project: 'gcb-attestation-test',
    version: '0.0.0',
    filename: 'gcb_attestation_test-0.0.0.tar.gz',
    publisher: { kind: 'Google', email: '919436158236-compute@developer.gserviceaccount.com' },
    attestations: 1,
  },
  {
    project: 'circleci-sign-publish-example',
    version: '0.0.1.dev137',
    filename: 'circleci_sign_publish_example-0.0.1.dev137-py3-none-any.whl',
    publisher: { kind: 'CircleCI', project_id: 'fdd9283f-e619-46af-8f9c-851f7d3e8b2b', pipeline_definition_id: '8e4f8ab2-8d7c-4827-9f15-de076d6d647f' },
    attestations: 1,
  },
];

/**
 * Scenario → what verifyPypiDistribution must fail with (`code`), and whether only with
 * `file: true` (the file itself is what is wrong).
 */
export const PYPI_SCENARIOS = {
  ok: {},
  'no-provenance': { code: 'PYPI_ATTESTATION_MISSING' }, // integrity API: 404
  disabled: { code: 'PYPI_FETCH_FAILED' }, // integrity API: 403
  down: { code: 'PYPI_FETCH_FAILED' }, // everything: 500
  'malformed-index': { code: 'PYPI_DOCUMENT_INVALID' }, // simple API: not JSON
  'malformed-provenance': { code: 'PYPI_DOCUMENT_INVALID' }, // integrity API: not JSON
  unlisted: { code: 'PYPI_FILE_NOT_FOUND' }, // simple API: no such file
  'tampered-file': { code: 'PYPI_HASH_MISMATCH', file: true }, // the file changed, the listing did not
  'hash-changed': { code: 'ARTIFACT_MISMATCH' }, // the file and its listed sha256 changed
};
