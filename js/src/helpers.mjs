// nats.js's small helpers: Empty, createInbox, nuid, Match,
// canonicalMIMEHeaderKey, deferred, delay, millis, nanos. Inboxes, tokens
// and header keys are the engine's rules, so those need it loaded (after
// connect() or `await loadCore()`); a clear error says so otherwise.
import { coreIfLoaded } from './core.mjs';
import { InvalidOperationError, TimeoutError } from './errors.mjs';
import { throwIfFailure } from './failure.mjs';

/** An empty payload. */
export const Empty = new Uint8Array(0);

/** How MsgHdrs methods match keys (nats.js Match). */
export const Match = Object.freeze({ Exact: 0, CanonicalMIME: 1, IgnoreCase: 2 });

function engine(what) {
  const M = coreIfLoaded();
  if (!M) {
    throw new InvalidOperationError(`${what} needs the engine: call it after connect() or await loadCore()`,
      { code: 'illegal_state' });
  }
  return M;
}

function seeds() {
  const s = new Uint32Array(4);
  globalThis.crypto.getRandomValues(s);
  return s;
}

/** A unique reply subject: prefix (default "_INBOX") + "." + a fresh token. */
export function createInbox(prefix = '') {
  const s = seeds();
  const out = engine('createInbox').newInbox(String(prefix ?? ''), s[0], s[1], s[2], s[3]);
  throwIfFailure(out);
  return out;
}

/** Unique 22-character tokens (nats.js Nuid). */
export class Nuid {
  /** The next token. */
  next() {
    const s = seeds();
    return engine('nuid.next').freshToken(s[0], s[1], s[2], s[3]);
  }
  /** Kept for nats.js programs: every token is freshly seeded already. */
  reset() {}
}

/** The shared Nuid (nats.js nuid). */
export const nuid = new Nuid();

/** "content-type" → "Content-Type" (Go's rule, the engine's). */
export function canonicalMIMEHeaderKey(key) {
  const out = engine('canonicalMIMEHeaderKey').canonicalHeaderKey(String(key));
  throwIfFailure(out);
  return out;
}

/** A Promise with its resolve and reject (nats.js deferred). */
export function deferred() {
  let resolve;
  let reject;
  const p = new Promise((res, rej) => { resolve = res; reject = rej; });
  return Object.assign(p, { resolve, reject });
}

/** Resolves after ms milliseconds; cancel() resolves it at once (nats.js delay). */
export function delay(ms = 0) {
  const d = deferred();
  const timer = setTimeout(() => d.resolve(), ms);
  return Object.assign(d, { cancel() { clearTimeout(timer); d.resolve(); } });
}

/**
 * Rejects with TimeoutError when `p` has not settled after ms (nats.js deadline).
 * @template T @param {Promise<T>} p @param {number} [ms]
 */
export function deadline(p, ms = 1000) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`deadline of ${ms} ms passed`, { code: 'timeout' })), ms);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

/**
 * A retry schedule: backoff(attempt) is the delay (ms) before try `attempt`
 * (0-based), the last entry repeating (nats.js backoff).
 * @param {number[]} [policy]
 */
export function backoff(policy = [0, 250, 250, 500, 500, 3000, 5000]) {
  const steps = policy.length > 0 ? policy : [0];
  return { backoff: (attempt) => steps[Math.min(Math.max(0, attempt), steps.length - 1)] };
}

/**
 * next() over an async iterable: each call resolves to the next item, or
 * null once it ended (nats.js syncIterator).
 * @template T @param {AsyncIterable<T>} src
 */
export function syncIterator(src) {
  const it = src[Symbol.asyncIterator]();
  return {
    async next() {
      const r = await it.next();
      return r.done ? null : r.value;
    },
  };
}

/** Nanoseconds to whole milliseconds. */
export function millis(ns) { return Math.floor(ns / 1_000_000); }
/** Milliseconds to nanoseconds. */
export function nanos(ms) { return ms * 1_000_000; }
