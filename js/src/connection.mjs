// NatsConnection: the nats.js-style API. The WebAssembly engine owns the
// protocol (js/src/engine.mjs); ConnectionCore (connection_core.mjs) drives
// it and owns the socket; this file turns calls into engine operations and
// Promises.
import { loadCore } from './core.mjs';
import { ConnectionCore } from './connection_core.mjs';
import { processEvents } from './events.mjs';
import { getWebSocket } from './transport.mjs';
import { DEFAULT_PENDING_BYTES, DEFAULT_PENDING_MSGS, Subscription } from './subscription.mjs';
import { AsyncQueue, iterableOf } from './queue.mjs';
import { EMPTY, stageHeadersOf, toBytes } from './bytes.mjs';
import { startRequestMany } from './request_many.mjs';
import { STATE } from '../dist/abi.mjs';
import { ClosedConnectionError, InvalidArgumentError } from './errors.mjs';

const now = () => performance.now();

/** A connection to a NATS server over WebSocket (nats.js `NatsConnection`). */
export class NatsConnection extends ConnectionCore {
  // --- public API --------------------------------------------------------------
  /** Server INFO (parsed JSON). */
  get info() { return this._info; }

  /** The server connected to (or being tried) as nats.js gives it: "host:port". */
  getServer() { return this._listen; }

  /**
   * Drops the connection and reconnects (nats.js reconnect()): a
   * 'disconnect' then a 'reconnect' status follow. Rejects when reconnecting
   * is not allowed (reconnect: false).
   */
  async reconnect() {
    this._throwIfClosed();
    this._emitStatus({ type: 'forceReconnect' });
    this._engine.check(this._engine.c.reconnect(now()));
    this._processNow();
    this._armTimer();
  }

  /** True while the connection is lost and being re-established (nats.py is_reconnecting). */
  isReconnecting() {
    if (this._isClosed || !this._engine) return false;
    const s = this._engine.c.state();
    return this._everConnected && s !== STATE.connected && s !== STATE.draining;
  }

  /** The servers known: given, and announced by the cluster ({url, implicit, didConnect}). */
  servers() { return this._engine ? this._engine.c.servers() : []; }
  /**
   * The server pool as nats.js gives it: {hostname, port, listen, src,
   * tlsName, reconnects, lastConnect, gossiped, didConnect}; `lastConnect`
   * is 0 (the engine does not keep it).
   */
  getServers() {
    return this.servers().map((s) => {
      const at = s.hostport.lastIndexOf(':');
      return {
        hostname: s.hostport.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(s.hostport.slice(at + 1)),
        listen: s.hostport, src: s.url, tlsName: '', reconnects: s.reconnects, lastConnect: 0,
        gossiped: s.implicit, didConnect: s.didConnect,
      };
    });
  }
  /**
   * Replaces the server pool for later reconnects (nats.js setServers); the
   * live connection stays (call reconnect() to move now). Throws
   * InvalidArgumentError for an empty list or a URL that cannot be read.
   * @param {string[]} servers
   */
  setServers(servers) {
    this._throwIfClosed();
    if (!Array.isArray(servers)) throw new InvalidArgumentError('servers must be an array', { code: 'invalid_argument' });
    this._engine.check(this._engine.c.setServers(servers.map(String)));
  }

  /**
   * Publishes a message.
   * @param {string} subject
   * @param {Uint8Array|string} [data]
   * @param {{headers?: import('./headers.mjs').MsgHdrsImpl, reply?: string}} [opts]
   */
  publish(subject, data, opts) {
    if (this._isClosed) this._throwIfClosed();
    const payload = data instanceof Uint8Array ? data : toBytes(data);
    const hdr = opts?.headers ? stageHeadersOf(opts.headers) : null;
    const pending = this._engine.publish(subject, payload, opts?.reply, hdr);
    // A long synchronous publish loop must not pile up megabytes in the
    // engine before the microtask runs: send once a frame's worth is ready.
    if (pending >= this._frameBytes) this._writeOutput();
    else this._scheduleFlush();
  }

  /** Publishes a Msg as it is: its subject, data, headers and reply (nats.js publishMessage). */
  publishMessage(msg) {
    this.publish(msg.subject, msg.data, { reply: msg.reply || undefined, headers: msg.headers });
  }

  /** Publishes a Msg's data and headers to its reply subject; false when it has none (nats.js respondMessage). */
  respondMessage(msg) {
    if (!msg.reply) return false;
    this.publish(msg.reply, msg.data, { headers: msg.headers });
    return true;
  }

  // Python's buffered publishes (js/src/pyodide.mjs publishPacked): a batch,
  // so it is written out at once.
  _publishPacked(packed) {
    this._throwIfClosed();
    try {
      this._engine.publishPacked(packed);
    } finally {
      this._writeOutput();
    }
  }

