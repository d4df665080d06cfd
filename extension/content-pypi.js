// Content script for PyPI project pages (https://pypi.org/project/NAME/[VERSION/]): it takes the
// project and version from the URL (for the latest release, from the page's "NAME VERSION"
// heading), the distribution files from the links to them on the page (the "Download files"
// list), asks the service worker to fetch each file's listing (PEP 691) and provenance (PEP 740)
// from the index and verify them, and shows one badge per file beside its link. What the page
// says about attestations is never read: the verdict is the extension's alone.
(() => {
  const MAX_FILES = 8;
  const DIST = /\.(whl|tar\.gz|zip)$/;
  let shown = '';

  function coordinates() {
    const m = /^\/project\/([^/]+)\/(?:([^/]+)\/)?$/.exec(location.pathname);
    if (!m) return null;
    try {
      const project = decodeURIComponent(m[1]);
      const heading = document.querySelector('h1.package-header__name, main h1')?.textContent.trim().split(/\s+/) ?? [];
      const version = m[2] ? decodeURIComponent(m[2]) : heading.length === 2 ? heading[1] : null;
      return version ? { project, version } : null;
    } catch {
      return null;
    }
  }

  /** The page's links to distribution files: [{ a, filename }], each filename once. */
  function files() {
    const seen = new Set();
    const out = [];
    for (const a of document.querySelectorAll('a[href]')) {
      let name;
      try {
        name = decodeURIComponent(new URL(a.href).pathname.split('/').pop());
      } catch {
        continue;
      }
      if (!DIST.test(name) || seen.has(name)) continue;
      seen.add(name);
      out.push({ a, filename: name });
    }
    return out.slice(0, MAX_FILES);
  }

  const render = (el, model) => globalThis.sigstoreWasmContent.render(el, model);

  function hostFor(a, filename) {
    const el = globalThis.sigstoreWasmContent.host('Checked by the sigstore-wasm extension (provenance fetched by the extension)', '0.3rem 0 0.6rem');
    el.className = 'sigstore-wasm-pypi';
    el.dataset.filename = filename;
    (a.closest('.file, li, p') ?? a).after(el);
    return el;
  }

  async function check() {
    const c = coordinates();
    const key = c ? `${c.project} ${c.version}` : '';
    if (key === shown) return;
    shown = key;
    for (const el of document.querySelectorAll('.sigstore-wasm-pypi')) el.remove();
    if (!c) return;
    await Promise.all(
      files().map(async ({ a, filename }) => {
        const el = hostFor(a, filename);
        const model = { kind: 'pypi', name: c.project, version: c.version, filename };
        await render(el, { ...model, state: 'pending' });
        let answer;
        try {
          answer = await chrome.runtime.sendMessage({ type: 'verify-pypi', project: c.project, version: c.version, filename });
        } catch (e) {
          answer = { error: { code: 'EXTENSION_ERROR', step: 'input', message: String(e?.message ?? e) } };
        }
        if (shown !== key) return;
        const r = answer ?? { error: { code: 'EXTENSION_ERROR', step: 'input', message: 'no answer from the service worker' } };
        await render(el, { ...model, index: r.index, state: r.result ? 'verified' : 'failed', result: r.result, error: r.error });
      }),
    );
  }

  globalThis.sigstoreWasmContent.watch(check);
})();
