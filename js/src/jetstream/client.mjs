// JetStreamClient (nats.js `jetstream(nc, opts)`): publish with
// acknowledgements, pipelined within the engine's window, and handles on
// streams; `jetstreamManager()` for the admin API.
import { JsContext } from './context.mjs';
import { JetStreamManagerImpl } from './manager.mjs';
import { ConsumersImpl } from './consumer.mjs';

/** A JetStream client. */
export class JetStreamClientImpl {
  /** @param {JsContext} ctx */
  constructor(ctx) {
    this._ctx = ctx;
    const self = this;
    /** js.streams.get(name) → Stream */
    this.streams = { get: (name) => ctx.manager().streams.get(name) };
    /** js.consumers.get(stream, name | orderedOptions) → Consumer */
    this.consumers = new ConsumersImpl(ctx);
    ctx.client = () => self;
  }

  /** The API prefix ("$JS.API", or "$JS.<domain>.API"). */
  get apiPrefix() { return this._ctx.prefix; }

  /**
   * Publishes to a stream subject and resolves with its PubAck
   * {stream, seq, duplicate, domain?}. Options: msgID, expect {lastMsgID,
   * streamName, lastSequence, lastSubjectSequence}, headers, timeout,
   * retries (attempts on no responders or a timeout, nats.js's backoff
   * between them; the engine's rule).
   * Many may be in flight; past the context's window (maxPending, default
   * 256) they are sent as acks free room, in call order.
   */
  publish(subject, data, opts) { return this._ctx.publish(subject, data, opts); }

  /** Publishes called and not acknowledged yet (nats.py publish_async_pending). */
  publishAsyncPending() { return this._ctx.pending(); }
  /** Resolves when every publish so far is acknowledged or failed (nats.py publish_async_completed). */
  publishAsyncCompleted() { return this._ctx.completed(); }

  /** A JetStreamManager with the same options. */
  async jetstreamManager(checkAPI = true) {
    const jsm = this._ctx.manager();
    if (checkAPI) await jsm.getAccountInfo();
    return jsm;
  }

  /** The options, as nats.js gives them: a domain shows as the prefix it makes. */
  getOptions() {
    const { domain, ...opts } = this._ctx.opts;
    return { ...opts, apiPrefix: this._ctx.prefix };
  }
}

function contextFor(nc, opts) {
  const ctx = new JsContext(nc, opts);
  let manager = null;
  ctx.manager = () => (manager ??= new JetStreamManagerImpl(ctx));
  ctx.client = () => new JetStreamClientImpl(ctx);
  return ctx;
}

/**
 * A JetStream client for a connection (nats.js `jetstream`).
 * @param {import('../connection.mjs').NatsConnection} nc
 * @param {{apiPrefix?: string, domain?: string, timeout?: number, maxPending?: number}} [opts]
 */
export function jetstream(nc, opts = {}) {
  return new JetStreamClientImpl(contextFor(nc, opts));
}

/**
 * A JetStreamManager (nats.js `jetstreamManager`); by default it checks that
 * JetStream answers (account info) before resolving.
 */
export async function jetstreamManager(nc, opts = {}) {
  const jsm = contextFor(nc, opts).manager();
  if (opts.checkAPI !== false) await jsm.getAccountInfo();
  return jsm;
}
