// Object stores with nats.js v3's names (@nats-io/obj): Objm to create,
// open and list stores; a store to put and get objects as streams of
// chunks, read their infos, list, watch, link, delete, seal. Subjects, the
// info record, rollups, purges, links and the digest's text form are the
// engine's (core/src/jetstream/obj.cpp, api_call_obj.cpp, engine_obj.cpp);
// this file moves bytes, hashes them as they pass, and wraps results.
import { ERRC, errorFromCode, InvalidArgumentError } from '../errors.mjs';
import { toBytes } from '../bytes.mjs';
import { MsgHdrsImpl } from '../headers.mjs';
import { NatsConnection } from '../connection.mjs';
import { jetstream } from '../jetstream/client.mjs';
import { ListerImpl } from '../jetstream/manager.mjs';
import { orderedItems, orderedRead } from '../jetstream/ordered_read.mjs';
import { createSha256 } from './sha256.mjs';

const now = () => performance.now();
/** What a read of the infos starts with (js::obj::Include). */
export const INCLUDE = Object.freeze({ latest: 0, updates: 1, history: 2 });
// Chunk publishes awaiting their acks during a put: bounds a put's memory.
const PUTS_IN_FLIGHT = 8;
// Chunks the engine pulls ahead of a reader: bounds a get's memory.
const READ_AHEAD = 4;

/** An object's info (nats.js ObjectInfo). */
class ObjectInfoImpl {
  constructor(raw) {
    Object.defineProperty(this, '_raw', { value: raw }); // for headers; not shown

    this.name = raw.name;
    this.description = raw.description ?? '';
    this.options = raw.options;
    this.bucket = raw.bucket;
    this.nuid = raw.nuid;
    this.size = raw.size ?? 0;
    this.chunks = raw.chunks ?? 0;
    this.digest = raw.digest ?? '';
    this.deleted = !!raw.deleted;
    this.mtime = raw.mtime;
    this.revision = raw.revision;
    this.metadata = raw.metadata ?? {};
  }
  get headers() {
    const h = new MsgHdrsImpl();
    for (const [k, vs] of Object.entries(this._raw.headers ?? {})) for (const v of vs) h.append(k, v);
    return h;
  }
  isLink() { return this.options?.link !== undefined && this.options?.link !== null; }
}

/** A store's settings and size (nats.js ObjectStoreStatus). */
function statusOf(bucket, si) {
  const c = si.config;
  return {
    bucket, description: c.description ?? '', ttl: c.max_age ?? 0,
    storage: c.storage, replicas: c.num_replicas, sealed: !!c.sealed, size: si.state.bytes,
    backingStore: 'JetStream', streamInfo: si, metadata: c.metadata,
    compression: !!c.compression && c.compression !== 'none',
  };
}

// The pieces of what put() is given: a ReadableStream, an (async) iterable of
// byte chunks, one Uint8Array, or nothing.
async function* piecesOf(source) {
  if (source === null || source === undefined) return;
  if (source instanceof Uint8Array || typeof source === 'string') {
    yield toBytes(source);
  } else if (typeof source.getReader === 'function') {
    const reader = source.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield toBytes(value);
      }
    } finally {
      reader.releaseLock();
    }
  } else if (source[Symbol.asyncIterator] || source[Symbol.iterator]) {
    for await (const piece of source) yield toBytes(piece);
  } else {
    throw new InvalidArgumentError('put takes a ReadableStream, an iterable of Uint8Array or a Uint8Array',
      { code: 'invalid_argument' });
  }
}

// A put's headers as the info record keeps them ({name: [values]}).
function headersRecord(h) {
  if (!h) return undefined;
  return typeof h.toRecord === 'function' ? h.toRecord() : h;
}

/** An object store (nats.js ObjectStore). */
export class ObjectStore {
  /** @param {import('../jetstream/context.mjs').JsContext} ctx */
  constructor(ctx, name) {
    this._ctx = ctx;
    this.name = name;
    this.stream = `OBJ_${name}`;
  }

