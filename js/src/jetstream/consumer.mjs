// Consumers (nats.js js.consumers): pull consumers by name and ordered
// consumers, each with next(), fetch(), consume(), info(), delete(). Every
// rule is the engine's; this maps nats.js options to it and wraps sessions.
import { PULL_MODE } from '../../dist/abi.mjs';
import { InvalidArgumentError, InvalidOperationError } from '../errors.mjs';
import { ConsumerMessagesImpl } from './consumer_messages.mjs';
import {
  OrderedPushConsumerImpl, PushConsumerImpl, boundPushInfo, checkPushConsumer,
} from './push_consumer.mjs';

const now = () => performance.now();

// nats.js option names → the engine's (durations stay ms; the engine converts).
function pullOptions(opts = {}, mode) {
  return {
    mode, max_messages: opts.max_messages, max_bytes: opts.max_bytes, expires: opts.expires,
    idle_heartbeat: opts.idle_heartbeat, threshold_messages: opts.threshold_messages,
    threshold_bytes: opts.threshold_bytes, bind: !!opts.bind,
    abort_on_missing_resource: !!opts.abort_on_missing_resource,
  };
}

class ConsumerBase {
  /** @param {import('./context.mjs').JsContext} ctx */
  constructor(ctx, info) {
    this._ctx = ctx;
    this._info = info;
    this.stream = info.stream_name;
  }
  isPullConsumer() { return true; }
  isPushConsumer() { return false; }

  _session(start, opts) {
    const nc = this._ctx.nc;
    nc._throwIfClosed();
    const signal = opts.signal;
    if (signal?.aborted) throw nc._abortError(signal, 'pull aborted');
    const id = nc._engine.id(start());
    const messages = new ConsumerMessagesImpl(nc, id, opts);
    if (signal) {
      // Aborting stops the pull in the engine; the iterator ends with the abort.
      const onAbort = () => messages.stop(nc._abortError(signal, 'pull aborted'));
      signal.addEventListener('abort', onAbort, { once: true });
      messages.closed().then(() => signal.removeEventListener('abort', onAbort));
    }
    nc._writeOutput();
    nc._armTimer();
    return messages;
  }

  /**
   * Starts a pull session now (synchronously): mode is a PULL_MODE name. The
   * engine checks the options (invalid_argument).
   */
  _open(mode, opts = {}) {
    return this._start(pullOptions(opts, PULL_MODE[mode]), opts);
  }

  /** One batch: resolves to its messages (iterate them; the iterator ends with the batch). */
  async fetch(opts = {}) { return this._open('fetch', opts); }

  /**
   * nats.py's fetch (beyond nats.js): the messages there now, or if none,
   * the first ones to arrive before `expires`; never waits once it has some.
   */
  async fetchPrompt(opts = {}) { return this._open('fetch_prompt', opts); }

  /** Keeps pulling as messages are consumed, until stop()/close(). */
  async consume(opts = {}) { return this._open('consume', opts); }

  /** One message, or null when none arrived before `expires` (default 30 s). */
  async next(opts = {}) {
    const messages = await this.fetch({ ...opts, max_messages: 1 });
    for await (const m of messages) return m;
    const err = await messages.closed();
    if (err) throw err;
    return null;
  }
}

/** A pull consumer by name (nats.js PullConsumer). */
export class PullConsumerImpl extends ConsumerBase {
  constructor(ctx, info) {
    super(ctx, info);
    this.name = info.name;
  }
  _start(options, opts) {
    return this._session(() => this._ctx.nc._engine.c.pullStart(this._ctx.id, this.stream, this.name, options, now()), opts);
  }
  /** The consumer's info (the last one read when cached). */
  async info(cached = false) {
    if (!cached) this._info = await this._ctx.call('consumer_info', { stream: this.stream, name: this.name });
    return this._info;
  }
  /** Deletes the consumer. */
  async delete() {
    return (await this._ctx.call('consumer_delete', { stream: this.stream, name: this.name })).success === true;
  }
}

