// The demo page: collects a bundle, an artifact (bytes or digest), a policy and an optional
// trusted root, verifies them with sigstore-wasm in the page, and shows every check.
const $ = (id) => document.getElementById(id);
// A package that cannot load (say, a Content-Security-Policy without 'wasm-unsafe-eval') is
// reported in the status line, where the page would otherwise stay "Loading…".
const { Verifier, VerificationError, hashStream } = await import('../pkg/src/browser.js').catch((e) => {
  $('status').textContent = `The verifier could not load: ${e.message}`;
  document.body.dataset.ready = 'error';
  throw e;
});
const BEACON = 'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main';
const GITHUB = 'https://token.actions.githubusercontent.com';
const DATA = '../tests/data/conformance/bundle-verify/';
const EXAMPLES = {
  happy: 'happy-path-v0.3',
  dsse: 'happy-path-intoto-in-dsse-v3',
  tampered: 'signature-mismatch_fail',
};
// Artifacts up to this size are given to the verifier as bytes (needed for Ed25519 message
// signatures); larger ones are hashed in the page as a stream and given as a digest.
const MAX_BYTES = 64 * 1024 * 1024;

// The verification steps in the order a reader expects them; `step` is VerificationError.step.
const STEPS = [
  ['trusted_root', 'Trusted root is well-formed'],
  ['input', 'Inputs are usable (policy, artifact)'],
  ['bundle', 'Bundle is well-formed'],
  ['artifact', 'Artifact matches the bundle'],
  ['signature', 'Signature over the artifact verifies'],
  ['timestamp', 'RFC 3161 timestamps verify'],
  ['tlog', 'Transparency-log entry verifies'],
  ['certificate', 'Certificate chains to a trusted CA'],
  ['sct', 'Certificate was logged (SCT)'],
  ['policy', 'Signer matches the policy'],
];

const state = { artifact: null, artifactName: '', trustedRoot: null, verifiers: new Map() };

function verifierFor(rootText) {
  const key = rootText ?? '';
  if (!state.verifiers.has(key)) state.verifiers.set(key, new Verifier(rootText ? { trustedRoot: rootText } : {}));
  return state.verifiers.get(key);
}

async function setArtifact(file) {
  $('artifact-digest').value = '';
  state.artifactName = file.name;
  if (file.size <= MAX_BYTES) {
    state.artifact = new Uint8Array(await file.arrayBuffer());
    $('artifact-info').textContent = `${file.name}: ${file.size} bytes`;
  } else {
    $('artifact-info').textContent = `${file.name}: ${file.size} bytes, hashing…`;
    const digest = await hashStream(file.stream(), 'sha256');
    state.artifact = { digest };
    $('artifact-info').textContent = `${file.name}: ${file.size} bytes, ${digest}`;
  }
}

async function setBundleFile(file) {
  $('bundle-text').value = await file.text();
}

function wireDrop(el, onFile) {
  el.addEventListener('dragover', (e) => {
    e.preventDefault();
    el.classList.add('over');
  });
  el.addEventListener('dragleave', () => el.classList.remove('over'));
  el.addEventListener('drop', (e) => {
    e.preventDefault();
    el.classList.remove('over');
    const file = e.dataTransfer?.files?.[0];
    if (file) onFile(file).catch(showFailure);
  });
}

async function loadExample(name) {
  const dir = DATA + EXAMPLES[name] + '/';
  const [bundle, artifact] = await Promise.all([fetch(dir + 'bundle.sigstore.json'), fetch(DATA + 'a.txt')]);
  if (!bundle.ok || !artifact.ok) throw new Error('the examples are served from the repository (node www/serve.mjs)');
  $('bundle-text').value = await bundle.text();
  await setArtifact(new File([await artifact.arrayBuffer()], 'a.txt'));
  $('mode-identity').checked = true;
  showMode();
  $('identity').value = BEACON;
  $('issuer').value = GITHUB;
  $('identity-regex').checked = $('issuer-regex').checked = false;
}

function showMode() {
  const key = $('mode-key').checked;
  $('identity-fields').hidden = key;
  $('key-fields').hidden = !key;
}

function policy() {
  if ($('mode-key').checked) return { publicKey: $('public-key').value };
  const p = {};
  p[$('identity-regex').checked ? 'identityRegex' : 'identity'] = $('identity').value;
  p[$('issuer-regex').checked ? 'issuerRegex' : 'issuer'] = $('issuer').value;
  return p;
}

function artifact() {
  const d = $('artifact-digest').value.trim();
  if (d) return { digest: d };
  if (!state.artifact) throw new VerificationError('INPUT_INVALID', 'input', 'no artifact: choose a file or give its digest');
  return state.artifact;
}

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

function table(rows) {
  const t = el('table');
  for (const [k, v] of rows) if (v !== undefined && v !== null && v !== '') t.append(el('tr', {}, el('th', {}, k), el('td', {}, String(v))));
  return t;
}

// What each step established, from the result of a verified bundle.
function passedDetail(step, r) {
  const cert = r.signer.type === 'certificate';
  const rfc = r.verifiedTimes.filter((t) => t.source === 'rfc3161');
  switch (step) {
    case 'input':
      return 'policy and artifact accepted';
    case 'trusted_root':
      return 'parsed and its authority chains checked';
    case 'bundle':
      return r.mediaType;
    case 'artifact':
      return r.statement ? `in-toto subject digest matches (${r.predicateType})` : 'message digest matches';
    case 'signature':
      return r.statement ? 'DSSE envelope signature verified' : 'message signature verified';
    case 'timestamp':
      return rfc.length ? rfc.map((t) => `${t.time} (${t.tsaUri})`).join('; ') : 'none in the bundle';
    case 'tlog':
      return r.tlogEntries.map((e) => `${e.logUrl} #${e.logIndex} (${e.kind} ${e.version})`).join('; ');
    case 'certificate':
      return cert ? 'valid at every verified time' : 'not applicable: managed key';
    case 'sct':
      return cert ? 'embedded SCT from a trusted CT log' : 'not applicable: managed key';
    case 'policy':
      return cert ? `${r.signer.identity} from ${r.signer.issuer}` : `the given ${r.signer.keyType} key`;
  }
  return '';
}

