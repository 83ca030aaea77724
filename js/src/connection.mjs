// NatsConnection: owns the WebSocket, the timers and the Promises; the
// WebAssembly engine owns the protocol. Bytes cross by heap pointer, events
// come back as one batch of fixed-size records per call.
import { loadCore } from './core.mjs';
import { getWebSocket } from './transport.mjs';
import { Msg } from './msg.mjs';
import { Subscription } from './subscription.mjs';
import { AsyncQueue } from './queue.mjs';
import {
  AbortError, ClosedConnectionError, ConnectionError, DrainingConnectionError, InvalidArgumentError, NatsError,
  NoRespondersError, RequestError, TimeoutError, errorFromCode,
} from './errors.mjs';

const VERSION = '0.1.0';
const RECORD_WORDS = 12; // wasm/bindings.cpp: one event record
const EV = { connected: 0, message: 1, requestReply: 2, requestFailed: 3, flushDone: 4,
  subscriptionClosed: 5, error: 6, info: 7, lameDuck: 8, closed: 9 };
const STATE_DRAINING = 3;
const STATE_CLOSED = 4;
const ERRC_NO_RESPONDERS = 41;
const OUTPUT_HIGH_WATER = 64 * 1024;

const utf8 = new TextDecoder();
const encoder = new TextEncoder();
const EMPTY = new Uint8Array(0);
const now = () => performance.now();

/** @param {Uint8Array|string|undefined|null} data */
function toBytes(data) {
  if (data === undefined || data === null) return EMPTY;
  if (typeof data === 'string') return encoder.encode(data);
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new InvalidArgumentError('payload must be a Uint8Array or a string', { code: 'invalid_argument' });
}

// Short ASCII strings (subjects) decode faster by hand than through TextDecoder.
function decodeString(heap, ptr, len) {
  if (len === 0) return '';
  if (len <= 64) {
    let ascii = true;
    for (let i = 0; i < len; i++) if (heap[ptr + i] > 127) { ascii = false; break; }
    if (ascii) return String.fromCharCode.apply(null, heap.subarray(ptr, ptr + len));
  }
  return utf8.decode(heap.subarray(ptr, ptr + len));
}

