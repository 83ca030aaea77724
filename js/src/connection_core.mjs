// ConnectionCore: the engine's driver under NatsConnection. The WebAssembly
// engine owns the protocol (js/src/engine.mjs); this owns the socket, the
// one timer, when output is written, the page lifecycle and the closing.
import { CoreEngine } from './engine.mjs';
import { processEvents } from './events.mjs';
import { WsTransport } from './transport.mjs';
import { randomSeed } from './bytes.mjs';
import {
  AbortError, ClosedConnectionError, InvalidArgumentError, NatsError,
} from './errors.mjs';

const VERSION = '0.1.0';
/**
 * Output a publish loop lets pile up before it writes a frame. The `ws`
 * package (Node) writes a 64 KiB frame straight to its socket. A browser's
 * WebSocket hands every send() to another process: there, 512 KiB frames
 * made Chromium's pub row 30% faster than 64 KiB ones (docs/benchmarks.md),
 * while in Node they made it slower.
 */
const FRAME_BYTES_WS = 64 * 1024;
const FRAME_BYTES_NATIVE = 512 * 1024;
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

/**
 * What every NatsConnection is underneath: the engine, the socket, the one
 * timer, output batching and the page lifecycle. No public API here
 * (connection.mjs has it).
 */
export class ConnectionCore {
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
    // A publish loop writes once this much output is waiting.
    this._frameBytes = WebSocketImpl.isWsPackage ? FRAME_BYTES_WS : FRAME_BYTES_NATIVE;
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
      this._emitStatus({ type: 'disconnect', server: this._listen, error: err });
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
}