  /**
   * Subscribes. Iterate the result with for await, or pass opts.callback(err, msg).
   * @param {string} subject
   * @param {{queue?: string, max?: number, timeout?: number, callback?: (err: Error|null, msg: any) => void, signal?: AbortSignal}} [opts]
   */
  subscribe(subject, opts = {}) {
    this._throwIfClosed();
    const tracked = typeof opts.callback !== 'function';
    if (!tracked && opts.slow !== undefined) throw new TypeError("callbacks don't support slow notifications");
    const [sl, ql] = this._engine.stage([String(subject), opts.queue ?? ''], []);
    const sid = this._engine.id(this._engine.c.subscribe(sl, ql, opts.max ?? 0));
    if (tracked) {
      const code = this._engine.c.setPendingLimits(sid, opts.maxPendingMsgs ?? DEFAULT_PENDING_MSGS,
        opts.maxPendingBytes ?? DEFAULT_PENDING_BYTES, opts.slow ?? 0);
      if (code !== 0) {
        this._engine.c.unsubscribe(sid, 0);
        processEvents(this, this._engine.c.poll());
        this._engine.check(code);
      }
    }
    if (opts.timeout !== undefined) {
      // nats.js: no message within `timeout` ms closes it with TimeoutError (the engine's timer).
      const code = this._engine.c.setSubscriptionTimeout(sid, now(), opts.timeout);
      if (code !== 0) {
        this._engine.c.unsubscribe(sid, 0);
        processEvents(this, this._engine.c.poll());
        this._engine.check(code);
      }
    }
    const sub = new Subscription(this, sid, String(subject), opts);
    this._subs.set(sid, sub);
    if (tracked) this._trackedSubs.add(sub);
    this._scheduleFlush();
    return sub;
  }

  _subscriptionPending(sid) {
    return this._engine && !this._isClosed ? this._engine.c.subscriptionPending(sid) : undefined;
  }

  _unsubscribe(sid, max) {
    if (this._isClosed) return;
    this._engine.check(this._engine.c.unsubscribe(sid, max));
    processEvents(this, this._engine.c.poll());
  }

  // Unsubscribes without emitting events to the subscription (abort, break).
  _unsubscribeNow(sid) {
    this._subs.delete(sid);
    if (this._isClosed) return;
    this._engine.c.unsubscribe(sid, 0);
    processEvents(this, this._engine.c.poll());
  }

  _drainSubscription(sid) {
    if (this._isClosed) return;
    this._engine.check(this._engine.c.drainSubscription(sid));
    this._scheduleFlush();
  }

  /**
   * Sends a request and resolves with the first reply.
   * @param {string} subject
   * @param {Uint8Array|string} [data]
   * @param {{timeout?: number, headers?: import('./headers.mjs').MsgHdrsImpl, signal?: AbortSignal}} [opts]
   * @returns {Promise<import('./msg.mjs').Msg>}
   */
  request(subject, data, opts = {}) {
    try {
      this._throwIfClosed();
      if (opts.signal?.aborted) throw this._abortError(opts.signal, 'request aborted');
      const [sl, hl, pl] = this._stageRequest(subject, data, opts.headers);
      const id = this._engine.id(this._engine.c.request(sl, hl, pl, now(), opts.timeout ?? 1000));
      const p = new Promise((resolve, reject) => {
        const entry = { resolve, reject };
        if (opts.signal) {
          const onAbort = () => {
            if (!this._requests.has(id)) return;
            this._cancelRequest(id);
            reject(this._abortError(opts.signal, 'request aborted'));
          };
          opts.signal.addEventListener('abort', onAbort, { once: true });
          entry.cleanup = () => opts.signal.removeEventListener('abort', onAbort);
        }
        this._requests.set(id, entry);
      });
      // Settled by close() while the caller may still be awaiting close():
      // awaiting p later sees the error, and Node does not call it unhandled.
      p.catch(() => {});
      this._scheduleFlush();
      this._armTimer();
      return p;
    } catch (err) {
      return Promise.reject(err);
    }
  }

  _stageRequest(subject, data, headers) {
    const payload = toBytes(data);
    const hdr = headers ? stageHeadersOf(headers) : EMPTY;
    return this._engine.stage([String(subject)], [hdr, payload]);
  }

  _cancelRequest(id) {
    this._settleRequest(id);
    if (!this._isClosed) {
      this._engine.c.cancelRequest(id);
      this._armTimer();
    }
  }

  _startRequestMany(subject, data, strategy, opts, queue) {
    this._throwIfClosed();
    const [sl, hl, pl] = this._stageRequest(subject, data, opts.headers);
    const id = this._engine.id(this._engine.c.requestMany(sl, hl, pl, now(), strategy,
      opts.maxWait ?? 1000, opts.maxMessages ?? 0, opts.stall ?? 300));
    this._requests.set(id, { many: queue });
    this._scheduleFlush();
    this._armTimer();
    return id;
  }

  /**
   * Sends one request and collects many replies (nats.js requestMany):
   * strategy 'timer' (until maxWait), 'count' (maxMessages), 'stall' (no
   * reply for `stall` ms after one), 'sentinel' (an empty reply, yielded last).
   * @returns {Promise<AsyncIterable<import('./msg.mjs').Msg>>}
   */
  async requestMany(subject, data, opts = {}) {
    return startRequestMany(this, subject, data, opts);
  }

