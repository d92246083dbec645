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

const inspect = Symbol.for('nodejs.util.inspect.custom');
const mask = (v) => (typeof v === 'string' ? v.slice(0, 2) + '*'.repeat(Math.max(v.length - 2, 0)) : v);
const show = (value, opts) => require('node:util').inspect(value, opts);

/** The citizen WK vouched for; util.inspect / console.log mask the identifiers (logs). */
class Person {
  constructor(fields) {
    Object.assign(this, fields);
  }

  [inspect](depth, opts) {
    return `Person ${show({ ...this, pesel: mask(this.pesel), personIdentifier: mask(this.personIdentifier) }, opts)}`;
  }
}

/** A verified WK login (JSON.stringify gives every field whole; util.inspect masks the PESEL). */
class LoginResult {
  constructor(fields) {
    Object.assign(this, fields);
    this.person = new Person(fields.person ?? {});
  }

  [inspect](depth, opts) {
    const { nameId, loa, sessionIndex, person, warnings } = this;
    const attributes = `[${Object.keys(this.attributes ?? {}).length} attributes]`;
    return `LoginResult ${show({ nameId, loa, sessionIndex, person, attributes, warnings }, opts)}`;
  }
}

/** A document's verification report; `valid` is verdict === 'valid' (a getter: not in JSON). */
class Report {
  constructor(fields) {
    Object.assign(this, fields);
  }

  get valid() {
    return this.verdict === 'valid';
  }
}

// The addon's JSON already has camelCase keys.
const login = (json) => new LoginResult(JSON.parse(json));
const logout = (json) => JSON.parse(json);
const report = (json) => new Report(JSON.parse(json));

module.exports = { describe, data, optionalPem, rfc3339, path, login, logout, report, LoginResult, Person, Report };
