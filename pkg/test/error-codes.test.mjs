// The error codes the JS layer (pkg/src/*.js) and the browser extension (extension/*.js) raise itself, rather than passing on from the
// wasm core, are documented in docs/errors.md with the step it gives them. Imported by
// node.test.mjs (scripts/test-js.sh node).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const srcDirs = ['pkg/src', 'extension'];

/** docs/errors.md's table rows: code → step. */
function documentedCodes() {
  const doc = readFileSync(join(root, 'docs', 'errors.md'), 'utf8');
  const rows = new Map();
  for (const m of doc.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \| ([a-z_]+) \|/gm)) rows.set(m[1], m[2]);
  return rows;
}

/**
 * The codes pkg/src raises: `new VerificationError('CODE', 'step', …)`, and the fallback code of
 * an error object it builds itself (`code: e?.code ?? 'CODE', step: e?.step ?? 'step'`, the badge).
 * Returns [{ code, step (null when not a literal), where }].
 */
function raisedCodes() {
  const out = [];
  for (const dir of srcDirs) for (const f of readdirSync(join(root, dir)).filter((n) => n.endsWith('.js')).sort()) {
    const lines = readFileSync(join(root, dir, f), 'utf8').split('\n');
    lines.forEach((line, i) => {
      const where = `${dir}/${f}:${i + 1}`;
      for (const m of line.matchAll(/new VerificationError\(\s*'([A-Z][A-Z0-9_]*)'\s*,\s*(?:'([a-z_]+)')?/g)) out.push({ code: m[1], step: m[2] ?? null, where });
      for (const m of line.matchAll(/\bcode:[^,}]*'([A-Z][A-Z0-9_]*)'\s*,\s*step:[^,}]*?(?:'([a-z_]+)')?\s*[,}]/g)) out.push({ code: m[1], step: m[2] ?? null, where });
    });
  }
  return out;
}

test('every error code the JS layer raises itself is in docs/errors.md, with its step', () => {
  const documented = documentedCodes();
  assert.ok(documented.size > 40, `docs/errors.md table: ${documented.size} codes`);
  const raised = raisedCodes();
  const codes = new Set(raised.map((r) => r.code));
  // The reader finds what is known to be there (else a changed spelling would pass silently).
  for (const c of ['NPM_FETCH_FAILED', 'INPUT_INVALID', 'NPM_DOCUMENT_INVALID', 'LOAD_FAILED', 'EXTENSION_ERROR']) assert.ok(codes.has(c), `found ${c} in pkg/src`);
  const problems = [];
  for (const { code, step, where } of raised) {
    if (!documented.has(code)) problems.push(`${where}: ${code} is not in docs/errors.md`);
    else if (step && documented.get(code) !== step) problems.push(`${where}: ${code} has step ${step}, docs/errors.md says ${documented.get(code)}`);
  }
  assert.deepEqual(problems, []);
});
