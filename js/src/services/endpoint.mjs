// One endpoint of a service: its subscription, and how a handler's result
// becomes replies. A handler may return nothing, a Promise, or an async
// iterable (e.g. an async generator): then each item is one reply chunk and
// an empty reply ends the stream (the convention of
// core/include/nats/micro/service.hpp, read back by requestStream()).
import { toBytes } from '../bytes.mjs';
import { Empty } from '../helpers.mjs';
import { ServiceError, ServiceMsg } from './service_msg.mjs';

/** The code and description an error thrown by a handler is answered with. */
function errorReply(err) {
  if (err instanceof ServiceError) return [err.code, err.message];
  return [500, err instanceof Error ? err.message : String(err)];
}

export class Endpoint {
  /**
   * @param {import('./service.mjs').Service} service
   * @param {{index: number, name: string, subject: string, queue: string}} spec the core's
   * @param {Function|undefined} handler (err, msg) => void | Promise | AsyncIterable
   * @param {Record<string, string>|undefined} metadata
   */
  constructor(service, spec, handler, metadata) {
    this.service = service;
    this.index = spec.index;
    this.name = spec.name;
    this.subject = spec.subject;
    this.queue = spec.queue;
    this.metadata = metadata;
    this.handler = handler;
    const nc = service.nc;
    const opts = { queue: spec.queue || undefined };
    if (handler) {
      opts.callback = (err, msg) => (err ? service.stop(err) : this._dispatch(msg));
    }
    this.sub = nc.subscribe(spec.subject, opts);
  }

  // The core counts the request (num_requests, time, errors).
  _done(elapsedMs, error) {
    this.service._record(this.index, elapsedMs, error ? error[0] : undefined, error ? error[1] : '');
  }

  _dispatch(msg) {
    const sm = new ServiceMsg(msg, this, performance.now());
    let result;
    try {
      result = this.handler(null, sm);
    } catch (err) {
      this._fail(sm, err);
      return;
    }
    if (result && typeof result[Symbol.asyncIterator] === 'function') {
      this.service._track(this._stream(sm, result));
    } else if (result && typeof result.then === 'function') {
      this.service._track(result.then(() => sm._record(null), (err) => this._fail(sm, err)));
    } else {
      sm._record(null);
    }
  }

  // A handler that threw: an error reply unless it answered already.
  _fail(sm, err) {
    const [code, text] = errorReply(err);
    if (sm._recorded) return;
    try {
      sm.respondError(code, text);
    } catch (replyErr) {
      // No reply can go out (e.g. the connection closed): still counted.
      sm._record([String(code), text]);
      this.service.nc._reportError(replyErr);
    }
  }

  async _stream(sm, items) {
    const nc = this.service.nc;
    try {
      for await (const item of items) {
        const bytes = toBytes(item);
        if (bytes.length === 0) {
          throw new ServiceError(500, 'a stream chunk may not be empty: an empty reply ends the stream');
        }
        sm._chunk(bytes);
        await nc.writeReady();
      }
      sm.respond(Empty);
    } catch (err) {
      this._fail(sm, err);
    }
  }

  /** Messages for iterator mode (no handler): each a ServiceMsg. */
  [Symbol.asyncIterator]() {
    const it = this.sub[Symbol.asyncIterator]();
    return {
      next: async () => {
        const r = await it.next();
        return r.done ? r : { value: new ServiceMsg(r.value, this, performance.now()), done: false };
      },
      return: () => it.return?.() ?? Promise.resolve({ value: undefined, done: true }),
    };
  }
  getProcessed() { return this.sub.getProcessed(); }
  getPending() { return this.sub.getPending(); }
  getReceived() { return this.sub.getReceived(); }
  /** Stops this endpoint's iterator (the subscription is drained). */
  stop() { return this.sub.drain(); }
}
