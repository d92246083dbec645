'use strict';
// Arguments into what the addon takes, and the addon's JSON into camelCase objects.

function describe(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'Object'})`;
  return `${typeof value} ${String(value).slice(0, 40)}`;
}

/** A Buffer (no copy for Buffers and typed arrays) or a string. */
function data(value, argument) {
  if (typeof value === 'string' || Buffer.isBuffer(value)) return value;
  if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  throw new TypeError(`\`${argument}\` must be a Buffer, Uint8Array or string, got ${describe(value)}`);
}

/** PEM: one text or Buffer with several blocks, or an array of them; undefined when absent. */
function optionalPem(value, argument) {
  if (value === undefined || value === null) return undefined;
  const parts = Array.isArray(value) ? value : [value];
  const buffers = parts.map((v, i) => {
    const b = data(v, Array.isArray(value) ? `${argument}[${i}]` : argument);
    return typeof b === 'string' ? Buffer.from(b, 'utf8') : b;
  });
  return buffers.length === 1 ? buffers[0] : Buffer.concat(buffers.flatMap((b) => [b, Buffer.from('\n')]));
}

/** A Date or RFC 3339 text as RFC 3339 text; undefined when absent. */
function rfc3339(value) {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new RangeError('`now` is an invalid Date');
    return value.toISOString();
  }
  if (typeof value === 'string') return value;
  throw new TypeError(`\`now\` must be a Date or an RFC 3339 string, got ${describe(value)}`);
}

/** A file path: a string or a file: URL. */
function path(value, argument) {
  if (typeof value === 'string') return value;
  if (value instanceof URL) return require('node:url').fileURLToPath(value);
  throw new TypeError(`\`${argument}\` must be a path string or a file: URL, got ${describe(value)}`);
}

const camelKey = (k) => k.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());

/** snake_case keys to camelCase, recursively; the maps under `keep` keep their keys (SAML names). */
function camel(value, keep = new Set(['attributes', 'details', 'upo', 'other'])) {
  if (Array.isArray(value)) return value.map((v) => camel(v, keep));
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const [k, v] of Object.entries(value)) {
    out[camelKey(k)] = keep.has(k) && v && typeof v === 'object' && !Array.isArray(v) ? v : camel(v, keep);
  }
  return out;
}

const inspect = Symbol.for('nodejs.util.inspect.custom');
const mask = (v) => (typeof v === 'string' ? v.slice(0, 2) + '*'.repeat(Math.max(v.length - 2, 0)) : v);

/** The login, whose console.log / util.inspect masks the identifiers (logs); JSON stays whole. */
function login(json) {
  const l = camel(JSON.parse(json));
  const masked = (p) => p && { ...p, pesel: mask(p.pesel), personIdentifier: mask(p.personIdentifier) };
  Object.defineProperty(l, inspect, {
    value: (depth, opts) =>
      `LoginResult ${require('node:util').inspect(
        {
          nameId: l.nameId,
          loa: l.loa,
          sessionIndex: l.sessionIndex,
          person: masked(l.person),
          attributes: `[${Object.keys(l.attributes ?? {}).length} attributes]`,
          warnings: l.warnings,
        },
        opts,
      )}`,
    enumerable: false,
  });
  if (l.person && typeof l.person === 'object') {
    Object.defineProperty(l.person, inspect, {
      value: (depth, opts) => `Person ${require('node:util').inspect(masked(l.person), opts)}`,
      enumerable: false,
    });
  }
  return l;
}

const logout = (json) => camel(JSON.parse(json));

/** The report with `valid` (verdict === 'valid') beside the fields. */
function report(json) {
  const r = camel(JSON.parse(json));
  Object.defineProperty(r, 'valid', { value: r.verdict === 'valid', enumerable: false });
  return r;
}

module.exports = { describe, data, optionalPem, rfc3339, path, camel, login, logout, report };
