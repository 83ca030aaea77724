// KV codecs (nats.js KvCodecs): the user's own transformation of keys and
// values before they are stored and after they are read. Keys are
// transformed a token at a time, and wildcard tokens are left alone, so
// watches and key filters keep working; the core then checks the encoded
// key like any other.
import { toBytes } from '../bytes.mjs';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// Each dot-separated token through fn; '*' and '>' as they are.
function tokens(key, fn) {
  return String(key).split('.').map((t) => (t === '*' || t === '>' ? t : fn(t))).join('.');
}

/** Base64 keys (nats.js Base64KeyCodec): each token encoded on its own. */
export function Base64KeyCodec() {
  const b64 = (t) => btoa(String.fromCharCode(...encoder.encode(t)));
  const unb64 = (t) => decoder.decode(Uint8Array.from(atob(t), (c) => c.charCodeAt(0)));
  return {
    encode: (k) => tokens(k, b64),
    decode: (k) => tokens(k, unb64),
  };
}

/** Keys and values as they are (nats.js NoopKvCodecs). */
export function NoopKvCodecs() {
  return {
    key: { encode: (k) => k, decode: (k) => k },
    value: { encode: (v) => (typeof v === 'string' ? encoder.encode(v) : v), decode: (v) => v },
  };
}

/** A bucket's codecs applied: keys token-wise, values whole; identity without a codec. */
export class BucketCodec {
  /** @param {{key?: {encode, decode}, value?: {encode, decode}} | undefined} codecs */
  constructor(codecs) {
    this._key = codecs?.key ?? null;
    this._value = codecs?.value ?? null;
    // One decoder for every entry (entries decode lazily through it).
    this._valueDecoder = this._value ? (v) => this._value.decode(v) : null;
  }
  encodeKey(key) { return this._key ? tokens(key, (t) => this._key.encode(t)) : String(key); }
  decodeKey(key) { return this._key ? tokens(key, (t) => this._key.decode(t)) : key; }
  encodeValue(v) { return toBytes(this._value ? this._value.encode(v ?? new Uint8Array(0)) : v); }
  /** The value decoder for entries (null without a value codec). */
  valueDecoder() { return this._valueDecoder; }
}