  // One chunk through the context's publish window; resolves with its ack.
  _chunk(nuid, bytes, timeout) {
    const ctx = this._ctx;
    return new Promise((resolve, reject) => {
      ctx.enqueue({
        send: (t) => {
          const engine = ctx.nc._engine;
          const [pl] = engine.stage([], [bytes]);
          const id = engine.c.objPutChunk(ctx.id, this.name, nuid, pl, t);
          if (id < 0 && id !== -ERRC.window_full) engine.check(-id);
          return id;
        },
        resolve,
        reject,
        timeout,
      });
    });
  }

  /**
   * Stores an object from a ReadableStream (or an async iterable of chunks,
   * or bytes); resolves with its info once every chunk and the info are
   * stored. Memory stays bounded: a few chunks are in flight at a time.
   */
  async put(meta, source, opts = {}) {
    const ctx = this._ctx;
    const nc = ctx.nc;
    const name = meta?.name ?? '';
    const putMeta = {
      description: meta?.description, headers: headersRecord(meta?.headers),
      metadata: meta?.metadata, options: meta?.options,
    };
    // The engine checks the store, the name and the meta before any chunk goes out.
    await ctx.call('obj_info', { bucket: this.name, name, meta: putMeta }).catch((err) => {
      if (err.errc !== 'object_not_found') throw err;
    });
    const engine = nc._engine;
    const nuid = engine.c.newNuid();
    const maxChunk = engine.M.objChunkSize(meta.options?.max_chunk_size ?? 0, nc.info?.max_payload ?? 0);
    const sha = await createSha256();
    let size = 0;
    let chunks = 0;
    const inFlight = [];
    const send = async (bytes) => {
      sha.update(bytes);
      size += bytes.length;
      chunks++;
      const ack = this._chunk(nuid, bytes, opts.timeout);
      ack.catch(() => {}); // awaited below; a failure is reported once
      inFlight.push(ack);
      if (inFlight.length >= PUTS_IN_FLIGHT) await inFlight.shift();
    };
    try {
      let buf = new Uint8Array(maxChunk);
      let fill = 0;
      for await (const piece of piecesOf(source)) {
        for (let at = 0; at < piece.length;) {
          const n = Math.min(maxChunk - fill, piece.length - at);
          buf.set(piece.subarray(at, at + n), fill);
          fill += n;
          at += n;
          if (fill === maxChunk) {
            await send(buf);
            buf = new Uint8Array(maxChunk);
            fill = 0;
          }
        }
      }
      if (fill > 0) await send(buf.subarray(0, fill));
      await Promise.all(inFlight);
    } catch (err) {
      await Promise.allSettled(inFlight);
      // Chunks that landed before the failure would be orphans.
      await ctx.call('obj_purge_chunks', { bucket: this.name, nuid }).catch(() => {});
      throw err;
    }
    // The engine writes the info record from these (obj.cpp info_record).
    const args = {
      bucket: this.name, name, meta: putMeta, nuid, size, chunks, max_chunk_size: maxChunk,
      digest: engine.M.objDigestText(sha.hex()), now_unix_ns: Date.now() * 1e6,
    };
    if (opts.previousRevision !== undefined) args.previous_revision = opts.previousRevision;
    // A refused write purges its chunks in the engine (api_call_obj.cpp).
    return new ObjectInfoImpl(await ctx.call('obj_put_meta', args, opts.timeout ?? 0));
  }

  /** put() from one Uint8Array (null: an empty object). */
  putBlob(meta, data, opts) { return this.put(meta, data ?? new Uint8Array(0), opts); }

  /** An object's info (deleted ones too, marked deleted), or null when there is none. */
  async info(name) {
    try {
      return new ObjectInfoImpl(await this._ctx.call('obj_info', { bucket: this.name, name }));
    } catch (err) {
      if (err.errc === 'object_not_found') return null;
      throw err;
    }
  }