/** An ordered consumer (nats.js js.consumers.get(stream, opts)). */
export class OrderedConsumerImpl extends ConsumerBase {
  constructor(ctx, info, id) {
    super(ctx, info);
    this._id = id;
  }
  /** The server consumer's current name (it changes on every reset). */
  get name() { return this._ctx.nc._engine?.c.orderedName(this._id) ?? this._info.name; }
  _start(options, opts) {
    return this._session(() => this._ctx.nc._engine.c.orderedPull(this._id, options, now()), opts);
  }
  async info(cached = false) {
    if (!cached) this._info = await this._ctx.call('consumer_info', { stream: this.stream, name: this.name });
    return this._info;
  }
  /** Deletes the server consumer and forgets the ordered consumer. */
  async delete() {
    const nc = this._ctx.nc;
    if (nc._engine && !nc._isClosed) nc._engine.check(nc._engine.c.orderedDelete(this._id));
    nc._processNow();
    return true;
  }
}

// nats.js OrderedConsumerOptions → the engine's.
function orderedOptions(opts = {}) {
  const filters = opts.filter_subjects;
  const filter = Array.isArray(filters) ? filters : filters ? [filters] : [];
  if (filter.length > 1) {
    throw new InvalidArgumentError('one filter subject per ordered consumer (nats-server 2.9)', { code: 'invalid_argument' });
  }
  return {
    name_prefix: opts.name_prefix, filter_subject: filter[0], deliver_policy: opts.deliver_policy,
    opt_start_seq: opts.opt_start_seq, opt_start_time: opts.opt_start_time instanceof Date
      ? opts.opt_start_time.toISOString() : opts.opt_start_time,
    replay_policy: opts.replay_policy, inactive_threshold: opts.inactive_threshold,
    headers_only: !!opts.headers_only,
    // An Offset (offset.mjs) replaces deliver_policy; the engine checks it.
    offset: opts.offset === undefined || typeof opts.offset === 'string' ? opts.offset : JSON.stringify(opts.offset),
  };
}

/** js.consumers */
export class ConsumersImpl {
  /** @param {import('./context.mjs').JsContext} ctx */
  constructor(ctx) { this._ctx = ctx; }

  /** A pull consumer by name, or (no name, or options) a new ordered consumer. */
  async get(stream, name) {
    if (typeof name === 'string') {
      const info = await this._ctx.call('consumer_info', { stream, name });
      return this.getConsumerFromInfo(info);
    }
    const nc = this._ctx.nc;
    nc._throwIfClosed();
    const id = nc._engine.id(nc._engine.c.orderedCreate(this._ctx.id, String(stream), orderedOptions(name), now()));
    const created = new Promise((resolve, reject) => nc._jsOps.set(id, { resolve, reject }));
    nc._writeOutput();
    nc._armTimer();
    const info = await created;
    return new OrderedConsumerImpl(this._ctx, info, id);
  }

  /**
   * A push consumer by name (it must have a deliver subject), or (no name,
   * or ordered options) a new ordered consumer delivered as a push consumer.
   */
  async getPushConsumer(stream, name) {
    if (typeof name === 'string') {
      const info = await this._ctx.call('consumer_info', { stream, name });
      checkPushConsumer(this._ctx, info);
      return new PushConsumerImpl(this._ctx, info);
    }
    return new OrderedPushConsumerImpl(await this.get(stream, name ?? {}));
  }

  /**
   * A push consumer known only by its deliver subject (and group, and
   * heartbeat in ns): nothing is looked up; info() and delete() refuse.
   */
  async getBoundPushConsumer(opts) {
    return new PushConsumerImpl(this._ctx, boundPushInfo(opts), { bound: true });
  }

  /** A pull consumer from an info already at hand (no round trip). */
  getConsumerFromInfo(info) {
    if (info.config.deliver_subject) {
      throw new InvalidOperationError(`consumer '${info.name}' is push based; pull consumers only`, { code: 'illegal_state' });
    }
    return new PullConsumerImpl(this._ctx, info);
  }
}

/** nats.js isPullConsumer. */
export function isPullConsumer(c) { return c?.isPullConsumer?.() === true; }
/** nats.js isPushConsumer. */
export function isPushConsumer(c) { return c?.isPushConsumer?.() === true; }
