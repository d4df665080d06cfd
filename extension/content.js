// Content script for npm package pages (https://www.npmjs.com/package/NAME[/v/VERSION]). It takes
// the package name and version from the URL (for the latest version, from the version shown under
// the package name), asks the extension's service worker to fetch the registry's documents and
// verify them, and shows the verdict in a badge under the package name. The page's own provenance
// section is never read: the verdict is the extension's alone.
(() => {
  const HOST_ID = 'sigstore-wasm-provenance';
  let shown = '';

  function coordinates() {
    const m = /^\/package\/((?:@[^/]+\/)?[^/]+)(?:\/v\/([^/]+))?\/?$/.exec(location.pathname);
    if (!m) return null;
    try {
      return { name: decodeURIComponent(m[1]), version: m[2] ? decodeURIComponent(m[2]) : pageVersion() };
    } catch {
      return null;
    }
  }

  // npmjs.com writes "1.2.3 • Public • Published …" next to the package name. Only the version
  // number is taken from it; null lets the service worker ask the registry for `latest`.
  function pageVersion() {
    const h1 = document.querySelector('main h1') ?? document.querySelector('h1');
    const text = h1?.parentElement?.textContent ?? '';
    const m = /(?:^|\s|\u00a0)(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)[\s\u00a0]*•/.exec(text);
    return m ? m[1] : null;
  }

  function host() {
    let el = document.getElementById(HOST_ID);
    if (!el) {
      el = globalThis.sigstoreWasmContent.host('Checked by the sigstore-wasm extension (registry documents fetched by the extension)', '0.5rem 0');
      el.id = HOST_ID;
      const h1 = document.querySelector('main h1') ?? document.querySelector('h1');
      if (h1?.parentElement) h1.parentElement.after(el);
      else document.body.prepend(el);
    }
    return el;
  }

  const render = (model) => globalThis.sigstoreWasmContent.render(host(), model);

  async function check() {
    const c = coordinates();
    const key = c ? `${c.name}@${c.version}` : '';
    if (key === shown) return;
    shown = key;
    if (!c) return document.getElementById(HOST_ID)?.remove();
    await render({ state: 'pending', name: c.name, version: c.version ?? 'latest' });
    let answer;
    try {
      answer = await chrome.runtime.sendMessage({ type: 'verify', name: c.name, version: c.version });
    } catch (e) {
      answer = { error: { code: 'EXTENSION_ERROR', step: 'input', message: String(e?.message ?? e) } };
    }
    if (shown !== key) return; // navigated meanwhile
    const a = answer ?? { error: { code: 'EXTENSION_ERROR', step: 'input', message: 'no answer from the service worker' } };
    await render({ state: a.result ? 'verified' : 'failed', name: c.name, version: a.version ?? c.version, registry: a.registry, result: a.result, error: a.error });
  }

  // npmjs.com navigates between packages without reloading the page.
  globalThis.sigstoreWasmContent.watch(check);
})();