  /**
   * An object as {info, data: ReadableStream<Uint8Array>, error: Promise<Error|null>},
   * or null when there is none (or it was deleted). Links are followed. The
   * data is checked against the digest as it passes: a mismatch errors the
   * stream and resolves `error`.
   */
  async get(name) {
    let raw;
    try {
      raw = await this._ctx.call('obj_info', { bucket: this.name, name, follow: true });
    } catch (err) {
      if (err.errc === 'object_not_found') return null;
      throw err;
    }
    if (raw.deleted) return null;
    const info = new ObjectInfoImpl(raw);
    let settle;
    const error = new Promise((resolve) => { settle = resolve; });
    if (info.chunks === 0) {
      const err = this._check(info, await createSha256(), 0, 0);
      settle(err);
      return {
        info, error, data: new ReadableStream({ pull(c) { if (err) c.error(err); else { c.enqueue(new Uint8Array(0)); c.close(); } } }),
      };
    }
    const sha = await createSha256();
    const nc = this._ctx.nc;
    const id = nc._engine.id(nc._engine.c.objRead(this._ctx.id, info.bucket, info.nuid, INCLUDE.latest, now()));
    const { messages, stop } = await orderedRead(nc, id, { max_messages: READ_AHEAD });
    let received = 0;
    let bytes = 0;
    let ended = false;
    let controller;
    const finish = (err) => {
      if (ended) return;
      ended = true;
      stop();
      settle(err);
      if (err) controller.error(err);
      else controller.close();
    };
    // No chunk at all where the info says there are some.
    (async () => {
      for await (const n of messages.status()) {
        if (n.type === 'caught_up' && messages._received === 0) finish(this._check(info, sha, 0, 0));
      }
    })();
    const it = messages[Symbol.asyncIterator]();
    const data = new ReadableStream({
      start: (c) => { controller = c; },
      pull: async () => {
        try {
          const { value: m, done } = await it.next();
          if (ended) return;
          if (done) return finish(this._check(info, sha, received, bytes));
          sha.update(m.data);
          received++;
          bytes += m.data.length;
          controller.enqueue(m.data);
          if (m.info.pending === 0 || received === info.chunks) finish(this._check(info, sha, received, bytes));
        } catch (err) {
          finish(err);
        }
      },
      cancel: () => finish(null),
    }, { highWaterMark: 1 });
    nc._processNow();
    return { info, data, error };
  }

  // The digest (and size) check of a read: an error, or null.
  _check(info, sha, chunks, size) {
    const digest = this._ctx.nc._engine.M.objDigestText(sha.hex());
    if (digest === info.digest && chunks === info.chunks && size === info.size) return null;
    return errorFromCode(ERRC.digest_mismatch,
      `received a corrupt object, digests do not match: expected ${info.digest} (${info.size} bytes in ${info.chunks} chunks), ` +
      `computed ${digest} (${size} bytes in ${chunks} chunks)`);
  }

