// The <sigstore-provenance> badge's PyPI mode (registry="pypi"): which attributes it reads, how it
// verifies (verifyPypiDistribution) and what it shows. badge.js hands a model whose `kind` is
// 'pypi' to `text` and `checks` here; everything npm-specific stays in badge.js.
//
//   <sigstore-provenance registry="pypi" project="sampleproject" version="4.0.0"
//                        filename="sampleproject-4.0.0.tar.gz"></sigstore-provenance>
//
// Attributes: project, version, filename (required), index (default https://pypi.org),
// repository ("OWNER/REPO": the publisher must be that GitHub or GitLab repository), file
// (boolean: download the file and check its sha256); the trust attributes are badge.js's.

export const PYPI_ATTRIBUTES = ['project', 'filename', 'index', 'file'];

/** The model's coordinates from the element's attributes (null when one is missing). */
export function pypiCoordinates(el) {
  const project = el.getAttribute('project');
  const version = el.getAttribute('version');
  const filename = el.getAttribute('filename');
  return project && version && filename ? { name: project, version, filename, index: el.getAttribute('index') ?? undefined } : null;
}

/** Verify with the package's verifyPypiDistribution; `options` carries the signal and the trust. */
export function verifyPypi(api, el, options) {
  const repository = el.getAttribute('repository');
  const o = { ...options, file: el.hasAttribute('file'), policy: repository ? { repository } : undefined };
  const index = el.getAttribute('index');
  if (index) o.index = index;
  return api.verifyPypiDistribution(el.getAttribute('project'), el.getAttribute('version'), el.getAttribute('filename'), o);
}

const KINDS = { 'https://docs.pypi.org/attestations/publish/v1': 'Publish attestation', 'https://slsa.dev/provenance/v1': 'SLSA provenance' };

/** A publisher as a label and, for GitHub and GitLab, a link. */
function publisher(p) {
  if (p?.kind === 'GitHub' || p?.kind === 'GitLab') {
    const host = p.kind === 'GitHub' ? 'github.com' : 'gitlab.com';
    const file = p.workflow ?? p.workflow_filepath;
    return { label: `${host}/${p.repository}`, url: `https://${host}/${p.repository}`, detail: `${p.kind} ${file}${p.environment ? `, environment ${p.environment}` : ''}` };
  }
  if (p?.kind === 'Google') return { label: p.email, detail: 'Google Cloud service account' };
  if (p?.kind === 'CircleCI') return { label: `CircleCI project ${p.project_id}`, detail: `pipeline definition ${p.pipeline_definition_id}${p.vcs_origin ? `, ${p.vcs_origin}` : ''}` };
  return { label: p?.kind ?? 'an unknown publisher', detail: '' };
}

/** The one-line text of a PyPI verdict. */
export function pypiText({ state, name, version, filename, result, error }) {
  if (state === 'verified') return `Provenance verified: published by ${publisher(result?.attestations?.[0]?.publisher).label}`;
  if (state === 'failed') return `Provenance check failed: ${error?.code ?? 'ERROR'}`;
  if (state === 'pending') return `Checking the provenance of ${filename ?? `${name} ${version}`}…`;
  return 'Provenance: no distribution given';
}

/** The check rows of a PyPI verdict; `row(status, label, ...detail)` and `h` are badge.js's. */
export function pypiChecks(model, row, h) {
  const { state, result: r, error } = model;
  const index = model.index ?? 'https://pypi.org';
  if (state === 'failed') {
    return [
      row('fail', error?.code ?? 'ERROR', error?.message ?? '', error?.step ? ` (step: ${error.step})` : ''),
      row('skip', 'Distribution', `${model.filename ?? '?'} (${model.name} ${model.version})`),
      row('skip', 'Index', index),
    ];
  }
  if (state !== 'verified') return [];
  const out = [];
  for (const a of r.attestations ?? []) {
    const p = publisher(a.publisher);
    out.push(row('pass', KINDS[a.predicateType] ?? a.predicateType, 'signed by ', h('code', {}, a.identity), ` (issuer ${a.issuer})`));
    out.push(row('pass', 'Trusted Publisher', p.url ? h('a', { href: p.url, target: '_blank', rel: 'noopener' }, p.label) : p.label, p.detail ? `, ${p.detail}` : ''));
    const logs = (a.bundle?.tlogEntries ?? []).map((t) => `${t.logUrl} #${t.logIndex}${t.integratedTime ? `, integrated ${t.integratedTime}` : ''}`);
    out.push(row(logs.length ? 'pass' : 'skip', 'Rekor entries', logs.join('; ') || 'none'));
  }
  out.push(row('pass', 'Subject', h('code', {}, r.filename), ' sha256 ', h('code', {}, r.sha256)));
  out.push(r.file?.sha256Verified
    ? row('pass', 'File integrity', `downloaded file (${r.file.bytes} bytes) matches the listed and attested sha256`)
    : row('skip', 'File integrity', 'not downloaded: the index’s listed sha256 was checked against the attestations'));
  return out;
}
