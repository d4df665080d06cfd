// <sigstore-provenance>: a badge that verifies an npm package version's provenance in the page
// (verifyNpmPackage from the browser entry, loaded on first use) and shows the verdict, the
// source repository and commit, and each check. No framework; shadow DOM; open mode.
//
//   <script type="module" src="https://…/sigstore-wasm/src/badge.js"></script>
//   <sigstore-provenance package="sigstore" version="1.0.0"></sigstore-provenance>
//
// Attributes: package, version (required), registry (default https://registry.npmjs.org),
// repository ("OWNER/REPO": the provenance must come from that GitHub repository), tarball
// (boolean: download the tarball and check its sha512). Changing one verifies again.
// Trust (verifyNpmPackage's `tuf` / `trustedRoot` options; default: Sigstore's public-good TUF
// repository, cached in the Cache API): `tuf-url` (a TUF repository or mirror), `tuf-root` (URL
// of the root.json to start from, for a repository other than public-good), `tuf-offline`
// (boolean: never fetch TUF metadata, use the cache), `trusted-root` (URL of a trusted_root.json
// to pin: no TUF). Properties: `tufOptions` (an object merged into the `tuf` option last, e.g.
// `{ cache }`, or tests' `{ now, root }`; `false` for the embedded root) and `trustedRoot` (the
// trusted_root.json text or object to pin).
// GitHub artifact mode: `repo` ("OWNER/REPO") or `owner` ("ORG") with `digest` ("sha256:HEX")
// instead of package/version verifies the artifact's GitHub attestations (verifyAttestation:
// GET {api-base}/repos/OWNER/REPO/attestations/sha256:HEX, default https://api.github.com) with
// the policy of `gh attestation verify`; `signer-workflow`, `source-ref`, `source-digest` and
// `deny-self-hosted-runners` narrow it; the `token` property (never an attribute) is sent as a
// Bearer token. Same trust attributes and properties.
//   <sigstore-provenance repo="octo-org/app" digest="sha256:…"></sigstore-provenance>
// Fires `sigstore-provenance` (bubbles, composed) with detail { name, version, result } or
// { name, version, error: { code, step, message } } (GitHub mode: { repo | owner, digest, ... }).
//
// registry="pypi" verifies a PyPI distribution instead (project, version, filename, index, file
// attributes; badge-pypi.js).
//
// `renderBadge(shadowRoot, model)` draws the same badge from a verdict computed elsewhere (the
// browser extension verifies in its service worker and renders in the page with it).

import { PYPI_ATTRIBUTES, pypiCoordinates, verifyPypi, pypiText, pypiChecks } from './badge-pypi.js';

const CSS = `
:host { display: inline-block; vertical-align: top; font: 14px/1.4 system-ui, sans-serif; max-width: 40rem;
  --fg: #1d2430; --bg: #fff; --line: #d0d5dd; --muted: #5b6472; --ok: #17652f; --ok-bg: #e3f6e8; --bad: #8f1d1d; --bad-bg: #fdeaea; --link: #2457c5; }
@media (prefers-color-scheme: dark) {
  :host { --fg: #e6e9ef; --bg: #1c2028; --line: #3a414d; --muted: #a3abb8; --ok: #7fdc9a; --ok-bg: #173322; --bad: #ff9d9d; --bad-bg: #3a1c1f; --link: #8ab4ff; }
}
.badge { color: var(--fg); background: var(--bg); border: 1px solid var(--line); border-radius: 8px; padding: 0.45rem 0.7rem; }
.badge.verified { border-color: var(--ok); }
.badge.failed { border-color: var(--bad); }
.status { margin: 0; display: flex; gap: 0.45rem; align-items: baseline; }
.icon { font-weight: 700; }
.verified .icon, .verified .verdict { color: var(--ok); }
.failed .icon, .failed .verdict { color: var(--bad); }
.pending .icon { color: var(--muted); }
.verdict { font-weight: 600; }
.pkg { color: var(--muted); font-size: 0.85em; margin-left: auto; padding-left: 0.6rem; white-space: nowrap; }
a { color: var(--link); }
code { font: 0.9em ui-monospace, monospace; }
details { margin-top: 0.3rem; font-size: 0.85em; }
summary { cursor: pointer; color: var(--muted); }
ul { list-style: none; margin: 0.3rem 0 0; padding: 0; }
li { display: grid; grid-template-columns: 1.1rem 10.5rem 1fr; gap: 0.3rem; padding: 0.2rem 0; border-top: 1px solid var(--line); overflow-wrap: anywhere; }
li.pass .mark { color: var(--ok); }
li.fail { background: var(--bad-bg); }
li.fail .mark { color: var(--bad); }
li.skip { color: var(--muted); }
`;

