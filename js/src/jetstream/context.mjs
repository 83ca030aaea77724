// One JetStream context in the engine (prefix/domain, timeout, publish
// window) and the calls made through it. Every JetStream rule (subjects,
// bodies, paging, error decoding, acks) is the engine's; this file hands it
// arguments and turns its events into Promises.
import { AbortError, ERRC } from '../errors.mjs';
import { JS_OPS } from '../../dist/abi.mjs';
import { stageHeadersOf, toBytes } from '../bytes.mjs';

const now = () => performance.now();
const encoder = new TextEncoder();

/**
 * Publish options in the staged form the engine reads
 * (wasm/boundary.hpp decode_staged_publish_options), or null when none apply.
 */
function stagePublishOptions(opts) {
  const expect = opts?.expect ?? {};
  const msgID = opts?.msgID ?? '';
  const last = expect.lastSequence;
  const lastSubj = expect.lastSubjectSequence;
  const strings = [msgID, expect.streamName ?? '', expect.lastMsgID ?? ''].map((s) => encoder.encode(String(s)));
  const timeout = opts?.timeout ?? 0;
  const retries = Math.max(0, Math.min(0xffffff, Math.trunc(Number(opts?.retries) || 0)));
  if (!strings.some((s) => s.length) && typeof last !== 'number' && typeof lastSubj !== 'number' && !timeout && retries <= 1) {
    return null;
  }
  const out = new Uint8Array(24 + strings.reduce((n, s) => n + 4 + s.length, 0));
  const v = new DataView(out.buffer);
  // flags: bit 0 lastSequence, bit 1 lastSubjectSequence, bits 8..31 retries.
  v.setUint32(0, ((typeof last === 'number' ? 1 : 0) | (typeof lastSubj === 'number' ? 2 : 0) | (retries << 8)) >>> 0, true);
  v.setUint32(4, Math.max(0, Math.min(0xffffffff, Math.ceil(timeout))) >>> 0, true);
  v.setFloat64(8, typeof last === 'number' ? last : 0, true);
  v.setFloat64(16, typeof lastSubj === 'number' ? lastSubj : 0, true);
  let at = 24;
  for (const s of strings) {
    v.setUint32(at, s.length, true);
    out.set(s, at + 4);
    at += 4 + s.length;
  }
  return out;
}

/** A JetStream context: the engine's id for it and the calls in flight. */
export class JsContext {
  /**
   * @param {import('../connection.mjs').NatsConnection} nc
   * @param {{apiPrefix?: string, domain?: string, timeout?: number, maxPending?: number}} opts
   */
  constructor(nc, opts = {}) {
    nc._throwIfClosed();
    this.nc = nc;
    this.opts = { apiPrefix: opts.apiPrefix ?? '$JS.API', timeout: opts.timeout ?? 5000, ...opts };
    this.id = nc._engine.id(nc._engine.c.jsContext({
      prefix: this.opts.apiPrefix, domain: opts.domain, timeout: this.opts.timeout,
      maxPending: opts.maxPending ?? 256,
    }));
    // The prefix the engine uses (a domain's, when given): the engine's rule.
    const prefix = nc._engine.M.jsApiPrefix(this.opts.apiPrefix, opts.domain ?? '');
    this.prefix = Array.isArray(prefix) ? this.opts.apiPrefix : prefix;
    /** Publishes waiting for room in the engine's window, in call order. */
    this.waiting = [];
    this.head = 0;
    /** Publishes called and not settled. */
    this.outstanding = 0;
    this.idleWaiters = [];
  }

  /**
   * An API call (core/include/nats/jetstream/api.hpp ApiOp) with JSON
   * arguments; resolves with the parsed result (or a StoredMsg).
   */
  call(op, args = {}, timeout = 0) {
    return this.start(op, args, timeout, false).promise;
  }

