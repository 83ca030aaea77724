// NatsConnection: the nats.js-style API. The WebAssembly engine owns the
// protocol (js/src/engine.mjs); this file owns the socket, the one timer and
// the Promises, and turns calls into engine operations.
import { loadCore } from './core.mjs';
import { CoreEngine } from './engine.mjs';
import { processEvents } from './events.mjs';
import { getWebSocket, WsTransport } from './transport.mjs';
import { DEFAULT_PENDING_BYTES, DEFAULT_PENDING_MSGS, Subscription } from './subscription.mjs';
import { AsyncQueue, iterableOf } from './queue.mjs';
import { EMPTY, randomSeed, stageHeadersOf, toBytes } from './bytes.mjs';
import { startRequestMany } from './request_many.mjs';
import { STATE } from '../dist/abi.mjs';
import {
  AbortError, ClosedConnectionError, InvalidArgumentError, NatsError,
} from './errors.mjs';

const VERSION = '0.1.0';
const OUTPUT_HIGH_WATER = 64 * 1024;
/** What writeReady() waits for by default: bytes not yet on the wire. */
const WRITE_READY_LIMIT = 1024 * 1024;

const now = () => performance.now();

// Runs fn at the start of the next event-loop turn (after I/O callbacks):
// setImmediate in Node, a MessageChannel message in browsers (setTimeout is
// clamped to >= 1 ms there).
const nextTurn = (() => {
  if (typeof setImmediate === 'function') return (fn) => setImmediate(fn);
  const channel = new MessageChannel();
  const queue = [];
  channel.port1.onmessage = () => queue.shift()?.();
  return (fn) => {
    queue.push(fn);
    channel.port2.postMessage(0);
  };
})();

/** A connection to a NATS server over WebSocket (nats.js `NatsConnection`). */
export class NatsConnection {
  /** Use connect(). */
  constructor(M, opts, WebSocketImpl) {
    this._opts = opts;
    this._WebSocket = WebSocketImpl;
    const [seed0, seed1] = randomSeed();
    const servers = opts.servers === undefined ? ['127.0.0.1:80']
      : (Array.isArray(opts.servers) ? opts.servers : [opts.servers]).map(String);
    if (servers.length === 0) throw new InvalidArgumentError('no servers given', { code: 'invalid_argument' });
    this._engine = new CoreEngine(M, {
      servers, name: opts.name ?? '', version: VERSION, token: opts.token ?? '', user: opts.user ?? '',
      pass: opts.pass ?? '', hostAuth: opts.authenticator !== undefined, noEcho: !!opts.noEcho, timeout: opts.timeout ?? 20000,
      pingInterval: opts.pingInterval ?? 120000, maxPingOut: opts.maxPingOut ?? 2,
      inboxPrefix: opts.inboxPrefix ?? '', seed0, seed1,
      // Reconnecting, with nats.js's defaults; the engine does the rest.
      reconnect: opts.reconnect !== false, maxReconnectAttempts: opts.maxReconnectAttempts ?? 10,
      reconnectTimeWait: opts.reconnectTimeWait ?? 2000, reconnectJitter: opts.reconnectJitter ?? 100,
      reconnectJitterTLS: opts.reconnectJitterTLS ?? 1000, noRandomize: !!opts.noRandomize,
      ignoreClusterUpdates: !!opts.ignoreClusterUpdates, waitOnFirstConnect: !!opts.waitOnFirstConnect,
      ignoreAuthErrorAbort: !!opts.ignoreAuthErrorAbort,
      reconnectBufferSize: opts.reconnectBufferSize,
    });
    this._engine.checkConfig();
    /** @type {Map<number, Subscription>} */
    this._subs = new Map();
    /** Iterated subscriptions: the engine bounds what they hold (pending limits). */
    this._trackedSubs = new Set();
    /** @type {Map<number, {resolve?: Function, reject?: Function, many?: AsyncQueue, cleanup?: Function}>} */
    this._requests = new Map();
    /** @type {Map<number, {resolve: Function, reject: Function}>} */
    this._flushes = new Map();
    /** JetStream calls and publishes in flight: id → {resolve, reject, ctx?}. */
    this._jsOps = new Map();
    /** Pull sessions: id → ConsumerMessages. */
    this._pulls = new Map();
    /** @type {Set<AsyncQueue>} */
    this._statusQueues = new Set();
    this._info = undefined;
    this._server = ''; // the URL being used
    this._listen = ''; // its host:port (getServer)
    this._reconnects = 0;
    this._transport = null;
    this._closedError = undefined;
    this._isClosed = false;
    this._flushScheduled = false;
    this._timer = null;
    this._timerAt = -1;
    this._dispatchDepth = 0; // > 0 while a batch is handed out
    this._authStep = 0; // the engine's latest auth step (js/src/auth.mjs)
    this._closed = new Promise((resolve) => { this._resolveClosed = resolve; });
    this._connected = new Promise((resolve, reject) => {
      this._resolveConnected = resolve;
      this._rejectConnected = reject;
    });
    // Internal: a failure before anyone awaits it must not be "unhandled".
    this._connected.catch(() => {});
  }