function normalizeServer(servers) {
  const list = Array.isArray(servers) ? servers : [servers ?? '127.0.0.1:80'];
  if (list.length === 0) throw new InvalidArgumentError('no servers given', { code: 'invalid_argument' });
  let url = String(list[0]);
  if (!/^[a-z]+:\/\//i.test(url)) url = `ws://${url}`;
  if (!/^wss?:\/\//i.test(url)) {
    throw new InvalidArgumentError(`nats-wasm connects over WebSocket: use ws:// or wss:// (got ${url})`,
      { code: 'invalid_argument' });
  }
  return url;
}

function randomSeed() {
  const words = new Uint32Array(4);
  globalThis.crypto.getRandomValues(words);
  // Two 52-bit numbers: exact as JS doubles.
  return [words[0] * 2 ** 20 + (words[1] >>> 12), words[2] * 2 ** 20 + (words[3] >>> 12)];
}

/** A connection to a NATS server over WebSocket (nats.js `NatsConnection`). */
export class NatsConnection {
  /** Use connect(). */
  constructor(M, opts, url) {
    this._M = M;
    this._opts = opts;
    this._server = url;
    const [seed0, seed1] = randomSeed();
    this._core = new M.Connection({
      name: opts.name ?? '', version: VERSION, token: opts.token ?? '', user: opts.user ?? '',
      pass: opts.pass ?? '', noEcho: !!opts.noEcho, timeout: opts.timeout ?? 20000,
      pingInterval: opts.pingInterval ?? 120000, maxPingOut: opts.maxPingOut ?? 2,
      inboxPrefix: opts.inboxPrefix ?? '', seed0, seed1,
    });
    this._h = this._core.handle(); // for the raw exports (M._nw_*)
    // The staging area as last seen, and the subject already encoded at its
    // start (publish fast path): reset by every other use of the area.
    this._stagePtr = 0;
    this._stageCap = 0;
    this._stagedSubject = null;
    this._stagedSubjectLen = 0;
    this._lastSubject = '';
    this._bodies = null; // this batch's headers and payloads (see _process)
    this._bodiesAt = 0;
    const configError = this._core.configError();
    if (configError !== 0) {
      const err = errorFromCode(configError, this._core.errorMessage());
      this._core.delete();
      throw err;
    }
    /** @type {Map<number, Subscription>} */
    this._subs = new Map();
    /** @type {Map<number, {resolve: Function, reject: Function, subject: string, cleanup?: Function}>} */
    this._requests = new Map();
    /** @type {Map<number, {resolve: Function, reject: Function}>} */
    this._flushes = new Map();
    /** @type {Set<AsyncQueue>} */
    this._statusQueues = new Set();
    this._info = undefined;
    this._closedError = undefined;
    this._isClosed = false;
    this._flushScheduled = false;
    this._timer = null;
    this._timerAt = -1;
    this._dispatchDepth = 0; // > 0 while _process hands out a batch
    this._closed = new Promise((resolve) => { this._resolveClosed = resolve; });
    this._connected = new Promise((resolve, reject) => {
      this._resolveConnected = resolve;
      this._rejectConnected = reject;
    });
    // Internal: a failure before anyone awaits it must not be "unhandled".
    this._connected.catch(() => {});
    this._wsClosed = new Promise((resolve) => { this._resolveWsClosed = resolve; });
  }

  // --- transport ----------------------------------------------------------
  async _open(WebSocketImpl) {
    let ws;
    try {
      ws = WebSocketImpl.isWsPackage
        ? new WebSocketImpl(this._server, { perMessageDeflate: false })
        : new WebSocketImpl(this._server);
    } catch (err) {
      // A malformed URL throws here: free the engine, report a typed error.
      this._core.close();
      this._process(this._core.poll());
      throw new InvalidArgumentError(`invalid server URL ${this._server}: ${err.message}`,
        { code: 'invalid_argument', cause: err });
    }
    ws.binaryType = 'arraybuffer'; // ('nodebuffer' for ws measured no faster)
    this._ws = ws;
    let opened = false;
    const openTimer = setTimeout(() => {
      if (!opened) this._failConnect(new TimeoutError(`connect to ${this._server} timed out`, { code: 'timeout' }));
    }, this._opts.timeout ?? 20000);
    ws.onopen = () => {
      opened = true;
      this._core.start(now());
      this._armTimer();
    };
    ws.onmessage = (ev) => this._onData(ev.data);
    ws.onclose = () => {
      clearTimeout(openTimer);
      this._resolveWsClosed();
      if (!opened) {
        this._failConnect(new ConnectionError(`cannot connect to ${this._server}`, { code: 'connection_lost' }));
        return;
      }
      if (!this._isClosed) this._process(this._core.receiveEof());
    };
    ws.onerror = () => {}; // the close event that follows carries the outcome
    try {
      await this._connected;
    } finally {
      clearTimeout(openTimer);
    }
  }

  _failConnect(err) {
    this._rejectConnected(err); // first: it wins over the generic close error
    if (this._isClosed) return;
    this._core.close();
    this._process(this._core.poll());
    try { this._ws?.close(1000); } catch { /* already closing */ }
  }

  _onData(data) {
    if (this._isClosed) return;
    const bytes = data instanceof Uint8Array ? data
      : typeof data === 'string' ? encoder.encode(data) : new Uint8Array(data);
    const M = this._M;
    const ptr = M._nw_receive_ptr(this._h, bytes.length);
    M.HEAPU8.set(bytes, ptr); // re-read HEAPU8: receivePtr may grow memory
    this._process(M._nw_feed(this._h, bytes.length));
  }

  // Writes what the engine has queued; many operations share one frame.
  _scheduleFlush() {
    if (this._flushScheduled) return;
    this._flushScheduled = true;
    queueMicrotask(() => {
      this._flushScheduled = false;
      this._writeOutput();
    });
  }

  _writeOutput() {
    if (!this._core) return;
    const len = this._core.outputLen();
    if (len === 0 || !this._ws || this._ws.readyState !== 1) return;
    const ptr = this._core.outputPtr();
    // send() copies synchronously (browser WebSocket, and ws when masking).
    this._ws.send(this._M.HEAPU8.subarray(ptr, ptr + len));
    this._core.consumeOutput(len);
  }

  _armTimer() {
    const at = this._core.nextDeadline();
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
      if (this._isClosed) return;
      this._process(this._core.handleTimeout(now()));
    }, Math.max(0, at - now()));
  }

  // --- events ---------------------------------------------------------------
  _process(n) {
    if (n > 0) {
      const M = this._M;
      const base = this._core.batchPtr() >>> 2;
      // Snapshot the records and their error texts before dispatching: a
      // handler run from here (a subscription callback calling unsubscribe()
      // or close(), an abort listener) re-enters the engine, whose poll()
      // reuses the batch and text buffers. Reading them in place handed later
      // records of this batch a clobbered text (error messages starting with
      // NUL) and, after a nested close(), a freed engine.
      const recs = M.HEAPU32.slice(base, base + n * RECORD_WORDS);
      let textEnd = 0;
      let lo = Infinity;
      let hi = 0;
      let bodies = 0;
      for (let r = 0; r < recs.length; r += RECORD_WORDS) {
        const type = recs[r];
        if (type === EV.message || type === EV.requestReply) {
          const hp = recs[r + 8], hl = recs[r + 9], pp = recs[r + 10], pl = recs[r + 11];
          if (hl > 0) { lo = Math.min(lo, hp); hi = Math.max(hi, hp + hl); }
          if (pl > 0) { lo = Math.min(lo, pp); hi = Math.max(hi, pp + pl); }
          bodies += hl + pl;
        } else if (recs[r + 2] !== 0) {
          textEnd = Math.max(textEnd, recs[r + 4] + recs[r + 5]);
        }
      }
      const textBase = this._core.textPtr();
      const text = textEnd > 0 ? M.HEAPU8.slice(textBase, textBase + textEnd) : EMPTY;
      // Headers and payloads of the whole batch are copied out of the heap
      // at once; each message gets a view (allocating one ArrayBuffer per
      // message was the largest receive cost). They sit together in the
      // receive buffer; if they ever did not, copy per message instead.
      if (bodies > 0 && hi - lo <= 2 * bodies + 65536) {
        this._bodies = M.HEAPU8.slice(lo, hi);
        this._bodiesAt = lo;
      } else {
        this._bodies = null;
      }
      this._dispatchDepth++;
      try {
        for (let r = 0; r < recs.length; r += RECORD_WORDS) this._dispatch(recs, r, text);
      } finally {
        this._dispatchDepth--;
      }
    }
    this._writeOutput();
    // The engine is freed only by the outermost _process: an outer loop may
    // still be reading payloads from its receive buffer.
    if (!this._isClosed) this._armTimer();
    else if (this._dispatchDepth === 0) this._releaseCore();
  }

  _text(recs, r, text) {
    return utf8.decode(text.subarray(recs[r + 4], recs[r + 4] + recs[r + 5]));
  }

  _makeMsg(recs, r) {
    // HEAPU8 is re-read per message: user code run before this one may have grown memory.
    const H8 = this._M.HEAPU8;
    const hp = recs[r + 8], hl = recs[r + 9], pp = recs[r + 10], pl = recs[r + 11];
    let data = EMPTY;
    let headers = null;
    const bodies = this._bodies;
    if (bodies !== null) {
      const at = this._bodiesAt;
      if (pl > 0) data = new Uint8Array(bodies.buffer, pp - at, pl);
      if (hl > 0) headers = new Uint8Array(bodies.buffer, hp - at, hl);
    } else {
      if (pl > 0) data = H8.slice(pp, pp + pl);
      if (hl > 0) headers = H8.slice(hp, hp + hl);
    }
    return new Msg(this, this._subject(H8, recs[r + 4], recs[r + 5]), decodeString(H8, recs[r + 6], recs[r + 7]),
      recs[r + 3], data, headers);
  }

  // The subject of a received message; the last one is reused when the bytes
  // match (a subscription usually sees the same subject over and over).
  _subject(heap, ptr, len) {
    const last = this._lastSubject;
    if (last.length === len) {
      let i = 0;
      while (i < len && last.charCodeAt(i) === heap[ptr + i]) i++;
      if (i === len) return last;
    }
    const s = decodeString(heap, ptr, len);
    // Only a string with one char per byte can be compared byte-wise (ASCII;
    // a U+FFFD from an invalid byte never matches one).
    if (s.length === len) this._lastSubject = s;
    return s;
  }

  _dispatch(recs, r, text) {
    const type = recs[r], id = recs[r + 1], code = recs[r + 2];
    switch (type) {
      case EV.message: {
        const sub = this._subs.get(id);
        if (sub) sub._push(this._makeMsg(recs, r));
        break;
      }
      case EV.requestReply: {
        const req = this._requests.get(id);
        if (req) {
          this._requests.delete(id);
          req.cleanup?.();
          req.resolve(this._makeMsg(recs, r));
        }
        break;
      }
      case EV.requestFailed: {
        const req = this._requests.get(id);
        if (req) {
          this._requests.delete(id);
          req.cleanup?.();
          const err = errorFromCode(code, this._text(recs, r, text));
          if (code === ERRC_NO_RESPONDERS) {
            req.reject(new RequestError(err.message, { code: 'no_responders', cause: new NoRespondersError(req.subject) }));
          } else {
            req.reject(err);
          }
        }
        break;
      }
      case EV.flushDone: {
        const f = this._flushes.get(id);
        if (f) {
          this._flushes.delete(id);
          if (code) f.reject(errorFromCode(code, this._text(recs, r, text)));
          else f.resolve();
        }
        break;
      }
      case EV.subscriptionClosed: {
        const sub = this._subs.get(id);
        if (sub) {
          this._subs.delete(id);
          sub._end(code ? errorFromCode(code, this._text(recs, r, text)) : null);
        }
        break;
      }
      case EV.error:
        this._emitStatus({ type: 'error', error: errorFromCode(code, this._text(recs, r, text)) });
        break;
      case EV.info:
        this._info = JSON.parse(this._core.infoJson());
        this._emitStatus({ type: 'update', data: this._info });
        break;
      case EV.lameDuck:
        this._emitStatus({ type: 'ldm', data: this._server });
        break;
      case EV.connected:
        this._info = JSON.parse(this._core.infoJson());
        this._resolveConnected();
        break;
      case EV.closed:
        this._onClosed(code ? errorFromCode(code, this._text(recs, r, text)) : undefined);
        break;
      default:
        break;
    }
  }

  _onClosed(err) {
    if (this._isClosed) return;
    this._isClosed = true;
    this._closedError = err;
    if (this._timer) clearTimeout(this._timer);
    this._timer = null;
    this._writeOutput();
    try { this._ws?.close(1000); } catch { /* already closing */ }
    this._rejectConnected(err ?? new ClosedConnectionError('connection closed', { code: 'connection_closed' }));
    if (err) this._emitStatus({ type: 'disconnect', data: this._server, error: err });
    if (err?.code === 'stale_connection') this._emitStatus({ type: 'staleConnection' });
    this._emitStatus({ type: 'close', error: err });
    for (const q of this._statusQueues) q.end();
    this._statusQueues.clear();
    this._resolveClosed(err);
  }

  // Frees the engine once closed; called when no batch is being read.
  _releaseCore() {
    if (!this._core) return;
    this._lastStats = this._core.stats();
    this._core.delete();
    this._core = null;
  }

  _emitStatus(status) {
    for (const q of this._statusQueues) q.push(status);
  }

  _reportError(err) {
    // Status errors are always Error objects, even when a callback threw a string.
    const error = err instanceof Error ? err : new NatsError(String(err), { code: 'callback_error', cause: err });
    this._emitStatus({ type: 'error', error });
  }

  // --- staging: strings and bytes into the engine's argument area -----------
  _throwIfClosed() {
    if (this._isClosed) {
      throw new ClosedConnectionError(this._closedError ? `connection closed: ${this._closedError.message}` : 'connection closed',
        { code: 'connection_closed' });
    }
  }

  // Room for n bytes in the staging area; its address (stable until it grows).
  // Keeps the subject staged by the publish fast path: see _stageArea.
  _stageRoom(n) {
    if (n > this._stageCap) {
      const cap = Math.max(n, 2 * this._stageCap, 1024);
      this._stagePtr = this._core.stagePtr(cap);
      this._stageCap = cap;
      this._stagedSubject = null;
    }
    return this._stagePtr;
  }

  // The staging area for any other use than the publish fast path, whose
  // staged subject it overwrites.
  _stageArea(n) {
    const ptr = this._stageRoom(n);
    this._stagedSubject = null;
    return ptr;
  }

  _stage(strings, blobs) {
    let max = 0;
    for (const s of strings) max += s.length * 3;
    for (const b of blobs) max += b.length;
    const ptr = this._stageArea(max);
    const heap = this._M.HEAPU8; // after stagePtr: it may have grown memory
    const lens = [];
    let at = ptr;
    for (const s of strings) {
      const n = s.length === 0 ? 0 : encoder.encodeInto(s, heap.subarray(at, at + s.length * 3)).written;
      lens.push(n);
      at += n;
    }
    for (const b of blobs) {
      heap.set(b, at);
      lens.push(b.length);
      at += b.length;
    }
    return lens;
  }

  _check(code) {
    if (code !== 0) throw errorFromCode(code, this._core.errorMessage());
  }

  // --- public API -------------------------------------------------------------
  /** Server INFO (parsed JSON). */
  get info() {
    return this._info;
  }

  /** The server URL this connection uses. */
  getServer() { return this._server; }

  /**
   * Publishes a message.
   * @param {string} subject
   * @param {Uint8Array|string} [data]
   * @param {{headers?: import('./headers.mjs').MsgHdrsImpl, reply?: string}} [opts]
   */
  publish(subject, data, opts) {
    if (this._isClosed) this._throwIfClosed();
    const payload = data instanceof Uint8Array ? data : toBytes(data);
    const M = this._M;
    let rc;
    if (opts === undefined || (!opts.headers && !opts.reply)) {
      // Fast path: one raw wasm call; a repeated subject is not re-encoded.
      const pl = payload.length;
      let sl = this._stagedSubjectLen;
      let ptr = this._stagePtr;
      if (subject !== this._stagedSubject || sl + pl > this._stageCap) {
        const s = String(subject);
        ptr = this._stageRoom(s.length * 3 + pl);
        sl = s.length === 0 ? 0 : encoder.encodeInto(s, M.HEAPU8.subarray(ptr, ptr + s.length * 3)).written;
        this._stagedSubject = subject;
        this._stagedSubjectLen = sl;
      }
      M.HEAPU8.set(payload, ptr + sl);
      rc = M._nw_publish(this._h, sl, 0, 0, pl);
    } else {
      const hdr = opts.headers ? opts.headers.encode() : EMPTY;
      const [sl, rl, hl, pl] = this._stage([String(subject), opts.reply ?? ''], [hdr, payload]);
      rc = M._nw_publish(this._h, sl, rl, hl, pl);
    }
    if (rc < 0) this._check(-rc);
    // A long synchronous publish loop must not pile up megabytes in the
    // engine before the microtask runs: send once a frame's worth is ready.
    if (rc >= OUTPUT_HIGH_WATER) this._writeOutput();
    else this._scheduleFlush();
  }

  // Python's buffered publishes (js/src/pyodide.mjs publishPacked): a
  // batch, so it is written out at once.
  _publishPacked(packed) {
    this._throwIfClosed();
    this._M.HEAPU8.set(packed, this._stageArea(packed.length));
    const rc = this._M._nw_publish_packed(this._h, packed.length);
    this._writeOutput();
    if (rc < 0) this._check(-rc);
  }

  /**
   * Subscribes. Iterate the result with for await, or pass opts.callback(err, msg).
   * @param {string} subject
   * @param {{queue?: string, max?: number, callback?: (err: Error|null, msg: Msg|null) => void, signal?: AbortSignal}} [opts]
   */
  subscribe(subject, opts = {}) {
    this._throwIfClosed();
    const [sl, ql] = this._stage([String(subject), opts.queue ?? ''], []);
    const sid = this._core.subscribe(sl, ql, opts.max ?? 0);
    if (sid < 0) this._check(-sid);
    const sub = new Subscription(this, sid, String(subject), opts);
    this._subs.set(sid, sub);
    this._scheduleFlush();
    return sub;
  }

  _unsubscribe(sid, max) {
    if (this._isClosed) return;
    this._check(this._core.unsubscribe(sid, max));
    this._process(this._core.poll());
  }

  // Unsubscribes without emitting events to the subscription (abort, break).
  _unsubscribeNow(sid) {
    this._subs.delete(sid);
    if (this._isClosed) return;
    this._core.unsubscribe(sid, 0);
    this._process(this._core.poll());
  }

  _drainSubscription(sid) {
    if (this._isClosed) return;
    this._check(this._core.drainSubscription(sid));
    this._scheduleFlush();
  }

  /**
   * Sends a request and resolves with the first reply.
   * @param {string} subject
   * @param {Uint8Array|string} [data]
   * @param {{timeout?: number, headers?: import('./headers.mjs').MsgHdrsImpl, signal?: AbortSignal}} [opts]
   * @returns {Promise<Msg>}
   */
  request(subject, data, opts = {}) {
    try {
      this._throwIfClosed();
      if (opts.signal?.aborted) throw this._abortError(opts.signal, 'request aborted');
      const timeout = opts.timeout ?? 1000;
      const payload = toBytes(data);
      const hdr = opts.headers ? opts.headers.encode() : EMPTY;
      const [sl, hl, pl] = this._stage([String(subject)], [hdr, payload]);
      const id = this._core.request(sl, hl, pl, now(), timeout);
      if (id < 0) this._check(-id);
      const p = new Promise((resolve, reject) => {
        const entry = { resolve, reject, subject: String(subject) };
        if (opts.signal) {
          const onAbort = () => {
            if (!this._requests.delete(id)) return;
            if (!this._isClosed) this._core.cancelRequest(id);
            this._armTimerSafe();
            reject(this._abortError(opts.signal, 'request aborted'));
          };
          opts.signal.addEventListener('abort', onAbort, { once: true });
          entry.cleanup = () => opts.signal.removeEventListener('abort', onAbort);
        }
        this._requests.set(id, entry);
      });
      this._scheduleFlush();
      this._armTimer();
      return p;
    } catch (err) {
      return Promise.reject(err);
    }
  }

  _armTimerSafe() {
    if (!this._isClosed) this._armTimer();
  }

  _abortError(signal, message) {
    const reason = signal?.reason;
    return reason instanceof Error && reason.name !== 'AbortError'
      ? reason
      : new AbortError(message, { code: 'aborted', cause: reason });
  }

  /**
   * Sends one request and collects many replies (nats.js requestMany).
   * strategy: 'timer' (until maxWait), 'count' (maxMessages), 'stall' (no reply
   * for `stall` ms after the first), 'sentinel' (an empty payload ends it; the
   * empty message is yielded last, as in nats.js).
   * @param {string} subject
   * @param {Uint8Array|string} [data]
   * @param {{strategy?: 'timer'|'count'|'stall'|'sentinel', maxWait?: number, maxMessages?: number,
   *          stall?: number, headers?: any, signal?: AbortSignal}} [opts]
   * @returns {Promise<AsyncIterable<Msg>>}
   */
  async requestMany(subject, data, opts = {}) {
    this._throwIfClosed();
    const strategy = opts.strategy ?? 'timer';
    if (!['timer', 'count', 'stall', 'sentinel'].includes(strategy)) {
      throw new InvalidArgumentError(`unknown strategy '${strategy}'`, { code: 'invalid_argument' });
    }
    const maxWait = opts.maxWait ?? 1000;
    const maxMessages = opts.maxMessages ?? 0;
    if (strategy === 'count' && !(maxMessages > 0)) {
      throw new InvalidArgumentError("strategy 'count' needs maxMessages > 0", { code: 'invalid_argument' });
    }
    const stall = opts.stall ?? 300;
    // Checked before subscribing: throwing later leaked the inbox subscription.
    if (opts.signal?.aborted) throw this._abortError(opts.signal, 'requestMany aborted');
    const inbox = this._core.newInbox();
    const sub = this.subscribe(inbox, { max: strategy === 'count' ? maxMessages : 0 });
    const out = new AsyncQueue();
    let timer = null; // the stall timer
    let count = 0;
    // maxWait bounds every strategy; the stall timer only ends it earlier.
    const maxTimer = setTimeout(() => finish(), maxWait);
    const finish = (err = null) => {
      clearTimeout(maxTimer);
      if (timer) clearTimeout(timer);
      timer = null;
      opts.signal?.removeEventListener('abort', onAbort);
      if (!sub.isClosed()) {
        this._unsubscribeNow(sub.sid);
        sub._end(null); // ends the collecting loop below too
      }
      out.end(err);
    };
    const onAbort = () => finish(this._abortError(opts.signal, 'requestMany aborted'));
    const arm = (ms) => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => finish(), ms);
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    (async () => {
      try {
        for await (const m of sub) {
          // No responders is an empty 503 (as nats.js checks): a responder's
          // own 503 with a body is a reply like any other.
          const h = m._rawHeaders && m.data.length === 0 ? m.headers : undefined;
          if (h && h.code === 503) {
            finish(count === 0 ? new NoRespondersError(String(subject)) : null);
            return;
          }
          count++;
          out.push(m);
          // As in nats.js v3, the empty sentinel is yielded, then the iterator ends.
          if (strategy === 'sentinel' && m.data.length === 0) {
            finish();
            return;
          }
          if (strategy === 'count' && count >= maxMessages) {
            finish();
            return;
          }
          if (strategy === 'stall') arm(stall);
        }
        finish();
      } catch (err) {
        finish(err);
      }
    })();
    try {
      this.publish(subject, data, { reply: inbox, headers: opts.headers });
    } catch (err) {
      finish();
      throw err;
    }
    return {
      [Symbol.asyncIterator]() {
        return {
          next: () => out.next(),
          return: () => {
            finish();
            return Promise.resolve({ value: undefined, done: true });
          },
        };
      },
    };
  }

  /** Resolves when the server has processed everything sent before. */
  flush() {
    try {
      this._throwIfClosed();
      const id = this._core.flush(now(), 0);
      if (id < 0) this._check(-id);
      const p = new Promise((resolve, reject) => this._flushes.set(id, { resolve, reject }));
      this._scheduleFlush();
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
    // nats.js rejects a second drain(); the engine alone would accept it.
    if (this.isDraining()) throw new DrainingConnectionError('connection draining', { code: 'connection_draining' });
    this._check(this._core.drain());
    this._process(this._core.poll());
    await this._closed;
    await this._wsClosedOrSoon();
  }

  /** Closes now; pending requests reject with ClosedConnectionError. */
  async close() {
    if (!this._isClosed) {
      this._core.close();
      this._process(this._core.poll());
    }
    await this._wsClosedOrSoon();
  }

  _wsClosedOrSoon() {
    return Promise.race([this._wsClosed, new Promise((r) => setTimeout(r, 1000))]);
  }

  /** Resolves when the connection closes: undefined, or the Error that closed it. */
  closed() { return this._closed; }
  /** True once closed. */
  isClosed() { return this._isClosed; }
  /** True while draining. */
  isDraining() { return !!this._core && !this._isClosed && this._core.state() === STATE_DRAINING; }

  /**
   * Connection status events as an async iterable: {type: 'error'|'update'|'ldm'|
   * 'disconnect'|'staleConnection'|'close', data?, error?}.
   */
  status() {
    const q = new AsyncQueue();
    if (this._isClosed) q.end();
    else this._statusQueues.add(q);
    const self = this;
    return {
      [Symbol.asyncIterator]() {
        return {
          next: () => q.next(),
          return: () => {
            self._statusQueues.delete(q);
            q.end();
            return Promise.resolve({ value: undefined, done: true });
          },
        };
      },
    };
  }

  /** {inBytes, outBytes, inMsgs, outMsgs}. */
  stats() {
    if (!this._core) return { ...(this._lastStats ?? { inBytes: 0, outBytes: 0, inMsgs: 0, outMsgs: 0 }) };
    return this._core.stats();
  }

  /** A fresh unique inbox subject. */
  newInbox() {
    this._throwIfClosed();
    return this._core.newInbox();
  }

  /** Engine counters for tests and diagnostics. */
  get engineStats() {
    if (!this._core) return { pendingRequests: 0, subscriptions: 0, receiveBuffered: 0, state: STATE_CLOSED };
    return {
      pendingRequests: this._core.pendingRequests(),
      subscriptions: this._core.subscriptionCount(),
      receiveBuffered: this._core.receiveBuffered(),
      state: this._core.state(),
    };
  }
}

/**
 * Connects to a NATS server over WebSocket (nats.js `connect`).
 * @param {{servers?: string|string[], name?: string, token?: string, user?: string, pass?: string,
 *          timeout?: number, pingInterval?: number, maxPingOut?: number, noEcho?: boolean,
 *          debug?: boolean, inboxPrefix?: string}} [opts]
 * @returns {Promise<NatsConnection>}
 */
export async function connect(opts = {}) {
  const url = normalizeServer(opts.servers);
  const [M, WebSocketImpl] = await Promise.all([loadCore(), getWebSocket()]);
  const nc = new NatsConnection(M, opts, url);
  await nc._open(WebSocketImpl);
  return nc;
}