  /**
   * An API call as {id, promise, cancel()}; with `raw` the promise resolves
   * with the JSON text (for hosts that parse it themselves). cancel() forgets
   * the call in the engine and rejects with AbortError.
   */
  start(op, args, timeout, raw, payload) {
    const nc = this.nc;
    let id;
    try {
      nc._throwIfClosed();
      // A kv_create's value goes through the staging area.
      const [pl] = payload ? nc._engine.stage([], [payload]) : [0];
      id = nc._engine.id(nc._engine.c.jsApi(this.id, JS_OPS[op], JSON.stringify(args), now(), timeout, pl));
    } catch (err) {
      return { id: 0, promise: Promise.reject(err), cancel: () => {} };
    }
    let entry;
    const promise = new Promise((resolve, reject) => { entry = { resolve, reject, raw }; });
    nc._jsOps.set(id, entry);
    nc._scheduleFlush();
    nc._armTimer();
    const cancel = () => {
      if (!nc._jsOps.delete(id)) return;
      if (!nc._isClosed) nc._engine.c.jsCancel(id);
      entry.reject(new AbortError('JetStream call cancelled', { code: 'cancelled' }));
    };
    return { id, promise, cancel };
  }

  /** A JetStream publish; resolves with the PubAck. Over the window it waits its turn. */
  publish(subject, data, opts) {
    try {
      this.nc._throwIfClosed();
      const payload = toBytes(data);
      const hdr = opts?.headers ? stageHeadersOf(opts.headers) : null;
      const staged = opts ? stagePublishOptions(opts) : null;
      const signal = opts?.signal;
      if (signal?.aborted) throw this.nc._abortError(signal, 'publish aborted');
      return new Promise((resolve, reject) => {
        const entry = { subject, payload, hdr, staged, resolve, reject };
        if (signal) {
          const onAbort = () => this.abort(entry, this.nc._abortError(signal, 'publish aborted'));
          signal.addEventListener('abort', onAbort, { once: true });
          entry.resolve = (ack) => { signal.removeEventListener('abort', onAbort); resolve(ack); };
          entry.reject = (err) => { signal.removeEventListener('abort', onAbort); reject(err); };
        }
        this.enqueue(entry);
      });
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * Hands a publish entry {subject, payload, hdr, staged, resolve(ack),
   * reject(err)} to the engine now, or after the publishes waiting before it.
   */
  enqueue(entry) {
    entry.ctx = this;
    this.outstanding++;
    if (this.head < this.waiting.length || !this._send(entry)) this.waiting.push(entry);
  }

  // Gives up on a publish: out of the queue, or forgotten by the engine.
  abort(entry, err) {
    const at = this.waiting.indexOf(entry, this.head);
    if (at >= 0) {
      this.waiting.splice(at, 1);
    } else if (entry.id !== undefined && this.nc._jsOps.delete(entry.id)) {
      if (!this.nc._isClosed) this.nc._engine.c.jsCancel(entry.id);
    } else {
      return; // settled already
    }
    entry.reject(err);
    this._settled();
  }

  // Hands one publish to the engine; false when the window is full.
  _send(entry) {
    const nc = this.nc;
    let id;
    try {
      nc._throwIfClosed();
      // A key-value write names its own engine call (kv_write); others publish.
      id = entry.send ? entry.send(now())
        : nc._engine.jsPublish(this.id, entry.subject, entry.payload, entry.hdr, entry.staged, now());
    } catch (err) {
      this._done();
      entry.reject(err);
      return true;
    }
    if (id === -ERRC.window_full) return false;
    entry.id = id;
    nc._jsOps.set(id, entry);
    nc._scheduleFlush();
    nc._armTimer();
    return true;
  }

  // An ack (or failure) freed a slot: publishes waiting go out in order.
  _settled() {
    this._done();
    while (this.head < this.waiting.length) {
      if (!this._send(this.waiting[this.head])) break;
      this.waiting[this.head++] = undefined;
    }
    if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
  }

  // One publish settled (acknowledged, failed or refused).
  _done() {
    this.outstanding--;
    if (this.outstanding === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  /** Publishes called and not yet acknowledged (or failed). */
  pending() { return this.outstanding; }

  /** Resolves once every publish called so far is acknowledged or failed. */
  completed() {
    if (this.outstanding === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
