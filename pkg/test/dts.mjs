// A small, explicit reader of pkg/index.d.ts (no TypeScript compiler): the bodies of its
// interfaces and type aliases, and a checker of a JSON value against one of them. Used by
// types.test.mjs to keep the declared result types in step with what the verifiers return.
//
// It understands what index.d.ts uses for result types and throws on anything else rather than
// guessing: property members `name: T;` / `name?: T;` (methods are skipped), and type
// expressions built from `A | B`, `(T)`, `T[]`, inline `{ ... }` object types, `Record<string, T>`,
// the names of interfaces and type aliases of the file, string literals, `true`/`false`,
// `string`, `number`, `boolean`, `null` and `unknown`.

/** The index of the quote that closes the string literal opening at `i`. */
function skipString(text, i) {
  let j = i + 1;
  while (j < text.length && text[j] !== text[i]) j += text[j] === '\\' ? 2 : 1;
  return j;
}

/** The text with comments removed (string literals kept: `'https://…'` holds no comment). */
function stripComments(src) {
  let out = '';
  for (let i = 0; i < src.length; ) {
    const c = src[i];
    if (c === "'" || c === '"' || c === '`') {
      const j = skipString(src, i);
      out += src.slice(i, j + 1);
      i = j + 1;
    } else if (src.startsWith('//', i)) {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) throw new Error('index.d.ts: unterminated comment');
      out += ' ';
      i = end + 2;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/**
 * Split `text` at each top-level occurrence of one of `seps` (outside (), [], {}, <> and string
 * literals; the `>` of `=>` closes nothing). Returns the trimmed, non-empty parts.
 */
function splitTop(text, seps) {
  const parts = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'" || c === '"' || c === '`') {
      i = skipString(text, i);
    } else if ('([{<'.includes(c)) depth++;
    else if (c === '>' && text[i - 1] === '=') continue;
    else if (')]}>'.includes(c)) depth--;
    else if (depth === 0 && seps.includes(c)) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
    if (depth < 0) throw new Error(`index.d.ts: unbalanced brackets in ${text.slice(0, 80)}`);
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter(Boolean);
}

/** The index just past the bracket that closes the one at `open`. */
function closing(text, open) {
  const pairs = { '{': '}', '(': ')', '[': ']', '<': '>' };
  const stack = [];
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === "'" || c === '"' || c === '`') {
      i = skipString(text, i);
    } else if (pairs[c]) stack.push(pairs[c]);
    else if (c === '>' && text[i - 1] === '=') continue;
    else if (')]}>'.includes(c)) {
      if (stack.pop() !== c) throw new Error(`index.d.ts: mismatched '${c}' at ${i}`);
      if (stack.length === 0) return i + 1;
    }
  }
  throw new Error(`index.d.ts: unclosed '${text[open]}' at ${open}`);
}

/** The index of the first `;` at or after `from` outside brackets and string literals. */
function topLevelSemicolon(text, from) {
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if ('([{<\'"`'.includes(c)) i = c === "'" || c === '"' || c === '`' ? skipString(text, i) : closing(text, i) - 1;
    else if (c === ';') return i;
  }
  throw new Error('index.d.ts: a type alias without its closing `;`');
}

const IDENT = '[A-Za-z_$][\\w$]*';
const PROPERTY = new RegExp(`^(?:readonly\\s+)?(${IDENT}|'[^']*'|"[^"]*")(\\?)?\\s*:\\s*([\\s\\S]+)$`);
const METHOD = new RegExp(`^(?:${IDENT})\\??\\s*[(<]`);

