// Push consumers (nats.js js.consumers.getPushConsumer / getBoundPushConsumer):
// the server delivers to the consumer's deliver subject. Subscribing,
// flow control, stalled heartbeats and statuses are the engine's
// (core/src/jetstream/engine_push.cpp); a push session hands out messages
// through the same ConsumerMessages as pull sessions.
import { InvalidArgumentError, InvalidOperationError } from '../errors.mjs';
import { ConsumerMessagesImpl } from './consumer_messages.mjs';

const now = () => performance.now();

/** A push consumer (nats.js PushConsumer): consume(), info(), delete(). */
export class PushConsumerImpl {
  /**
   * @param {import('./context.mjs').JsContext} ctx
   * @param {any} info the consumer's info; a bound consumer's only `config`
   * @param {{bound?: boolean, queue?: string, pending_msgs_limit?: number,
   *   pending_bytes_limit?: number}} opts queue: nats.py's subscribe names
   *   one, which must be the consumer's deliver group; the limits: how much
   *   may wait unconsumed before messages are dropped (the engine's
   *   defaults, nats.py's, when not given)
   */
  constructor(ctx, info, opts = {}) {
    this._ctx = ctx;
    this._info = info;
    this._bound = opts.bound === true;
    this._queue = opts.queue;
    this._limits = { pending_msgs_limit: opts.pending_msgs_limit, pending_bytes_limit: opts.pending_bytes_limit };
    this._messages = null;
    this.stream = info.stream_name ?? '';
    this.name = info.name ?? '';
  }
  isPullConsumer() { return false; }
  isPushConsumer() { return true; }

  /**
   * Starts receiving (one session at a time per consumer object): resolves
   * to its messages as an async iterable (or calls `opts.callback`).
   */
  async consume(opts = {}) { return this._open('consume', opts); }

  /** consume() now, synchronously (the Python bridge: no Promise to lose). */
  _open(_mode, opts = {}) {
    if (this._messages) throw new InvalidOperationError('consumer already started', { code: 'illegal_state' });
    const nc = this._ctx.nc;
    nc._throwIfClosed();
    const c = nc._engine.c;
    const options = { abort_on_missing_resource: !!opts.abort_on_missing_resource, queue: this._queue, ...this._limits };
    const id = this._bound
      ? nc._engine.id(c.pushStart(this._ctx.id, '', { ...options, ...this._info.config }, now()))
      : nc._engine.id(c.pushStart(this._ctx.id, JSON.stringify(this._info), options, now()));
    const messages = new ConsumerMessagesImpl(nc, id, opts);
    this._messages = messages;
    messages.closed().then(() => { this._messages = null; });
    nc._writeOutput();
    nc._armTimer();
    return messages;
  }

  /** The consumer's info (the last one read when cached); not for bound consumers. */
  async info(cached = false) {
    if (this._bound && !this.name) throw new InvalidOperationError('bound consumers cannot info', { code: 'illegal_state' });
    if (!cached) this._info = await this._ctx.call('consumer_info', { stream: this.stream, name: this.name });
    return this._info;
  }

  /** Deletes the consumer; not for bound consumers. */
  async delete() {
    if (this._bound && !this.name) throw new InvalidOperationError('bound consumers cannot delete', { code: 'illegal_state' });
    return (await this._ctx.call('consumer_delete', { stream: this.stream, name: this.name })).success === true;
  }
}

/**
 * An ordered push consumer (nats.js getPushConsumer(stream[, options])):
 * each stream message once, in order. It reads through the engine's ordered
 * consumer (which pulls), so gaps, resets and lost heartbeats follow one rule
 * in every host; to the user it is the same ordered stream of messages.
 */
export class OrderedPushConsumerImpl {
  /** @param {import('./consumer.mjs').OrderedConsumerImpl} ordered */
  constructor(ordered) {
    this._ordered = ordered;
    this.stream = ordered.stream;
  }
  get name() { return this._ordered.name; }
  isPullConsumer() { return false; }
  isPushConsumer() { return true; }
  /** Messages until close(): nats.js PushConsumerOptions (callback, abort_on_missing_resource). */
  consume(opts = {}) { return this._ordered.consume(opts); }
  info(cached = false) { return this._ordered.info(cached); }
  delete() { return this._ordered.delete(); }
}

/** Checks a push consumer's info in the engine (it must have a deliver subject). */
export function checkPushConsumer(ctx, info) {
  const nc = ctx.nc;
  nc._throwIfClosed();
  nc._engine.check(nc._engine.c.pushCheck(JSON.stringify(info)));
}

/** nats.js BoundPushConsumerOptions: deliver_subject is required. */
export function boundPushInfo(opts) {
  if (!opts || typeof opts !== 'object' || typeof opts.deliver_subject !== 'string') {
    throw new InvalidArgumentError("'deliver_subject' is required", { code: 'invalid_argument' });
  }
  const { deliver_subject, deliver_group, idle_heartbeat } = opts;
  return { config: { deliver_subject, deliver_group, idle_heartbeat } };
}