function h(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) if (v != null) e.setAttribute(k, v);
  for (const c of children.flat(Infinity)) if (c != null && c !== false) e.append(c);
  return e;
}

/** `https://github.com/OWNER/REPO` (or gitlab.com/…) → { label, url, commitUrl(sha) }, else null. */
function sourceLinks(repo) {
  const m = /^https:\/\/(github\.com|gitlab\.com)\/([\w.-]+(?:\/[\w.-]+)+)$/.exec(repo ?? '');
  if (!m) return null;
  const url = `https://${m[1]}/${m[2]}`;
  return { label: `${m[1]}/${m[2]}`, url, commitUrl: (sha) => `${url}${m[1] === 'gitlab.com' ? '/-' : ''}/commit/${sha}` };
}

const isSha = (s) => typeof s === 'string' && /^[0-9a-f]{7,64}$/.test(s);

/** The one-line text equivalent of a verdict (also what the status element reads). */
export function badgeText(model) {
  if (model.kind === 'pypi') return pypiText(model);
  const { state, name, version, result, error } = model;
  if (model.kind === 'github') return githubText(model);
  if (state === 'verified') {
    const p = result?.provenance;
    if (!p) return `Provenance verified: ${name}@${version} (no build provenance, publish attestation only)`;
    const src = sourceLinks(p.sourceRepository)?.label ?? p.sourceRepository ?? 'an unknown repository';
    return `Provenance verified: built by ${src}${isSha(p.commit) ? ` at commit ${p.commit.slice(0, 7)}` : ''}`;
  }
  if (state === 'failed') return `Provenance check failed: ${error?.code ?? 'ERROR'}`;
  if (state === 'pending') return `Checking the provenance of ${name}@${version}…`;
  return 'Provenance: no package given';
}

// GitHub artifact mode: the model's `result` is verifyAttestation's batch, `name` the
// repository or owner, `version` the digest.
const shortDigest = (d) => (typeof d === 'string' ? d.replace(/^(sha\d+:)([0-9a-f]{12})[0-9a-f]+$/i, '$1$2…') : '');

function firstSigner(model) {
  const s = model.result?.verified?.[0]?.signer;
  return s ? { sourceRepository: s.sourceRepositoryUri, commit: s.sourceDigest } : null;
}

function githubText(model) {
  const { state, name, version, error } = model;
  if (state === 'verified') {
    const p = firstSigner(model);
    const src = sourceLinks(p?.sourceRepository)?.label ?? p?.sourceRepository ?? 'an unknown repository';
    return `Attestation verified: built by ${src}${isSha(p?.commit) ? ` at commit ${p.commit.slice(0, 7)}` : ''}`;
  }
  if (state === 'failed') return `Attestation check failed: ${error?.code ?? 'ERROR'}`;
  if (state === 'pending') return `Checking the attestations of ${shortDigest(version)} in ${name}…`;
  return 'Attestation: no artifact given';
}

