// ConsumerMessages (nats.js): the messages of one fetch or consume as an
// async iterable (or a callback), its notifications, and its end. Pulling,
// pending counts, heartbeats, statuses and recovery are the engine's
// (core/src/jetstream/engine_pull.cpp); this only queues what it hands out
// and tells it what the user consumed, so it never pulls more than fits.
import { InvalidOperationError } from '../errors.mjs';
import { AsyncQueue, iterableOf } from '../queue.mjs';

// Engine notification → nats.js ConsumerNotification.
function notification(type, detail, a, b) {
  switch (type) {
    case 'heartbeats_missed': return { type, count: a };
    case 'consumer_not_found': return { type, name: detail, count: a };
    case 'stream_not_found': return { type, name: detail, consumerCreateFails: a };
    case 'consumer_deleted':
    case 'exceeded_limits':
    case 'debug': return { type, code: a, description: detail };
    case 'no_responders': return { type, code: a };
    case 'discard': return { type, messagesLeft: a, bytesLeft: b };
    case 'reset':
    case 'ordered_consumer_recreated': return { type, name: detail };
    case 'heartbeat': return { type, lastConsumerSequence: a, lastStreamSequence: b };
    case 'flow_control': return { type };
    // A push consumer's reader held too much: messages dropped (an extension).
    case 'slow_consumer': return { type, dropped: a, pending: b };
    default: return { type, code: a, description: detail };
  }
}

/** The messages of one pull session. */
export class ConsumerMessagesImpl {
  /**
   * @param {import('../connection.mjs').NatsConnection} nc
   * @param {number} id the engine's session id
   * @param {{callback?: (m: any) => void}} opts
   */
  constructor(nc, id, opts = {}) {
    this._nc = nc;
    this._id = id;
    this._callback = opts.callback ?? null;
    this._queue = new AsyncQueue();
    this._statusQueues = new Set();
    this._received = 0;
    this._processed = 0;
    this._consumedMsgs = 0;
    this._consumedBytes = 0;
    this._reportQueued = false;
    this._iterating = false;
    this._ended = false;
    this._stopError = undefined;
    this._closed = new Promise((resolve) => { this._resolveClosed = resolve; });
    nc._pulls.set(id, this);
  }

  // --- from the engine (js/src/events.mjs) ---------------------------------------
  _push(m) {
    this._received++;
    if (this._callback) {
      this._processed++;
      this._consumed(m);
      try {
        this._callback(m);
      } catch (err) {
        this.stop(err);
      }
      return;
    }
    this._queue.push(m);
  }

  _notify(type, detail, a, b) {
    // Where the initial messages end (KV watches: entries after it are updates).
    if (type === 'caught_up') this._caughtUpAt ??= this._received;
    const n = notification(type, detail, a, b);
    for (const q of this._statusQueues) q.push(n);
  }

  _done(err) {
    if (this._ended) return;
    err ??= this._stopError;
    this._ended = true;
    this._nc._pulls.delete(this._id);
    this._queue.end(err ?? null);
    for (const q of this._statusQueues) q.end();
    this._statusQueues.clear();
    this._resolveClosed(err ?? undefined);
  }

  // Tells the engine what the user has taken, once per microtask: consume
  // pulls only as messages are consumed.
  _consumed(m) {
    this._consumedMsgs++;
    this._consumedBytes += m._size;
    if (this._reportQueued) return;
    this._reportQueued = true;
    queueMicrotask(() => {
      this._reportQueued = false;
      const nc = this._nc;
      if (this._ended || !nc._engine) return;
      nc._engine.M._nw_pull_consumed(nc._engine.h, this._id, this._consumedMsgs, this._consumedBytes);
      this._consumedMsgs = 0;
      this._consumedBytes = 0;
      // Coalesced with the turn's other writes: a direct write here sent
      // each ack of a consume loop in a socket write of its own (half of
      // the client's time in js_consume_ack went to write syscalls).
      nc._scheduleFlush();
      nc._armTimer();
    });
  }

  // --- nats.js API -------------------------------------------------------------------
  [Symbol.asyncIterator]() {
    if (this._callback) throw new InvalidOperationError('iterator cannot be used when a callback is registered', { code: 'illegal_state' });
    if (this._iterating) throw new InvalidOperationError('iterator is already yielding', { code: 'illegal_state' });
    this._iterating = true;
    const self = this;
    return {
      next() {
        return self._queue.next().then((r) => {
          if (!r.done) {
            self._processed++;
            self._consumed(r.value);
          }
          return r;
        });
      },
      return() {
        self.stop();
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]() { return this; },
    };
  }

  /** Stops pulling; messages already here are still yielded, then the iterator ends. */
  stop(err) {
    if (this._ended) return;
    this._stopError = err;
    const nc = this._nc;
    if (nc._engine && !nc._isClosed) {
      nc._engine.c.pullStop(this._id);
      // The engine ends the session at once (pull_done): handle it now.
      nc._processNow();
    }
    this._done(err);
  }

  /** stop(), then resolves when closed (with the error, if any). */
  async close() {
    this.stop();
    return this._closed;
  }

  /** Resolves (never rejects) when the session ends: undefined or the error. */
  closed() { return this._closed; }
  /** Messages handed to the iterator or callback. */
  getProcessed() { return this._processed; }
  /** Messages received and not yet handed out. */
  getPending() { return this._queue.length; }
  /** Payload bytes of the messages received and not yet handed out (nats.py's pending_bytes). */
  getPendingBytes() {
    let n = 0;
    for (const m of this._queue.peek()) n += m.data.length;
    return n;
  }
  /** Messages received. */
  getReceived() { return this._received; }

  /** Notifications (heartbeats_missed, consumer_deleted, reset, ...) until the session ends. */
  status() {
    const q = new AsyncQueue();
    if (this._ended) q.end();
    else this._statusQueues.add(q);
    return iterableOf(q, () => {
      this._statusQueues.delete(q);
      q.end();
    });
  }

  /** For Python: takes up to max queued messages now, counting them as consumed. */
  takeQueued(max = 1024) {
    const msgs = this._queue.takeBatch(max);
    this._processed += msgs.length;
    for (const m of msgs) this._consumed(m);
    const ended = msgs.length === 0 && this._queue.ended;
    if (ended) {
      const err = this._queue.takeError();
      if (err) throw err;
    }
    return { msgs, ended };
  }

  /** For Python: resolves once a message is queued or the session ended. */
  ready() { return this._queue.ready(); }
}
