// NATS/1.0 message headers, with nats.js v3 method names. Keys keep their
// case and lookups are exact (as in nats.js v3 by default).

import { InvalidArgumentError } from './errors.mjs';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const VERSION = 'NATS/1.0';

// As nats.js: bad header input is an InvalidArgumentError.
function invalid(message) {
  return new InvalidArgumentError(message, { code: 'invalid_header' });
}

function checkKey(key) {
  // Printable ASCII except ':' (what the wire format and nats.js allow).
  if (typeof key !== 'string' || key.length === 0 || !/^[\x21-\x39\x3b-\x7e]+$/.test(key)) {
    throw invalid(`invalid header key '${key}'`);
  }
}

function checkValue(value) {
  if (/[\r\n]/.test(value)) throw invalid('header values cannot contain CR or LF');
}

/** A set of headers: several values per key, plus an optional status. */
export class MsgHdrsImpl {
  /** @param {number} [code] @param {string} [description] */
  constructor(code = 0, description = '') {
    if (!(code === 0 || (Number.isInteger(code) && code >= 100 && code <= 999))) {
      throw invalid(`header status must be 0 or a 3-digit code, got ${code}`);
    }
    checkValue(String(description));
    /** @type {Map<string, string[]>} */
    this._map = new Map();
    this._code = code;
    this._description = description;
  }
  /** Status code (0 when none), e.g. 503. */
  get code() { return this._code; }
  /** Status text, e.g. "No Responders". */
  get description() { return this._description; }
  /** True when the status code is an error (not 0, not 1xx/2xx). */
  get hasError() { return this._code >= 300; }
  /** "503 No Responders" style status string. */
  get status() { return `${this._code} ${this._description}`.trim(); }

  /** First value of key, or "" when absent. */
  get(key) { return this._map.get(key)?.[0] ?? ''; }
  /** True when key has a value. */
  has(key) { return this._map.has(key); }
  /** Replaces all values of key. */
  set(key, value) {
    checkKey(key);
    value = String(value);
    checkValue(value);
    this._map.set(key, [value]);
  }
  /** Adds a value for key, keeping earlier ones. */
  append(key, value) {
    checkKey(key);
    value = String(value);
    checkValue(value);
    const list = this._map.get(key);
    if (list) list.push(value);
    else this._map.set(key, [value]);
  }
  /** Removes key. */
  delete(key) { this._map.delete(key); }
  /** All values of key. */
  values(key) { return [...(this._map.get(key) ?? [])]; }
  /** All keys in insertion order. */
  keys() { return [...this._map.keys()]; }
  /** Number of keys. */
  get size() { return this._map.size; }
  /** [key, values[]] pairs. */
  [Symbol.iterator]() { return this._map.entries(); }
  /** A plain object, one string per key (values joined by ", "). */
  toRecord() {
    const out = {};
    for (const [k, v] of this._map) out[k] = v.join(', ');
    return out;
  }

  /** The wire form as bytes. */
  encode() {
    let s = VERSION;
    if (this._code > 0) s += ` ${this._code}${this._description ? ' ' + this._description : ''}`;
    s += '\r\n';
    for (const [k, vs] of this._map) for (const v of vs) s += `${k}: ${v}\r\n`;
    return encoder.encode(s + '\r\n');
  }

  /** Parses a raw header block (bytes from the wire). */
  static decode(bytes) {
    const text = decoder.decode(bytes);
    const lines = text.split('\r\n');
    const first = lines[0] ?? '';
    const h = new MsgHdrsImpl();
    if (first.startsWith(VERSION)) {
      const m = /^\s*(\d{3})\s*(.*)$/.exec(first.slice(VERSION.length));
      if (m) {
        h._code = Number(m[1]);
        h._description = m[2].trim();
      }
    }
    for (const line of lines.slice(1)) {
      if (line === '') continue;
      const i = line.indexOf(':');
      if (i <= 0) continue;
      const key = line.slice(0, i).trim();
      const value = line.slice(i + 1).trim();
      const list = h._map.get(key);
      if (list) list.push(value);
      else h._map.set(key, [value]);
    }
    return h;
  }
}

/**
 * Creates headers (nats.js `headers()`).
 * @param {number} [code] @param {string} [description]
 */
export function headers(code = 0, description = '') {
  return new MsgHdrsImpl(code, description);
}