function githubChecks(model, row) {
  const { state, result: r, error } = model;
  if (state === 'failed') {
    const rows = [row('fail', error?.code ?? 'ERROR', error?.message ?? '', error?.step ? ` (step: ${error.step})` : '')];
    for (const f of error?.failed ?? []) rows.push(row('fail', `Attestation ${f.index}`, `${f.code}: ${f.message}`));
    rows.push(row('skip', 'Artifact', h('code', {}, model.version ?? '')), row('skip', 'Repository', model.name ?? ''));
    return rows;
  }
  if (state !== 'verified') return [];
  const out = [];
  for (const a of r.verified) {
    const s = a.signer;
    const src = sourceLinks(s.sourceRepositoryUri);
    out.push(row('pass', `Attestation ${a.index}`, `${a.predicateType} signed by `, h('code', {}, s.identity), ` (issuer ${s.issuer ?? '?'})`));
    out.push(row('pass', 'Source', src ? h('a', { href: src.url, target: '_blank', rel: 'noopener' }, src.label) : s.sourceRepositoryUri ?? '?',
      s.sourceRef ? ` ${s.sourceRef}` : '', isSha(s.sourceDigest) ? [' @ ', h('code', {}, s.sourceDigest)] : '',
      s.runnerEnvironment ? `, ${s.runnerEnvironment} runner` : ''));
    const times = (a.verifiedTimes ?? []).map((t) => `${t.time} (${t.source === 'tlog' ? `log index ${t.logIndex}` : t.tsaUri ?? t.source})`);
    out.push(row('pass', 'Signed at', times.join('; ') || 'no verified time'));
  }
  for (const f of r.failed) out.push(row('skip', `Attestation ${f.index}`, `not verified: ${f.code}`));
  out.push(row('pass', 'Artifact', h('code', {}, model.version ?? ''), ' is a subject of the statement'));
  return out;
}

function logText(tlog) {
  if (!tlog) return 'no log entry';
  const idx = tlog.logUrl === 'https://rekor.sigstore.dev'
    ? h('a', { href: `https://search.sigstore.dev/?logIndex=${Number(tlog.logIndex)}`, target: '_blank', rel: 'noopener' }, String(tlog.logIndex))
    : String(tlog.logIndex);
  return [`log index `, idx, tlog.integratedTime ? `, integrated ${tlog.integratedTime}` : ''];
}

function checks(model) {
  const { state, result: r, error } = model;
  const row = (status, label, ...detail) =>
    h('li', { class: status, 'data-check': label }, h('span', { class: 'mark', 'aria-hidden': 'true' }, { pass: '✔', fail: '✘', skip: '–' }[status]), h('b', {}, label), h('span', {}, ...detail));
  if (model.kind === 'github') return githubChecks(model, row);
  if (model.kind === 'pypi') return pypiChecks(model, row, h);
  if (state === 'failed') {
    return [
      row('fail', error?.code ?? 'ERROR', error?.message ?? '', error?.step ? ` (step: ${error.step})` : ''),
      row('skip', 'Package', `${model.name}@${model.version}`),
      row('skip', 'Registry', model.registry ?? 'https://registry.npmjs.org'),
    ];
  }
  if (state !== 'verified') return [];
  const p = r.provenance;
  const pub = r.publish;
  const out = [];
  out.push(p
    ? row('pass', 'Provenance', `${p.predicateType} signed by `, h('code', {}, p.identity?.san ?? ''), ` (issuer ${p.identity?.issuer ?? '?'})`)
    : row('skip', 'Provenance', 'none (not required by the policy)'));
  if (p) {
    const src = sourceLinks(p.sourceRepository);
    out.push(row('pass', 'Source', src ? h('a', { href: src.url, target: '_blank', rel: 'noopener' }, src.label) : p.sourceRepository ?? '?',
      p.sourceRef ? ` ${p.sourceRef}` : '', isSha(p.commit) ? [' @ ', h('code', {}, p.commit)] : '',
      p.workflow ? `, workflow ${p.workflow}` : '', p.trigger ? ` (${p.trigger})` : '', p.runnerEnvironment ? `, ${p.runnerEnvironment} runner` : ''));
  }
  out.push(pub ? row('pass', 'Publish attestation', 'signed by npm registry key ', h('code', {}, pub.keyid)) : row('skip', 'Publish attestation', 'none (not required by the policy)'));
  out.push(r.registrySignatures?.length
    ? row('pass', 'Registry signature', 'dist.signatures verified with ', h('code', {}, r.registrySignatures.join(', ')))
    : row('skip', 'Registry signature', 'not checked'));
  const logs = [];
  if (p) logs.push('provenance: ', logText(p.tlog));
  if (pub) logs.push(p ? '; publish: ' : 'publish: ', logText(pub.tlog));
  out.push(row('pass', 'Rekor entries', logs));
  out.push(r.tarball?.integrityVerified
    ? row('pass', 'Tarball integrity', `downloaded tarball (${r.tarball.bytes} bytes) matches the attested sha512`)
    : row('skip', 'Tarball integrity', 'not downloaded: the registry’s dist.integrity was checked against the attestations'));
  return out;
}

