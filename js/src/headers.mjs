// NATS/1.0 message headers with nats.js v3 method names. This is only a
// container: validation, encoding and decoding are the engine's header codec
// (core/src/headers.cpp, through wasm/headers_api.cpp). Keys keep their case
// and lookups are exact unless a Match says otherwise (as in nats.js v3).
import { coreIfLoaded } from './core.mjs';
import { stageHeaders } from './engine.mjs';
import { errorFromCode, InvalidArgumentError } from './errors.mjs';
import { throwIfFailure } from './failure.mjs';
import { Match, canonicalMIMEHeaderKey } from './helpers.mjs';

// Checks a pair the way the engine will when it is sent. Before the engine
// is loaded (headers built before the first connect) the check happens at
// publish, with the same error.
function check(key, value) {
  if (typeof key !== 'string') {
    throw new InvalidArgumentError(`invalid header key '${key}'`, { code: 'invalid_header' });
  }
  const M = coreIfLoaded();
  if (!M) return;
  const failure = M.validateHeader(key, value);
  if (failure !== null) throw errorFromCode(failure[0], failure[1]);
}

/** A set of headers: several values per key, plus an optional status. */
export class MsgHdrsImpl {
  /** @param {number} [code] @param {string} [description] */
  constructor(code = 0, description = '') {
    if (!(code === 0 || (Number.isInteger(code) && code >= 100 && code <= 999))) {
      throw new InvalidArgumentError(`header status must be 0 or a 3-digit code, got ${code}`,
        { code: 'invalid_header' });
    }
    /** @type {Map<string, string[]>} */
    this._map = new Map();
    this._code = code;
    this._description = String(description);
    check('Status', this._description);
  }
  /** Status code (0 when none), e.g. 503. */
  get code() { return this._code; }
  /** Status text, e.g. "No Responders". */
  get description() { return this._description; }
  /** True when the status code is an error (not 0, not 1xx/2xx). */
  get hasError() { return this._code >= 300; }
  /** "503 No Responders" style status string. */
  get status() { return `${this._code} ${this._description}`.trim(); }

  /**
   * The stored keys `key` names under `match` (nats.js Match: Exact, the
   * default; CanonicalMIME, the key in canonical form; IgnoreCase).
   */
  _keysFor(key, match = Match.Exact) {
    key = String(key);
    if (match === Match.CanonicalMIME) key = canonicalMIMEHeaderKey(key);
    if (match !== Match.IgnoreCase) return this._map.has(key) ? [key] : [];
    const lower = key.toLowerCase();
    return [...this._map.keys()].filter((k) => k.toLowerCase() === lower);
  }
  /** First value of key, or "" when absent. */
  get(key, match = Match.Exact) {
    const [k] = this._keysFor(key, match);
    return k === undefined ? '' : this._map.get(k)[0];
  }
  /** Last value of key, or "" when absent. */
  last(key, match = Match.Exact) {
    const list = this.values(key, match);
    return list.length ? list[list.length - 1] : '';
  }
  /** True when key has a value. */
  has(key, match = Match.Exact) { return this._keysFor(key, match).length > 0; }
  // The key a write under `match` stores to.
  _target(key, match) {
    if (match === Match.CanonicalMIME) return canonicalMIMEHeaderKey(key);
    if (match === Match.IgnoreCase) return this._keysFor(key, match)[0] ?? key;
    return key;
  }
  /** Replaces all values of key (checked first: a bad value changes nothing). */
  set(key, value, match = Match.Exact) {
    value = String(value);
    const k = this._target(key, match);
    check(k, value);
    this.delete(key, match);
    this._map.set(k, [value]);
  }
  /** Adds a value for key, keeping earlier ones (under the key already there with IgnoreCase). */
  append(key, value, match = Match.Exact) {
    value = String(value);
    key = this._target(key, match);
    check(key, value);
    const list = this._map.get(key);
    if (list) list.push(value);
    else this._map.set(key, [value]);
  }
  /** Removes key. */
  delete(key, match = Match.Exact) {
    for (const k of this._keysFor(key, match)) this._map.delete(k);
  }
  /** All values of key. */
  values(key, match = Match.Exact) {
    return this._keysFor(key, match).flatMap((k) => this._map.get(k));
  }
  /** All keys in insertion order. */
  keys() { return [...this._map.keys()]; }
  /** [key, values[]] pairs in insertion order. */
  entries() { return this._map.entries(); }
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

  /** The form the engine takes them in (js/src/engine.mjs stageHeaders). */
  _staged() { return stageHeaders(this); }

  /** The wire form as bytes (encoded by the engine). */
  encode() {
    const M = coreIfLoaded();
    if (!M) throw new InvalidArgumentError('headers can be encoded once the engine is loaded (after connect)', { code: 'invalid_argument' });
    const flat = [this._code, this._description];
    for (const [k, vs] of this._map) for (const v of vs) flat.push(k, v);
    const out = M.encodeHeaders(flat);
    throwIfFailure(out);
    return out;
  }

  /**
   * Parses a raw header block (bytes from the wire) with the engine's codec.
   * A block that is not NATS/1.0 throws ProtocolError (bad_header_block).
   */
  static decode(bytes) {
    const M = coreIfLoaded();
    const flat = M.decodeHeaders(bytes);
    if (flat[0] !== 0) throw errorFromCode(flat[0], flat[1]);
    const h = new MsgHdrsImpl();
    h._code = flat[1];
    h._description = flat[2];
    for (let i = 3; i + 1 < flat.length; i += 2) {
      const list = h._map.get(flat[i]);
      if (list) list.push(flat[i + 1]);
      else h._map.set(flat[i], [flat[i + 1]]);
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
