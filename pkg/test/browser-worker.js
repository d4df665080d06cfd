// The module Worker of browser.html?worker=1 (browser-page.js): runs browser-suite.js here and
// posts the results back. Under a CSP the Worker gets the policy of its own script's response.
import { runSuite } from './browser-suite.js';

self.onmessage = async (e) => {
  self.postMessage({ ...(await runSuite(e.data)), userAgent: navigator.userAgent });
};
