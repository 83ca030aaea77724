// A single-consumer async queue: push() from event handlers, iterate with
// for await. end(err) finishes it after what is queued.

/** @template T */
export class AsyncQueue {
  constructor() {
    /** @type {T[]} */
    this._items = [];
    this._head = 0;
    this._waiter = null; // {resolve, reject} of a pending next()
    this._done = false;
    this._error = null;
    this.received = 0; // items pushed so far
    this.taken = 0; // items handed out so far
  }
  /** Items queued and not yet taken. */
  get length() { return this._items.length - this._head; }
  /** The queued items, oldest first (not taken). */
  *peek() { for (let i = this._head; i < this._items.length; i++) yield this._items[i]; }
  /** True once end() was called. */
  get ended() { return this._done; }

  /** @param {T} item */
  push(item) {
    if (this._done) return;
    this.received++;
    if (this._waiter) {
      const w = this._waiter;
      this._waiter = null;
      this.taken++;
      w.resolve({ value: item, done: false });
      return;
    }
    this._items.push(item);
    if (this._ready) this._wakeReady();
  }

  /** Ends the queue; queued items are still delivered, then err (if any) is thrown. */
  /** Drops what is queued (an iterator stopped early). */
  discard() {
    this._items = [];
    this._head = 0;
  }

  end(err = null) {
    if (this._done) return;
    this._done = true;
    this._error = err;
    this.onEnd?.();
    if (this._ready) this._wakeReady();
    if (this._waiter && this.length === 0) {
      const w = this._waiter;
      this._waiter = null;
      if (err) w.reject(err);
      else w.resolve({ value: undefined, done: true });
    }
  }

  /**
   * Resolves (to undefined) once an item is queued or the queue has ended;
   * takes nothing, so a waiter that goes away loses nothing. Every call
   * while waiting gets the same promise: a poller that gives up and asks
   * again (Python's next_msg with a timeout) adds nothing per poll.
   */
  ready() {
    if (this.length > 0 || this._done) return Promise.resolve();
    this._ready ??= withResolvers();
    return this._ready.promise;
  }

  _wakeReady() {
    const ready = this._ready;
    if (ready) {
      this._ready = null;
      ready.resolve();
    }
  }

  /** The error end() was given, once (then null). */
  takeError() {
    const err = this._error;
    this._error = null;
    return err;
  }

  /** Takes the oldest queued item now (the caller checked length > 0). */
  shift() {
    const value = this._items[this._head];
    this._items[this._head++] = undefined;
    this._compact();
    this.taken++;
    return value;
  }

  /** Takes up to max queued items at once (for batch consumers). */
  takeBatch(max = Infinity) {
    const n = Math.min(max, this.length);
    const out = this._items.slice(this._head, this._head + n);
    this._head += n;
    this._compact();
    return out;
  }

  _compact() {
    if (this._head > 1024 && this._head * 2 > this._items.length) {
      this._items = this._items.slice(this._head);
      this._head = 0;
    }
  }

  /** @returns {Promise<IteratorResult<T>>} */
  next() {
    if (this.length > 0) {
      const value = this._items[this._head];
      this._items[this._head++] = undefined;
      this._compact();
      this.taken++;
      return Promise.resolve({ value, done: false });
    }
    if (this._done) {
      if (this._error) {
        const err = this._error;
        this._error = null; // thrown once
        return Promise.reject(err);
      }
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => {
      this._waiter = { resolve, reject };
    });
  }
}

/**
 * An async iterable over a queue; breaking out of for-await (return())
 * calls onReturn.
 * @template T
 * @param {AsyncQueue<T>} q
 * @param {() => void} onReturn
 * @returns {AsyncIterable<T>}
 */
export function iterableOf(q, onReturn) {
  return {
    [Symbol.asyncIterator]() {
      return {
        next: () => q.next(),
        return: () => {
          onReturn();
          return Promise.resolve({ value: undefined, done: true });
        },
      };
    },
    /** Ends iteration now (nats.js QueuedIterator.stop): pending items are dropped, err (if any) thrown. */
    stop: (err) => {
      onReturn();
      q.discard();
      q.end(err ?? null);
    },
    // nats.js QueuedIterator's counters: items handed out, queued, pushed.
    getProcessed: () => q.taken,
    getPending: () => q.length,
    getReceived: () => q.received,
  };
}

/** Like Promise.withResolvers, which Node 20 lacks. */
function withResolvers() {
  let resolve;
  const promise = new Promise((r) => { resolve = r; });
  return { promise, resolve };
}