  // --- the engine's instructions: open and close sockets --------------------
  async _start() {
    processEvents(this, this._engine.c.connect(now()));
    await this._connected;
    this._everConnected = true;
    this._watchLifecycle();
  }

  // Browsers throttle timers in background tabs and may freeze them: when
  // the page or the network comes back, check the connection at once (a
  // PING with a short deadline) instead of waiting for the keepalive; while
  // offline, make no attempts (the engine decides what each event means).
  _watchLifecycle() {
    const w = globalThis.window;
    if (!w?.addEventListener) return;
    const doc = globalThis.document;
    const handlers = {
      online: () => this._lifecycle((c) => c.setOnline(true, now())),
      offline: () => this._lifecycle((c) => c.setOnline(false, now())),
      pageshow: () => this._lifecycle((c) => c.checkConnection(now(), 2000)),
      visibilitychange: () => {
        if (doc?.visibilityState === 'visible') this._lifecycle((c) => c.checkConnection(now(), 2000));
      },
    };
    for (const [type, fn] of Object.entries(handlers)) (type === 'visibilitychange' ? doc : w)?.addEventListener(type, fn);
    this._unwatchLifecycle = () => {
      for (const [type, fn] of Object.entries(handlers)) (type === 'visibilitychange' ? doc : w)?.removeEventListener(type, fn);
    };
  }

  _lifecycle(call) {
    if (this._isClosed || !this._engine) return;
    call(this._engine.c);
    this._processNow();
    this._writeOutput();
    this._armTimer();
  }

  _openTransport(url) {
    this._server = url;
    this._listen = this._engine.c.currentServer();
    try {
      this._transport = new WsTransport(this._WebSocket, url, {
        onOpen: () => processEvents(this, this._engine.c.transportOpened(now())),
        onData: (bytes) => {
          if (this._isClosed) return;
          // What users took since the last input counts before the engine
          // decides whether the new messages fit.
          for (const sub of this._trackedSubs) sub._reportConsumed(this._engine.c);
          processEvents(this, this._engine.feed(bytes, now()));
        },
        onClose: () => {
          this._transport = null;
          if (!this._isClosed) processEvents(this, this._engine.c.transportClosed(now()));
        },
      });
    } catch (err) {
      // A URL the WebSocket class refuses: reported as what it is.
      this._connectError = new InvalidArgumentError(`invalid server URL ${url}: ${err.message}`,
        { code: 'invalid_argument', cause: err });
      queueMicrotask(() => processEvents(this, this._engine.c.transportClosed(now())));
    }
  }

  _closeTransport() {
    const t = this._transport;
    if (!t) return;
    this._writeOutput(); // what is pending (a last PUB, UNSUBs) goes out first
    this._transport = null;
    this._lastTransportClosed = t.closed;
    t.close();
  }

  // Writes what the engine has queued; many operations share one frame.
  // The first write of an event-loop turn goes out in a microtask (a lone
  // request is sent at once); later ones wait for the end of the turn, so a
  // burst of operations answering a batch of replies (pipelined JetStream
  // publishes resuming as their acks arrive) shares one frame instead of one
  // socket write each (measured: 42% of js_pub_win in writeBuffer).
  _scheduleFlush() {
    if (this._flushScheduled) return;
    this._flushScheduled = true;
    const flush = () => {
      this._flushScheduled = false;
      this._writeOutput();
    };
    if (this._wroteThisTurn) nextTurn(flush);
    else queueMicrotask(flush);
  }

  _writeOutput() {
    const t = this._transport;
    if (!this._engine || !t || !t.isOpen) return;
    const out = this._engine.output();
    if (out === null) return;
    t.send(out);
    this._engine.c.consumeOutput(out.length);
    if (!this._wroteThisTurn) {
      this._wroteThisTurn = true;
      nextTurn(() => { this._wroteThisTurn = false; });
    }
  }

