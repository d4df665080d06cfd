// What the content scripts (content.js on npmjs.com, content-pypi.js on pypi.org) share, loaded
// before each of them (manifest.json): drawing a verdict into a badge host with the package's
// renderBadge, and re-checking when the site navigates without reloading the page.
globalThis.sigstoreWasmContent ??= (() => {
  let badge;
  return {
    /** Draw `model` into the host `el` (its shadow root's last element), with its state as data. */
    async render(el, model) {
      el.dataset.state = model.state;
      el.dataset.code = model.error?.code ?? '';
      el.dataset.trust = model.result?.trust?.source ?? ''; // where the trusted root came from: tuf, embedded, given
      badge ??= import(chrome.runtime.getURL('pkg/src/badge.js'));
      const { renderBadge, badgeText } = await badge;
      renderBadge(el.shadowRoot.lastElementChild, model);
      el.setAttribute('aria-label', badgeText(model));
    },
    /** A badge host: a div with an open shadow root holding `caption` and the badge's element. */
    host(caption, margin) {
      const el = document.createElement('div');
      el.style.margin = margin;
      const p = document.createElement('p');
      p.textContent = caption;
      p.style.cssText = 'margin:0 0 0.2rem;font:12px system-ui,sans-serif;color:#6b7280';
      el.attachShadow({ mode: 'open' }).append(p, document.createElement('div'));
      return el;
    },
    /** Call `check` now and after every in-page navigation. */
    watch(check) {
      check();
      let href = location.href;
      new MutationObserver(() => {
        if (location.href !== href) {
          href = location.href;
          check();
        }
      }).observe(document.body, { childList: true, subtree: true });
    },
  };
})();