/**
 * Draw a badge into `root` (a ShadowRoot, or any element) from
 * `{ state: 'idle'|'pending'|'verified'|'failed', name, version, registry, result, error }`.
 */
export function renderBadge(root, model) {
  const { state } = model;
  // The status element stays in place across renders, so screen readers announce the change.
  let body = root.querySelector('.badge');
  let status = body?.querySelector('.status');
  if (!status) {
    status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
    body = h('div', { part: 'badge' }, status);
    root.replaceChildren(h('style', {}, CSS), body);
  }
  body.className = `badge ${state}`;
  body.dataset.state = state;
  const text = h('span', { class: 'text' });
  const github = model.kind === 'github';
  const p = github ? firstSigner(model) : model.result?.provenance;
  const src = sourceLinks(p?.sourceRepository);
  if (state === 'verified' && p && src) {
    text.append(h('span', { class: 'verdict' }, github ? 'Attestation verified' : 'Provenance verified'), ': built by ',
      h('a', { class: 'repo', href: src.url, target: '_blank', rel: 'noopener' }, src.label));
    if (isSha(p.commit)) text.append(' at commit ', h('a', { class: 'commit', href: src.commitUrl(p.commit), target: '_blank', rel: 'noopener' }, h('code', {}, p.commit.slice(0, 7))));
  } else {
    const t = badgeText(model);
    const i = t.indexOf(':');
    text.append(h('span', { class: 'verdict' }, i > 0 ? t.slice(0, i) : t), i > 0 ? t.slice(i) : '');
  }
  const icon = { verified: '✔', failed: '✘', pending: '…' }[state] ?? '?';
  status.replaceChildren(h('span', { class: 'icon', 'aria-hidden': 'true' }, icon), text,
    model.name ? h('span', { class: 'pkg', 'aria-hidden': 'true' }, github ? `${model.name} ${shortDigest(model.version)}` : `${model.name}@${model.version}`) : null);
  const list = checks(model);
  body.replaceChildren(status, list.length ? h('details', {}, h('summary', {}, state === 'failed' ? 'Why' : 'Checks'), h('ul', {}, list)) : '');
  return body;
}

// Loaded on first use so that defining the element never waits for the WebAssembly module
// (and its instantiation awaited too: see load.js). The .wasm's download and compilation start
// at the same moment (compile.js, two small modules away; browser.js then takes the same
// module), so they run while the package's other modules load instead of after. (Imported
// here, not statically: the extension imports this file for renderBadge alone.)
let api;
const verifier = () => (api ??= (early(import('./compile.js').then((c) => c.compileWasm())), import('./browser.js').then(async (m) => (await (await import('./load.js')).loading.done, m))));
// The module (and its .wasm) loads while the trust options are fetched (`tuf-root`,
// `trusted-root`), not after: awaited once they are, so a failure is reported as before.
const early = (p) => (p.catch(() => {}), p);

const Base = globalThis.HTMLElement ?? class {};