// These run in this order before verification proper (the trusted root when the Verifier is made,
// then the policy, the artifact and the bundle are parsed): a later failure means they passed.
const PARSED = ['trusted_root', 'input', 'bundle'];

function showChecks(result, error) {
  const list = $('checks');
  list.replaceChildren();
  // A regular expression that does not compile is an input error, reported under `policy`.
  const failStep = error && (error.code === 'POLICY_INVALID' ? 'input' : error.step);
  let failedAt = error ? PARSED.indexOf(failStep) : -1;
  if (error && failedAt < 0) failedAt = PARSED.length;
  for (const [step, label] of STEPS) {
    let status;
    let detail;
    const parsedIndex = PARSED.indexOf(step);
    if (result) {
      status = 'pass';
      detail = passedDetail(step, result);
    } else if (parsedIndex >= 0 && parsedIndex < failedAt) {
      status = 'pass';
      detail = step === 'trusted_root' ? 'parsed and its authority chains checked' : 'parsed';
    } else if (step === failStep) {
      status = 'fail';
      detail = `${error.code}: ${error.message}`;
    } else {
      status = 'skip';
      detail = 'not reported (verification stops at the first failure)';
    }
    const mark = { pass: '✔', fail: '✘', skip: '–' }[status];
    list.append(el('li', { 'data-step': step, 'data-status': status, class: status }, el('span', { class: 'mark' }, mark), el('b', {}, label), el('span', { class: 'detail' }, detail)));
  }
}

function showResult(r) {
  $('verdict').className = 'verdict ok';
  $('verdict').textContent = 'Verified';
  showChecks(r, null);
  const d = $('details');
  d.replaceChildren();
  const s = r.signer;
  d.append(el('h2', {}, 'Signer'));
  d.append(
    s.type === 'certificate'
      ? table([['Identity', s.identity], ['Identity type', s.identityType], ['OIDC issuer', s.issuer], ...Object.entries(s.extensions)])
      : table([['Public key', s.keyType]]),
  );
  d.append(el('h2', {}, 'Transparency-log entries'));
  for (const e of r.tlogEntries) d.append(table([['Log', e.logUrl], ['Index', e.logIndex], ['Kind', `${e.kind} ${e.version}`], ['Integrated time', e.integratedTime ?? 'none (Rekor v2)']]));
  d.append(el('h2', {}, 'Verified times'));
  const times = el('ul', { id: 'times' });
  for (const t of r.verifiedTimes) times.append(el('li', {}, `${t.time} — ${t.source === 'tlog' ? `integrated time, ${t.logUrl} #${t.logIndex}` : `RFC 3161 timestamp, ${t.tsaUri}`}`));
  d.append(times);
  if (r.statement) {
    d.append(el('h2', {}, 'In-toto statement'));
    d.append(table([['Predicate type', r.predicateType], ['Subjects', (r.statement.subject ?? []).map((x) => x.name).join(', ')]]));
  }
  $('raw').textContent = JSON.stringify(r, null, 2);
}

function showFailure(e) {
  $('output').hidden = false;
  $('verdict').className = 'verdict bad';
  if (e instanceof VerificationError) {
    $('verdict').textContent = `Not verified: ${e.code}`;
    showChecks(null, e);
    $('raw').textContent = JSON.stringify({ verified: false, error: { code: e.code, step: e.step, message: e.message } }, null, 2);
  } else {
    $('verdict').textContent = `Error: ${e?.message ?? e}`;
    $('checks').replaceChildren();
    $('raw').textContent = String(e?.stack ?? e);
  }
  $('details').replaceChildren();
}

function verify(ev) {
  ev.preventDefault();
  $('output').hidden = false;
  try {
    const text = $('bundle-text').value;
    if (!text.trim()) throw new VerificationError('BUNDLE_PARSE', 'bundle', 'no bundle: drop, choose or paste one');
    const result = verifierFor(state.trustedRoot).verify(text, artifact(), policy());
    showResult(result);
  } catch (e) {
    showFailure(e);
  }
}

$('form').addEventListener('submit', verify);
$('mode-identity').addEventListener('change', showMode);
$('mode-key').addEventListener('change', showMode);
$('bundle-file').addEventListener('change', (e) => e.target.files[0] && setBundleFile(e.target.files[0]).catch(showFailure));
$('artifact-file').addEventListener('change', (e) => e.target.files[0] && setArtifact(e.target.files[0]).catch(showFailure));
$('trusted-root-file').addEventListener('change', async (e) => {
  const f = e.target.files[0];
  state.trustedRoot = f ? await f.text() : null;
  $('trusted-root-info').textContent = f ? `${f.name}: ${f.size} bytes` : '';
});
wireDrop($('bundle-drop'), setBundleFile);
wireDrop($('artifact-drop'), setArtifact);
for (const b of document.querySelectorAll('[data-example]')) b.addEventListener('click', () => loadExample(b.dataset.example).catch(showFailure));
$('verify').disabled = false;
$('status').textContent = 'Verifier ready.';
document.body.dataset.ready = 'true';
