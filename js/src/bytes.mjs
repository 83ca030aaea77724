// Payloads, headers and seeds as the engine takes them.
import { InvalidArgumentError } from './errors.mjs';

const encoder = new TextEncoder();
/** The empty payload. */
export const EMPTY = new Uint8Array(0);

/**
 * A payload as bytes: strings are UTF-8, views are wrapped without copying.
 * @param {Uint8Array|ArrayBufferView|ArrayBuffer|string|undefined|null} data
 */
export function toBytes(data) {
  if (data === undefined || data === null) return EMPTY;
  if (typeof data === 'string') return encoder.encode(data);
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new InvalidArgumentError('payload must be a Uint8Array or a string', { code: 'invalid_argument' });
}

/** Headers given as a MsgHdrsImpl, in the engine's staged form. */
export function stageHeadersOf(h) {
  if (typeof h?._staged !== 'function') {
    throw new InvalidArgumentError('headers must come from headers()', { code: 'invalid_header' });
  }
  return h._staged();
}

/** Two 52-bit random numbers (exact as JS doubles) to seed the engine's inbox names. */
export function randomSeed() {
  const words = new Uint32Array(4);
  globalThis.crypto.getRandomValues(words);
  return [words[0] * 2 ** 20 + (words[1] >>> 12), words[2] * 2 ** 20 + (words[3] >>> 12)];
}
