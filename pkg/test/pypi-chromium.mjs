// PyPI attestations in headless Chromium (npm.html?suite=pypi runs pypi-cases.js against the stand-in
// index): `pypi-chromium: N passed, M failed`. The runner is npm-chromium.mjs's.
import { runRegistryPage } from './npm-chromium.mjs';

process.exit((await runRegistryPage('npm.html?suite=pypi', 'pypi-chromium')) ? 1 : 0);
