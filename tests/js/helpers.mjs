// Shared helpers for the node:test suites in this folder (not a test file:
// node --test only picks up *.test.mjs here).
import assert from 'node:assert/strict';

import { connect } from '../../js/src/index.mjs';

/** @param {number} ms */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Rejects when promise does not settle within ms: a hung await fails the
 * test that made it instead of stalling the whole file.
 * @template T
 * @param {Promise<T>} promise
 * @param {number} ms
 * @param {string} what
 * @returns {Promise<T>}
 */
export function within(promise, ms, what) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/**
 * Iterates an async iterable into an array; resolves {msgs, error} (error is
 * what the iteration threw, or null).
 * @param {AsyncIterable<any>} iterable
 * @param {number} [max] stop (break) after this many items
 */
export async function drainIterable(iterable, max = Infinity) {
  const msgs = [];
  try {
    if (msgs.length >= max) return { msgs, error: null };
    for await (const m of iterable) {
      msgs.push(m);
      if (msgs.length >= max) break;
    }
    return { msgs, error: null };
  } catch (error) {
    return { msgs, error };
  }
}

/**
 * Every connection opened through this tracker is closed by closeAll(), so a
 * failing test cannot leave a socket keeping node alive.
 */
export class Connections {
  constructor() {
    /** @type {Set<import('../../js/src/index.mjs').NatsConnection>} */
    this.open = new Set();
  }

  /** connect() with servers defaulting to url. */
  async connect(url, opts = {}) {
    const nc = await connect({ servers: url, ...opts });
    this.open.add(nc);
    return nc;
  }

  async closeAll() {
    const all = [...this.open];
    this.open.clear();
    await Promise.all(all.map((nc) => nc.close().catch(() => {})));
  }
}

/**
 * Asserts that err is an Error of class Cls whose name is the class name.
 * Returns true, so it can be an assert.rejects/throws validation function.
 * @param {unknown} err
 * @param {Function} Cls
 */
export function assertNamedError(err, Cls) {
  assert.ok(err instanceof Error, `expected an Error, got ${err}`);
  assert.ok(err instanceof Cls, `expected ${Cls.name}, got ${err?.name}: ${err?.message}`);
  // nats.js names NoRespondersError 'NoResponders'; the others are their class names.
  assert.equal(err.name, Cls.name === 'NoRespondersError' ? 'NoResponders' : Cls.name);
  return true;
}

/** Bytes 0..255 in order, repeated to length n. */
export function byteRamp(n = 256) {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = i & 0xff;
  return out;
}

/** Resolves with the first item of an async iterable (then stops it). */
export async function first(iterable) {
  for await (const item of iterable) return item;
  return undefined;
}

/**
 * fn() until a fresh cluster's JetStream takes it: right after a start the
 * meta leader may still be in election (requests time out) or the peers not
 * known yet (10005 'no suitable peers for placement', at once). Rejects at
 * the deadline with the last error.
 */
export async function whenClusterReady(fn, ms = 30000) {
  const until = Date.now() + ms;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() >= until) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
