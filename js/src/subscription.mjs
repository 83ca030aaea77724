// Subscriptions: async iterables of Msg (or a callback), as in nats.js v3.
import { AsyncQueue } from './queue.mjs';

/** What an iterated subscription may hold before the engine drops (nats.go's defaults). */
export const DEFAULT_PENDING_MSGS = 512 * 1024;
export const DEFAULT_PENDING_BYTES = 64 * 1024 * 1024;

/** The bytes the engine counts for a message: headers and payload. */
const sizeOf = (m) => m.data.length + (m._rawHeaders ? m._rawHeaders.length : 0);

/** A subscription. Iterate it with `for await`, or pass `callback`. */
export class Subscription {
  /**
   * @param {object} nc NatsConnection
   * @param {number} sid
   * @param {string} subject
   * @param {{queue?: string, max?: number, callback?: Function, signal?: AbortSignal}} opts
   */
  constructor(nc, sid, subject, opts) {
    this._nc = nc;
    this.sid = sid;
    this._subject = subject;
    this._queueName = opts.queue ?? '';
    this._max = opts.max > 0 ? opts.max : undefined; // nats.js: undefined when unlimited
    this._callback = opts.callback ?? null;
    this._queue = this._callback ? null : new AsyncQueue();
    this._received = 0;
    this._processed = 0;
    // What the user took, and what the engine was told so far (pending limits).
    this._processedBytes = 0;
    this._reportedMsgs = 0;
    this._reportedBytes = 0;
    this._dropped = 0;
    this._closedFlag = false;
    this._iterating = false;
    /** Resolves when the subscription ends: undefined, or the Error that ended it. */
    this.closed = new Promise((resolve) => { this._resolveClosed = resolve; });
    this._signal = opts.signal;
    if (this._signal) {
      this._onAbort = () => this._abort();
      if (this._signal.aborted) queueMicrotask(this._onAbort);
      else this._signal.addEventListener('abort', this._onAbort, { once: true });
    }
  }

  // Called by the connection for every message of this sid.
  _push(msg) {
    this._received++;
    if (this._callback) {
      this._processed++;
      try {
        this._callback(null, msg);
      } catch (err) {
        this._nc._reportError(err);
      }
      return;
    }
    this._queue.push(msg);
  }

  // Called by the connection when the engine closed this sid.
  _end(err) {
    if (this._closedFlag) return;
    this._closedFlag = true;
    this._nc._trackedSubs.delete(this);
    if (this._signal) this._signal.removeEventListener('abort', this._onAbort);
    if (this._callback) {
      if (err) {
        try {
          this._callback(err, null);
        } catch (e) {
          this._nc._reportError(e);
        }
      }
    } else {
      this._queue.end(err);
    }
    this._resolveClosed(err ?? undefined);
  }

  _abort() {
    if (this._closedFlag) return;
    // Same mapping as request(): the DOMException of a plain abort() becomes
    // this package's AbortError (a NatsError); a custom Error reason is kept.
    const err = this._nc._abortError(this._signal, 'subscription aborted');
    this._nc._unsubscribeNow(this.sid);
    this._end(err);
  }

  _took(m) {
    this._processed++;
    this._processedBytes += sizeOf(m);
  }

  _tookAll(msgs) {
    this._processed += msgs.length;
    for (const m of msgs) this._processedBytes += sizeOf(m);
  }

  /** Tells the engine what the user took since the last report (before more input). */
  _reportConsumed(c) {
    const msgs = this._processed - this._reportedMsgs;
    if (msgs === 0) return;
    c.subscriptionConsumed(this.sid, msgs, this._processedBytes - this._reportedBytes);
    this._reportedMsgs = this._processed;
    this._reportedBytes = this._processedBytes;
  }

  /** Stops now (max 0), or after max messages in total. */
  unsubscribe(max) {
    if (this._closedFlag) return;
    // nats.js: getMax() is the new limit.
    if (max > 0) this._max = max;
    this._nc._unsubscribe(this.sid, max ?? 0);
  }

  /** Unsubscribes, delivers what is in flight, then closes. Resolves when closed. */
  async drain() {
    if (!this._closedFlag) {
      this._draining = true;
      this._nc._drainSubscription(this.sid);
    }
    await this.closed;
  }
  /** True once drain() was called, and after it finished, as in nats.js. */
  isDraining() { return !!this._draining; }
  /** The callback given to subscribe(), if any (nats.js). */
  get callback() { return this._callback ?? undefined; }

  /** True once no more messages will arrive. */
  isClosed() { return this._closedFlag; }
  /** Messages handed to the iterator or the callback. */
  getProcessed() { return this._processed; }
  /** Messages received and not yet processed. */
  getPending() { return this._queue ? this._queue.length : 0; }
  /** Payload bytes of the messages queued and not yet taken. */
  getPendingBytes() {
    let n = 0;
    for (const m of this._queue?.peek() ?? []) n += m.data.length;
    return n;
  }
  /** Messages received. */
  getReceived() { return this._received; }
  /** Messages dropped because the subscription was over its pending limits (an extension). */
  getDropped() { return this._nc._subscriptionPending(this.sid)?.dropped ?? this._dropped; }
  /** The subject subscribed to. */
  getSubject() { return this._subject; }
  /** The subscription id. */
  getID() { return this.sid; }
  /** The auto-unsubscribe limit (0 when none). */
  /** The message limit (subscribe's max or unsubscribe(n)); undefined when none, as in nats.js. */
  getMax() { return this._max; }

  /**
   * Takes the messages queued now (up to max), without waiting. Returns
   * {msgs, ended}: ended once nothing more will come; throws the error that
   * ended the subscription, once.
   */
  takeQueued(max = 1024) {
    if (!this._queue) throw new TypeError('subscription has a callback');
    const msgs = this._queue.takeBatch(max);
    this._tookAll(msgs);
    const ended = msgs.length === 0 && this._queue.ended;
    if (ended) {
      const err = this._queue.takeError();
      if (err) throw err;
    }
    return { msgs, ended };
  }

  /** Resolves once a message is queued or the subscription has ended; takes nothing. */
  ready() {
    if (!this._queue) throw new TypeError('subscription has a callback');
    return this._queue.ready();
  }

  /** Takes every queued message at once (for batching consumers such as Pyodide). */
  nextBatch(max = 1024) {
    if (!this._queue) throw new TypeError('subscription has a callback');
    if (this._queue.length > 0) {
      const batch = this._queue.takeBatch(max);
      this._tookAll(batch);
      return Promise.resolve(batch);
    }
    return this._queue.next().then((r) => {
      if (r.done) return [];
      // Whatever arrived with the first message comes along.
      const batch = [r.value, ...this._queue.takeBatch(max - 1)];
      this._tookAll(batch);
      return batch;
    });
  }

  [Symbol.asyncIterator]() {
    if (!this._queue) throw new TypeError('subscription has a callback: it cannot be iterated');
    if (this._iterating) throw new TypeError('subscription is already being iterated');
    this._iterating = true;
    const sub = this;
    return {
      next() {
        const q = sub._queue;
        if (q.length > 0) { // the common case under load: no extra Promise
          const m = q.shift();
          sub._took(m);
          return Promise.resolve({ value: m, done: false });
        }
        return q.next().then((r) => {
          if (!r.done) sub._took(r.value);
          return r;
        });
      },
      return() {
        // Breaking out of for-await ends interest in the subject.
        if (!sub._closedFlag) {
          sub._nc._unsubscribeNow(sub.sid);
          sub._end(null);
        }
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]() { return this; },
    };
  }
}