/** The property members of an object type's body: `{ name, optional, type }` (methods skipped). */
export function members(body) {
  const out = [];
  for (const m of splitTop(body, ';,')) {
    if (METHOD.test(m)) continue;
    const p = PROPERTY.exec(m);
    if (!p) throw new Error(`index.d.ts: unsupported member: ${m}`);
    out.push({ name: p[1].replace(/^['"]|['"]$/g, ''), optional: p[2] === '?', type: p[3].trim() });
  }
  return out;
}

/** Parse the declarations of a .d.ts text: `{ interfaces: Map(name → body), aliases: Map(name → type) }`. */
export function readDeclarations(src) {
  const text = stripComments(src);
  const interfaces = new Map();
  const aliases = new Map();
  for (const m of text.matchAll(new RegExp(`\\binterface\\s+(${IDENT})(?:\\s+extends\\s+([^{]+))?\\s*\\{`, 'g'))) {
    const open = m.index + m[0].length - 1;
    if (interfaces.has(m[1])) throw new Error(`index.d.ts: interface ${m[1]} declared twice (merging is not supported)`);
    interfaces.set(m[1], { body: text.slice(open + 1, closing(text, open) - 1), extends: m[2]?.trim() ?? null });
  }
  for (const m of text.matchAll(new RegExp(`\\btype\\s+(${IDENT})\\s*(<[^=]*>)?\\s*=`, 'g'))) {
    // The alias runs to the first top-level `;`.
    const start = m.index + m[0].length;
    aliases.set(m[1], { type: text.slice(start, topLevelSemicolon(text, start)).trim(), generic: !!m[2] });
  }
  return { interfaces, aliases };
}

const PRIMITIVES = { string: 'string', number: 'number', boolean: 'boolean' };

/**
 * Check a JSON value (as JSON.parse gives it) against the type `type` of the declarations.
 * Returns a list of problems, each `PATH: what` (empty when the value fits). A union fits when
 * one alternative fits; for an object, fitting means every field it has is declared by the
 * alternative and every non-optional field of the alternative is present.
 */
export function check(decls, value, type, path = '$') {
  const alts = splitTop(type.replace(/^\s*\|/, ''), '|');
  let best = null;
  for (const alt of alts) {
    const problems = checkOne(decls, value, alt, path);
    if (problems.length === 0) return [];
    if (!best || problems.length < best.length) best = problems;
  }
  return alts.length > 1 ? [`${path}: fits none of \`${alts.join(' | ')}\`; nearest: ${best.join('; ')}`] : best;
}

function checkOne(decls, value, t, path) {
  t = t.trim();
  if (t.startsWith('(') && closing(t, 0) === t.length) return check(decls, value, t.slice(1, -1), path);
  if (t === 'unknown') return [];
  if (t === 'null') return value === null ? [] : [`${path}: ${JSON.stringify(value)} is not null`];
  if (t === 'true' || t === 'false') return value === (t === 'true') ? [] : [`${path}: ${JSON.stringify(value)} is not ${t}`];
  if (PRIMITIVES[t]) return typeof value === PRIMITIVES[t] ? [] : [`${path}: ${JSON.stringify(value)} is not a ${t}`];
  if (/^'[^']*'$|^"[^"]*"$/.test(t)) {
    return value === t.slice(1, -1) ? [] : [`${path}: ${JSON.stringify(value)} is not ${t}`];
  }
  if (t.endsWith('[]')) {
    if (!Array.isArray(value)) return [`${path}: not an array (${t})`];
    return value.flatMap((v, i) => check(decls, v, t.slice(0, -2), `${path}[${i}]`));
  }
  const record = /^Record<\s*string\s*,([\s\S]+)>$/.exec(t);
  if (record) {
    if (!isObject(value)) return [`${path}: not an object (${t})`];
    return Object.entries(value).flatMap(([k, v]) => check(decls, v, record[1], `${path}.${k}`));
  }
  if (t.startsWith('{') && closing(t, 0) === t.length) return checkObject(decls, value, members(t.slice(1, -1)), path, 'an inline object type');
  if (new RegExp(`^${IDENT}$`).test(t)) {
    const iface = decls.interfaces.get(t);
    if (iface) {
      if (iface.extends) throw new Error(`index.d.ts: interface ${t} extends ${iface.extends}: not supported by this reader`);
      return checkObject(decls, value, members(iface.body), path, `interface ${t}`);
    }
    const alias = decls.aliases.get(t);
    if (alias) {
      if (alias.generic) throw new Error(`index.d.ts: generic type ${t}: not supported by this reader`);
      return check(decls, value, alias.type, path);
    }
    throw new Error(`index.d.ts: unknown type ${t} at ${path}`);
  }
  throw new Error(`index.d.ts: unsupported type expression at ${path}: ${t}`);
}

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function checkObject(decls, value, fields, path, what) {
  if (!isObject(value)) return [`${path}: ${JSON.stringify(value)} is not an object (${what})`];
  const problems = [];
  const declared = new Map(fields.map((f) => [f.name, f]));
  for (const k of Object.keys(value)) {
    if (!declared.has(k)) problems.push(`${path}.${k}: not declared in ${what}`);
  }
  for (const f of fields) {
    if (!(f.name in value)) {
      if (!f.optional) problems.push(`${path}.${f.name}: declared (not optional) in ${what} but absent`);
      continue;
    }
    problems.push(...check(decls, value[f.name], f.type, `${path}.${f.name}`));
  }
  return problems;
}
