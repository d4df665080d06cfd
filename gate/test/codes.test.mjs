// The gate's own codes in one place: every GATE_* code gate/src raises is a key of GATE_CODES
// (gate/src/gate.js), is a row of gate/README.md's refusal table (with the HTTP status GATE_CODES
// gives it), and is named in docs/errors.md, which points to that table for the details.
// Run by scripts/test-js.sh gate (node --test gate/test/codes.test.mjs).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { GATE_CODES } from '../src/gate.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const srcDir = join(root, 'gate', 'src');
const sources = readdirSync(srcDir).filter((f) => f.endsWith('.js')).sort().map((f) => ({ file: `gate/src/${f}`, text: readFileSync(join(srcDir, f), 'utf8') }));
const readme = readFileSync(join(root, 'gate', 'README.md'), 'utf8');
const errorsDoc = readFileSync(join(root, 'docs', 'errors.md'), 'utf8');
const keys = Object.keys(GATE_CODES);

/** Quoted `'GATE_…'` literals in gate/src, split into codes (raised or answered) and the rest. */
function literals() {
  const codes = [];
  const others = [];
  for (const { file, text } of sources) {
    for (const m of text.matchAll(/'(GATE_[A-Z_]+)'/g)) {
      const before = text.slice(Math.max(0, m.index - 40), m.index);
      const line = text.slice(0, m.index).split('\n').length;
      (/(new GateError\(\s*|\bcode:\s*)$/.test(before) ? codes : others).push({ name: m[1], where: `${file}:${line}` });
    }
  }
  return { codes, others };
}

/** gate/README.md's refusal table: code → status. */
function readmeTable() {
  const section = readme.slice(readme.indexOf('\n## Refusals'), readme.indexOf('\n## ', readme.indexOf('\n## Refusals') + 1));
  const rows = new Map();
  for (const m of section.matchAll(/^\| `(GATE_[A-Z_]+)` \| (\d{3}) \|/gm)) rows.set(m[1], Number(m[2]));
  return rows;
}

test('every GATE_* code raised or answered in gate/src is a key of GATE_CODES, and every key is used', () => {
  const { codes } = literals();
  assert.ok(codes.length >= keys.length, `${codes.length} code literals found`);
  assert.deepEqual(codes.filter((c) => !(c.name in GATE_CODES)).map((c) => `${c.where}: ${c.name}`), []);
  const used = new Set(codes.map((c) => c.name));
  assert.deepEqual(keys.filter((k) => !used.has(k)), [], 'GATE_CODES keys that gate/src never raises');
});

test('the other GATE_* strings in gate/src are setting names, not codes', () => {
  // e.g. bool(env.GATE_VERSION_DOCUMENTS, false, 'GATE_VERSION_DOCUMENTS'): a setting read from env.
  const all = sources.map((s) => s.text).join('\n');
  const { others } = literals();
  const notSettings = others.filter((o) => !new RegExp(`\\benv\\.${o.name}\\b`).test(all) || o.name in GATE_CODES);
  assert.deepEqual(notSettings.map((o) => `${o.where}: ${o.name}`), []);
  for (const o of others) assert.match(readme, new RegExp(`^\\| \`${o.name}\` \\|`, 'm'), `${o.name} in gate/README.md's settings table`);
});

test("gate/README.md's refusal table lists exactly the GATE_CODES, with their HTTP status", () => {
  const rows = readmeTable();
  assert.deepEqual([...rows.keys()].sort(), [...keys].sort());
  for (const [code, status] of rows) {
    // GATE_CODES writes a status other than 403 at the end of the meaning, e.g. "(502)".
    const want = Number(/\((\d{3})\)$/.exec(GATE_CODES[code])?.[1] ?? 403);
    assert.equal(status, want, `${code}: README says ${status}, GATE_CODES says ${want}`);
  }
});

test('docs/errors.md names every gate code and points to the README table for the details', () => {
  const i = errorsDoc.indexOf('\n## Edge gate codes');
  assert.ok(i >= 0, 'docs/errors.md has an "Edge gate codes" section');
  const section = errorsDoc.slice(i);
  const named = new Set([...section.matchAll(/`(GATE_[A-Z_]+)`/g)].map((m) => m[1]));
  assert.deepEqual([...named].sort(), [...keys].sort());
  assert.match(section, /\]\(\.\.\/gate\/README\.md#refusals\)/);
  assert.match(readme, /^## Refusals$/m, 'the #refusals anchor exists');
  // Outside that section the table of docs/errors.md holds no gate code (one list, one place).
  assert.doesNotMatch(errorsDoc.slice(0, i), /GATE_[A-Z_]+/);
});