  /** Resolves when the server has processed everything sent before. */
  flush() { return this._flush(0); }

  // flush() with an engine timeout in ms (0 = none), for hosts that need one.
  _flush(timeout) {
    try {
      this._throwIfClosed();
      const id = this._engine.id(this._engine.c.flush(now(), timeout));
      const p = new Promise((resolve, reject) => this._flushes.set(id, { resolve, reject }));
      p.catch(() => {}); // as request(): settled by close(), awaited later
      this._scheduleFlush();
      this._armTimer();
      return p;
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Round-trip time to the server in milliseconds. */
  async rtt() {
    const start = now();
    await this.flush();
    return now() - start;
  }

  /** Drains every subscription, then closes. Resolves when closed. */
  async drain() {
    this._throwIfClosed();
    this._engine.check(this._engine.c.drain()); // a second drain is refused by the engine
    this._drainStarted = true;
    processEvents(this, this._engine.c.poll());
    await this._closed;
    await this._transportClosedOrSoon();
  }

  /** Closes now; pending requests reject with RequestError (cause ClosedConnectionError), flushes with ClosedConnectionError. */
  async close() {
    if (!this._isClosed) {
      this._engine.c.close();
      processEvents(this, this._engine.c.poll());
    }
    await this._transportClosedOrSoon();
  }

  _transportClosedOrSoon() {
    const closed = this._lastTransportClosed ?? Promise.resolve();
    let timer;
    const soon = new Promise((r) => { timer = setTimeout(r, 1000); });
    return Promise.race([closed, soon]).finally(() => clearTimeout(timer));
  }

  /** Resolves when the connection closes: undefined, or the Error that closed it. */
  closed() { return this._closed; }
  /** True once closed. */
  isClosed() { return this._isClosed; }
  /** True once drain() started, and after it closed the connection, as in nats.js. */
  isDraining() {
    if (this._drainStarted) return true;
    return !!this._engine && !this._isClosed && this._engine.c.state() === STATE.draining;
  }

  /**
   * Connection status events as an async iterable: {type: 'error'|'update'|'ldm'|
   * 'disconnect'|'staleConnection'|'close', data?, error?}.
   */
  status() {
    const q = new AsyncQueue();
    if (this._isClosed) q.end();
    else this._statusQueues.add(q);
    return iterableOf(q, () => {
      this._statusQueues.delete(q);
      q.end();
    });
  }

  /** {inBytes, outBytes, inMsgs, outMsgs}. */
  stats() {
    if (!this._engine) return { ...(this._lastStats ?? { inBytes: 0, outBytes: 0, inMsgs: 0, outMsgs: 0 }) };
    return this._engine.c.stats();
  }

  /** A fresh unique inbox subject. */
  newInbox() {
    this._throwIfClosed();
    return this._engine.c.newInbox();
  }

  /** Engine counters for tests and diagnostics. */
  get engineStats() {
    if (!this._engine) {
      return { pendingRequests: 0, subscriptions: 0, receiveBuffered: 0, pendingOutput: 0, state: STATE.closed };
    }
    const c = this._engine.c;
    return {
      pendingRequests: c.pendingRequests(), subscriptions: c.subscriptionCount(),
      receiveBuffered: c.receiveBuffered(), pendingOutput: c.outputLen(), state: c.state(),
    };
  }
}

/**
 * Connects to a NATS server over WebSocket (nats.js `connect`).
 * @param {{servers?: string|string[], name?: string, token?: string, user?: string, pass?: string,
 *          timeout?: number, pingInterval?: number, maxPingOut?: number, noEcho?: boolean,
 *          debug?: boolean, inboxPrefix?: string, reconnect?: boolean, maxReconnectAttempts?: number,
 *          reconnectTimeWait?: number, reconnectJitter?: number, reconnectJitterTLS?: number,
 *          waitOnFirstConnect?: boolean, ignoreClusterUpdates?: boolean, noRandomize?: boolean,
 *          reconnectBufferSize?: number, authenticator?: Function|Function[]}} [opts]
 * @returns {Promise<NatsConnection>}
 */
export async function connect(opts = {}) {
  return openConnection(opts);
}

/**
 * connect(), with `onStatus` given every status until it resolves (nats.js
 * has no status iterator before then; the Python host reports a first
 * connect's failed attempts from it).
 * @param {object} opts
 * @param {(status: object) => void} [onStatus]
 * @returns {Promise<NatsConnection>}
 */
export async function openConnection(opts, onStatus) {
  const [M, WebSocketImpl] = await Promise.all([loadCore(), getWebSocket()]);
  const nc = new NatsConnection(M, opts, WebSocketImpl);
  const listener = onStatus ? { push: onStatus, end: () => {} } : null;
  if (listener) nc._statusQueues.add(listener);
  try {
    await nc._start();
  } finally {
    if (listener) nc._statusQueues.delete(listener);
  }
  return nc;
}