  /**
   * Bytes published but not yet on the wire: the engine's output and the
   * WebSocket's bufferedAmount (an extension).
   */
  get pendingOutputBytes() {
    if (!this._engine || this._isClosed) return 0;
    return this._engine.c.outputLen() + (this._transport?.bufferedAmount ?? 0);
  }

  /**
   * Resolves once fewer than `limit` bytes (default 1 MiB) wait to go out.
   * nats.js has no such call: a synchronous publish loop there (and here
   * without it) buffers everything in the socket. An extension; Python's
   * `await nc.publish()` uses it. Browsers have no 'drain' event on a
   * WebSocket, so it checks bufferedAmount each millisecond while over.
   */
  async writeReady(limit = WRITE_READY_LIMIT) {
    this._writeOutput();
    while (!this._isClosed && this._transport && this.pendingOutputBytes > limit) {
      await new Promise((resolve) => { setTimeout(resolve, 1); });
      this._writeOutput();
    }
  }

  _armTimer() {
    const at = this._engine.c.nextDeadline();
    // A timer due no later than the next deadline stays: it fires, the engine
    // finds nothing due, and it is re-armed. Re-arming on every request and
    // reply cost two timer operations per request.
    if (at === this._timerAt || (at >= 0 && this._timer && this._timerAt <= at)) return;
    if (this._timer) clearTimeout(this._timer);
    this._timer = null;
    this._timerAt = at;
    if (at < 0) return;
    this._timer = setTimeout(() => {
      this._timer = null;
      this._timerAt = -1;
      if (!this._isClosed) processEvents(this, this._engine.c.handleTimeout(now()));
    }, Math.max(0, at - now()));
  }

  // Hands out what the engine queued just now (after a call that ends something at once).
  _processNow() {
    if (!this._isClosed && this._engine) processEvents(this, this._engine.c.poll());
  }

  // --- engine events (js/src/events.mjs) -------------------------------------
  _settleRequest(id) {
    const req = this._requests.get(id);
    this._requests.delete(id);
    req?.cleanup?.();
  }

  _onClosed(err) {
    if (this._isClosed) return;
    this._isClosed = true;
    this._unwatchLifecycle?.();
    this._closedError = err;
    if (this._timer) clearTimeout(this._timer);
    this._timer = null;
    this._rejectConnected(this._connectError ?? err ?? new ClosedConnectionError('connection closed',
      { code: 'connection_closed' }));
    // A connection lost while reconnecting reported its 'disconnect' then.
    if (err && !this._lostReported) {
      this._emitStatus({ type: 'disconnect', server: this._server, error: err });
      if (err?.errc === 'stale_connection') this._emitStatus({ type: 'staleConnection' });
    }
    this._emitStatus({ type: 'close', error: err });
    for (const q of this._statusQueues) q.end();
    this._statusQueues.clear();
    this._resolveClosed(err);
  }

  // Frees the engine once closed; called when no batch is being read.
  _releaseEngine() {
    if (!this._engine) return;
    this._lastStats = this._engine.c.stats();
    this._engine.delete();
    this._engine = null;
  }

  _emitStatus(status) {
    for (const q of this._statusQueues) q.push(status);
  }

  _reportError(err) {
    // Status errors are always Error objects, even when a callback threw a string.
    const error = err instanceof Error ? err : new NatsError(String(err), { code: 'callback_error', cause: err });
    this._emitStatus({ type: 'error', error });
  }

  _throwIfClosed() {
    if (this._isClosed) {
      throw new ClosedConnectionError(this._closedError ? `connection closed: ${this._closedError.message}` : 'connection closed',
        { code: 'connection_closed' });
    }
  }

  _abortError(signal, message) {
    const reason = signal?.reason;
    return reason instanceof Error && reason.name !== 'AbortError'
      ? reason
      : new AbortError(message, { code: 'cancelled', cause: reason });
  }

  // --- public API --------------------------------------------------------------
  /** Server INFO (parsed JSON). */
  get info() { return this._info; }

  /** The server URL this connection uses. */
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
    if (pending >= OUTPUT_HIGH_WATER) this._writeOutput();
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
  const [M, WebSocketImpl] = await Promise.all([loadCore(), getWebSocket()]);
  const nc = new NatsConnection(M, opts, WebSocketImpl);
  await nc._start();
  return nc;
}