  /** A whole object as one Uint8Array, or null when there is none. */
  async getBlob(name) {
    const r = await this.get(name);
    if (r === null) return null;
    const parts = [];
    let size = 0;
    const reader = r.data.getReader();
    for (;;) {
      let step;
      try {
        step = await reader.read();
      } catch (err) {
        throw (await r.error) ?? err;
      }
      if (step.done) break;
      parts.push(step.value);
      size += step.value.length;
    }
    const err = await r.error;
    if (err) throw err;
    const out = new Uint8Array(size);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  /**
   * Infos as they change (nats.js): updates only, or with includeHistory the
   * latest info of every object first; ignoreDeletes leaves deletions out.
   * Each has isUpdate. Ends on break/return, stop() or opts.signal's abort.
   */
  async watch(opts = {}) {
    return this._watch(opts.includeHistory ? INCLUDE.latest : INCLUDE.updates, !!opts.ignoreDeletes, false,
      false, opts.signal);
  }

  async _watch(include, ignoreDeletes, endWhenCaughtUp, marker = false, signal = undefined) {
    const ctx = this._ctx;
    const nc = ctx.nc;
    nc._throwIfClosed();
    const id = nc._engine.id(nc._engine.c.objRead(ctx.id, this.name, '', include, now()));
    return orderedItems(nc, await orderedRead(nc, id), {
      map: (m, isUpdate) => {
        const info = new ObjectInfoImpl({ ...m.json(), revision: m.seq });
        info.isUpdate = include === INCLUDE.updates || isUpdate;
        return ignoreDeletes && info.deleted ? undefined : info;
      },
      marker: marker && include !== INCLUDE.updates,
      endWhenCaughtUp,
      signal,
    });
  }

  /** Every object's info (deleted ones left out). */
  async list() {
    const out = [];
    for await (const info of await this._watch(INCLUDE.latest, true, true)) out.push(info);
    return out;
  }

  /**
   * Marks an object deleted and purges its chunks (nats.js PurgeResponse;
   * success false when there never was such an object).
   */
  async delete(name) {
    try {
      return await this._ctx.call('obj_delete', { bucket: this.name, name });
    } catch (err) {
      if (err.errc !== 'object_not_found') throw err;
      // nats.js: deleting a deleted object succeeds with nothing purged; one
      // that never existed is success: false.
      return (await this.info(name)) ? { success: true, purged: 0 } : { purged: 0, success: false };
    }
  }

  /**
   * Changes an object's meta without rewriting its data (nats.js update):
   * meta.name renames it (to a name no live object has), description,
   * headers and metadata replace the old ones. Resolves with the PubAck of
   * the new info.
   */
  async update(name, meta = {}) {
    const m = { name: meta.name ?? name, description: meta.description ?? '' };
    if (meta.headers) m.headers = headersRecord(meta.headers);
    if (meta.metadata) m.metadata = meta.metadata;
    const info = await this._ctx.call('obj_update_meta', { bucket: this.name, name, meta: m });
    return { stream: this.stream, seq: info.revision, duplicate: false };
  }

  /** An object `name` that reads as the object `info` (in this or another store). */
  async link(name, info) {
    // The engine refuses a deleted object or a link, and writes the record.
    const target = { bucket: info?.bucket, name: info?.name, deleted: !!info?.deleted, options: info?.options };
    return this._link({ name, target });
  }

  /** An object `name` that stands for a whole store. */
  async linkStore(name, store) {
    if (!(store instanceof ObjectStore)) throw new InvalidArgumentError('bucket required', { code: 'invalid_argument' });
    return this._link({ name, store: store.name });
  }

  async _link(args) {
    return new ObjectInfoImpl(await this._ctx.call('obj_put_meta',
      { bucket: this.name, ...args, now_unix_ns: Date.now() * 1e6 }));
  }

  /** The store's settings and size. */
  async status() {
    return statusOf(this.name, await this._ctx.call('obj_store_info', { bucket: this.name }));
  }

  /** Seals the store: nothing more can be written or deleted. */
  async seal() {
    return statusOf(this.name, await this._ctx.call('obj_store_seal', { bucket: this.name }));
  }

  /** Deletes the store and everything in it. */
  async destroy() {
    return (await this._ctx.call('obj_store_delete', { bucket: this.name })).success === true;
  }
}

/** Creates, opens and lists object stores (nats.js Objm). */
export class Objm {
  /** @param {NatsConnection | import('../jetstream/client.mjs').JetStreamClientImpl} ncOrJs */
  constructor(ncOrJs) {
    this.js = ncOrJs instanceof NatsConnection ? jetstream(ncOrJs) : ncOrJs;
    this._ctx = this.js._ctx;
  }

  /** Creates a store (or opens it when it exists with the same settings). */
  async create(name, opts = {}) {
    try {
      await this._ctx.call('obj_store_create', {
        config: {
          bucket: name, description: opts.description, ttl: opts.ttl === undefined ? undefined : Math.round(opts.ttl / 1e6),
          max_bytes: opts.max_bytes, storage: opts.storage, replicas: opts.replicas,
          placement: opts.placement, metadata: opts.metadata, compression: opts.compression,
        },
      });
    } catch (err) {
      // As nats.js: a store that exists (with other settings) is opened.
      if (err.code !== 10058) throw err;
    }
    return new ObjectStore(this._ctx, name);
  }

  /** Opens a store; with check (the default) it must exist (StreamNotFoundError otherwise). */
  async open(name, check = true) {
    if (check) await this._ctx.call('obj_store_info', { bucket: name });
    return new ObjectStore(this._ctx, name);
  }

  /** Every store's status. */
  list() {
    return new ListerImpl(async () => {
      const { stores } = await this._ctx.call('obj_store_list', {});
      return stores.map((s) => statusOf(s.bucket, s.info));
    });
  }
}