export class SigstoreProvenanceElement extends Base {
  static observedAttributes = ['package', 'version', 'registry', 'repository', 'tarball', 'tuf-url', 'tuf-root', 'tuf-offline', 'trusted-root',
    'repo', 'owner', 'digest', 'api-base', 'signer-workflow', 'source-ref', 'source-digest', 'deny-self-hosted-runners', ...PYPI_ATTRIBUTES];
  #root;
  #token = null;
  #tufOptions = null;
  #trustedRoot = null;
  #run = 0;
  #abort = null;
  #queued = false;
  /** 'idle' | 'pending' | 'verified' | 'failed' */
  state = 'idle';
  /** The NpmVerificationResult when verified. */
  result = null;
  /** { code, step, message } when failed. */
  error = null;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
  }

  connectedCallback() {
    this.#schedule();
  }

  disconnectedCallback() {
    this.#run++; // a verification still running is dropped; connecting again starts another
    this.#abort?.abort();
  }

  attributeChangedCallback(_name, oldValue, newValue) {
    if (oldValue !== newValue && this.isConnected) this.#schedule();
  }

  /**
   * Extra TUF options merged into verifyNpmPackage's `tuf` option after the attributes'
   * (`{ cache }`, `{ requireFresh: true }`; tests: `{ now, root }`), or `false` for the embedded
   * trusted root. Setting it verifies again.
   */
  get tufOptions() {
    return this.#tufOptions;
  }

  set tufOptions(v) {
    this.#tufOptions = v ?? null;
    if (this.isConnected) this.#schedule();
  }

  /** GitHub mode: a token for the API (private repositories); a property only, never an attribute. */
  get token() {
    return this.#token;
  }

  set token(v) {
    this.#token = v ?? null;
    if (this.isConnected) this.#schedule();
  }

  /** A trusted_root.json (text or object) to pin instead of TUF; wins over `trusted-root`. */
  get trustedRoot() {
    return this.#trustedRoot;
  }

  set trustedRoot(v) {
    this.#trustedRoot = v ?? null;
    if (this.isConnected) this.#schedule();
  }

  // verifyNpmPackage's trust options from the attributes and properties.
  async #trustOptions(signal) {
    const fetched = async (attr, code) => {
      const url = this.getAttribute(attr);
      let res;
      try {
        res = await fetch(new URL(url, document.baseURI), { signal });
      } catch (e) {
        throw Object.assign(new Error(`${attr}: GET ${url}: ${e?.message ?? e}`), { code, step: 'trusted_root' });
      }
      if (!res.ok) throw Object.assign(new Error(`${attr}: GET ${url}: HTTP ${res.status}`), { code, step: 'trusted_root' });
      return res;
    };
    if (this.#trustedRoot != null) return { trustedRoot: typeof this.#trustedRoot === 'string' ? this.#trustedRoot : JSON.stringify(this.#trustedRoot) };
    if (this.hasAttribute('trusted-root')) return { trustedRoot: await (await fetched('trusted-root', 'TRUST_ROOT_INVALID')).text() };
    if (this.#tufOptions === false) return { tuf: false };
    const tuf = {};
    const url = this.getAttribute('tuf-url');
    if (url) tuf.url = new URL(url, document.baseURI).href.replace(/\/+$/, '');
    if (this.hasAttribute('tuf-root')) tuf.root = new Uint8Array(await (await fetched('tuf-root', 'TUF_FETCH_FAILED')).arrayBuffer());
    if (this.hasAttribute('tuf-offline')) tuf.offline = true;
    Object.assign(tuf, this.#tufOptions ?? {});
    return Object.keys(tuf).length ? { tuf } : {};
  }

  /** Text equivalent of the current verdict. */
  get text() {
    return badgeText(this.#model());
  }

  /** GitHub artifact mode: `digest` with `repo` or `owner`. */
  #github() {
    return this.hasAttribute('digest') && (this.hasAttribute('repo') || this.hasAttribute('owner'));
  }

  #model() {
    if (this.#github()) {
      return { kind: 'github', state: this.state, name: this.getAttribute('repo') ?? this.getAttribute('owner'), version: this.getAttribute('digest'), result: this.result, error: this.error };
    }
    if (this.getAttribute('registry') === 'pypi') return { kind: 'pypi', state: this.state, ...pypiCoordinates(this), result: this.result, error: this.error };
    return { state: this.state, name: this.getAttribute('package'), version: this.getAttribute('version'), registry: this.getAttribute('registry') ?? undefined, result: this.result, error: this.error };
  }

  // GitHub mode: verifyAttestation({ repo | owner, digest }, options) with the attributes' policy.
  async #verifyGithub(run, abort) {
    const digest = this.getAttribute('digest');
    const scope = this.hasAttribute('repo') ? { repo: this.getAttribute('repo') } : { owner: this.getAttribute('owner') };
    const options = { signal: abort.signal };
    const attr = { 'api-base': 'apiBase', 'signer-workflow': 'signerWorkflow', 'source-ref': 'sourceRef', 'source-digest': 'sourceDigest' };
    for (const [a, o] of Object.entries(attr)) if (this.hasAttribute(a)) options[o] = a === 'api-base' ? new URL(this.getAttribute(a), document.baseURI).href : this.getAttribute(a);
    if (this.hasAttribute('deny-self-hosted-runners')) options.denySelfHostedRunners = true;
    if (this.#token != null) options.token = this.#token;
    let detail;
    try {
      const loadingApi = early(verifier());
      Object.assign(options, await this.#trustOptions(abort.signal));
      const { verifyAttestation } = await loadingApi;
      const result = await verifyAttestation({ ...scope, digest }, options);
      if (run !== this.#run) return;
      this.#set('verified', result, null);
      detail = { ...scope, digest, result };
    } catch (e) {
      if (run !== this.#run) return;
      const error = { code: e?.code ?? 'LOAD_FAILED', step: e?.step ?? 'input', message: String(e?.message ?? e) };
      if (Array.isArray(e?.failed)) error.failed = e.failed;
      this.#set('failed', null, error);
      detail = { ...scope, digest, error };
    }
    this.dispatchEvent(new CustomEvent('sigstore-provenance', { detail, bubbles: true, composed: true }));
  }

  // Several attributes set in one task verify once.
  #schedule() {
    if (this.#queued) return;
    this.#queued = true;
    queueMicrotask(() => {
      this.#queued = false;
      this.#verify();
    });
  }

  #set(state, result, error) {
    Object.assign(this, { state, result, error });
    this.dataset.state = state;
    renderBadge(this.#root, this.#model());
  }

  async #verify() {
    const run = ++this.#run;
    this.#abort?.abort();
    if (this.#github()) {
      const abort = (this.#abort = new AbortController());
      this.#set('pending', null, null);
      return this.#verifyGithub(run, abort);
    }
    const pypi = this.getAttribute('registry') === 'pypi' ? pypiCoordinates(this) : null;
    const name = pypi ? pypi.name : this.getAttribute('package');
    const version = this.getAttribute('version');
    if (!name || !version || (this.getAttribute('registry') === 'pypi' && !pypi)) return this.#set('idle', null, null);
    const abort = (this.#abort = new AbortController());
    this.#set('pending', null, null);
    const repository = this.getAttribute('repository');
    const options = { tarball: this.hasAttribute('tarball'), signal: abort.signal, policy: repository ? { repository } : undefined };
    const registry = this.getAttribute('registry');
    if (registry) options.registry = registry;
    let detail;
    try {
      const loadingApi = early(verifier());
      Object.assign(options, await this.#trustOptions(abort.signal));
      const api = await loadingApi;
      const result = pypi ? await verifyPypi(api, this, options) : await api.verifyNpmPackage(name, version, options);
      if (run !== this.#run) return;
      this.#set('verified', result, null);
      detail = { name, version, result };
    } catch (e) {
      if (run !== this.#run) return;
      const error = { code: e?.code ?? 'LOAD_FAILED', step: e?.step ?? 'input', message: String(e?.message ?? e) };
      this.#set('failed', null, error);
      detail = { name, version, error };
    }
    this.dispatchEvent(new CustomEvent('sigstore-provenance', { detail, bubbles: true, composed: true }));
  }
}

if (globalThis.customElements && !customElements.get('sigstore-provenance')) {
  customElements.define('sigstore-provenance', SigstoreProvenanceElement);
}
