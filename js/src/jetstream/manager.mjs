// JetStreamManager (nats.js @nats-io/jetstream): streams, consumers, direct
// gets and the account, each a call to the engine's API catalogue.
import { JetStreamApiError, StreamNotFoundError, errorFromCode } from '../errors.mjs';
import { JetStreamApiCodes } from './types.mjs';

/** A paged listing (nats.js Lister): iterate it, or next() for the items. */
export class ListerImpl {
  /** @param {() => Promise<any[]>} fetch all items (the engine gathers every page) */
  constructor(fetch) {
    this._fetch = fetch;
    this._done = false;
  }
  /** The items (every page at once; then []). */
  async next() {
    if (this._done) return [];
    this._done = true;
    return this._fetch();
  }
  async *[Symbol.asyncIterator]() {
    for (const item of await this.next()) yield item;
  }
}

// nats.js reports these config booleans always, defaulting to false.
function fixInfo(si) {
  const c = si?.config;
  if (c) for (const k of ['sealed', 'deny_delete', 'deny_purge', 'allow_rollup_hdrs']) c[k] = !!c[k];
  return si;
}

function isNotFound(err) {
  return err instanceof JetStreamApiError && err.code === JetStreamApiCodes.NoMessageFound;
}

/** jsm.streams */
export class StreamAPIImpl {
  /** @param {import('./context.mjs').JsContext} ctx */
  constructor(ctx) { this._ctx = ctx; }
  /** Creates a stream. */
  async add(cfg) { return fixInfo(await this._ctx.call('stream_create', { config: cfg })); }
  /** Updates a stream: `cfg` is merged over its current config (as nats.js does). */
  async update(name, cfg = {}) {
    return fixInfo(await this._ctx.call('stream_update', { config: { ...cfg, name }, merge: true }));
  }
  /** Stream info; with subjects_filter every page of subjects is gathered. */
  async info(name, opts = {}) {
    return fixInfo(await this._ctx.call('stream_info', { name, ...opts }));
  }
  /** Every stream's info (optionally those with subjects overlapping `subject`). */
  list(subject) {
    return new ListerImpl(async () => (await this._ctx.call('stream_list', { subject })).streams.map(fixInfo));
  }
  /** Every stream name (optionally those with subjects overlapping `subject`). */
  names(subject) {
    return new ListerImpl(async () => (await this._ctx.call('stream_names', { subject })).streams);
  }
  /** Deletes a stream; true when it was deleted. */
  async delete(name) { return (await this._ctx.call('stream_delete', { name })).success === true; }
  /**
   * Purges ({filter?, seq?} or {filter?, keep?}); resolves the server's
   * PurgeResponse as nats.js does ({type, success, purged}).
   */
  async purge(name, opts = {}) {
    const r = await this._ctx.call('stream_purge', { name, ...opts });
    return { ...r, success: r.success === true, purged: r.purged ?? 0 };
  }
  /** A stored message ({seq} or {last_by_subj}), or null when there is none. */
  async getMessage(name, query) {
    try {
      return await this._ctx.call('stream_msg_get', { name, ...query });
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }
  /** Deletes a message (erased unless erase is false); true when deleted. */
  async deleteMessage(name, seq, erase = true) {
    return (await this._ctx.call('stream_msg_delete', { name, seq, no_erase: !erase })).success === true;
  }
  /** The one stream whose subjects match `subject` (StreamNotFoundError otherwise). */
  async find(subject) {
    const { streams } = await this._ctx.call('stream_names', { subject });
    if (streams.length !== 1) {
      throw new StreamNotFoundError('no stream matches subject', { code: 'js_api_error', status: 404, errCode: 10059 });
    }
    return streams[0];
  }
  /** A Stream object for `name` (reads its info). */
  async get(name) {
    const { StreamImpl } = await import('./stream.mjs');
    return new StreamImpl(this._ctx, await this.info(name));
  }
}

/** jsm.consumers */
export class ConsumerAPIImpl {
  /** @param {import('./context.mjs').JsContext} ctx */
  constructor(ctx) { this._ctx = ctx; }
  /** Creates a consumer (nats.js sends action "create"). */
  async add(stream, cfg = {}, opts = {}) {
    const action = typeof opts === 'string' ? opts : 'create';
    return this._ctx.call('consumer_create', { stream, config: cfg, action });
  }
  /** Updates a consumer: `cfg` merged over its current config. */
  async update(stream, name, cfg = {}) {
    return this._ctx.call('consumer_update', { stream, name, config: cfg, merge: true });
  }
  async info(stream, name) { return this._ctx.call('consumer_info', { stream, name }); }
  async delete(stream, name) {
    return (await this._ctx.call('consumer_delete', { stream, name })).success === true;
  }
  /** Every consumer's info. */
  list(stream) {
    return new ListerImpl(async () => (await this._ctx.call('consumer_list', { stream })).consumers);
  }
  /** Every consumer name (beyond nats.js v3, which has no names()). */
  names(stream) {
    return new ListerImpl(async () => (await this._ctx.call('consumer_names', { stream })).consumers);
  }
}

/** jsm.direct (streams with allow_direct). */
export class DirectStreamAPIImpl {
  constructor(ctx) { this._ctx = ctx; }
  /** A message by {seq}, {last_by_subj} or {seq, next_by_subj}; null when none. */
  async getMessage(stream, query) {
    try {
      return await this._ctx.call('direct_get', { name: stream, ...query });
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }
}

/** A JetStreamManager (nats.js `await jetstreamManager(nc, opts)`). */
export class JetStreamManagerImpl {
  /** @param {import('./context.mjs').JsContext} ctx */
  constructor(ctx) {
    this._ctx = ctx;
    this.streams = new StreamAPIImpl(ctx);
    this.consumers = new ConsumerAPIImpl(ctx);
    this.direct = new DirectStreamAPIImpl(ctx);
  }
  /** Account usage, limits and API stats. */
  async getAccountInfo() { return this._ctx.call('account_info', {}); }

  /**
   * JetStream's advisories as they happen: {kind (AdvisoryKind), data (the
   * advisory)}. Stop the iterator (break, or stop()) to unsubscribe.
   */
  advisories() {
    const nc = this._ctx.nc;
    nc._throwIfClosed();
    const M = nc._engine.M;
    const sub = nc.subscribe(M.advisorySubject());
    const iterator = sub[Symbol.asyncIterator]();
    return {
      async next() {
        const r = await iterator.next();
        if (r.done) return r;
        const text = r.value.string();
        const kind = M.advisoryKind(text);
        if (Array.isArray(kind)) {
          sub.unsubscribe();
          throw errorFromCode(kind[0], kind[1]);
        }
        return { done: false, value: { kind, data: JSON.parse(text) } };
      },
      return() { sub.unsubscribe(); return Promise.resolve({ value: undefined, done: true }); },
      stop() { sub.unsubscribe(); },
      [Symbol.asyncIterator]() { return this; },
    };
  }
  /** The options, as nats.js gives them: a domain shows as the prefix it makes. */
  getOptions() {
    const { domain, ...opts } = this._ctx.opts;
    return { ...opts, apiPrefix: this._ctx.prefix };
  }
  /** A JetStreamClient with the same options. */
  jetstream() {
    return this._ctx.client();
  }
}
