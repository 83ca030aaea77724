// Key-value buckets with nats.js v3's names (@nats-io/kv): Kvm to create,
// open and list buckets; a bucket to put, get, create, update, delete,
// purge, and to watch, list keys and read history. The bucket's stream,
// subjects, headers, create-over-a-tombstone and watch entries are the
// engine's (core/src/jetstream/kv.cpp, api_call_kv.cpp, engine_kv.cpp);
// this file maps names and wraps results.
import { ERRC, InvalidArgumentError } from '../errors.mjs';
import { throwIfFailure } from '../failure.mjs';
import { JsContext } from '../jetstream/context.mjs';
import { AsyncQueue, iterableOf } from '../queue.mjs';
import { toBytes } from '../bytes.mjs';
import { NatsConnection } from '../connection.mjs';
import { jetstream } from '../jetstream/client.mjs';
import { orderedItems, orderedRead } from '../jetstream/ordered_read.mjs';
import { ListerImpl } from '../jetstream/manager.mjs';
import { JsHeaders } from '../jetstream/types.mjs';
import { BucketCodec } from './codecs.mjs';

const decoder = new TextDecoder();
const OPERATIONS = ['PUT', 'DEL', 'PURGE'];
const now = () => performance.now();

/** What a watch starts with (nats.js KvWatchInclude). */
export const KvWatchInclude = Object.freeze({ LastValue: '', AllHistory: 'history', UpdatesOnly: 'updates' });
const INCLUDE = { '': 0, history: 1, updates: 2 }; // kv::WatchInclude

/** A key-value entry (nats.js KvEntry). */
class KvEntryImpl {
  /** decode: the bucket's value codec, applied when the value is first read (as nats.js). */
  constructor(bucket, key, value, revision, created, operation, delta, isUpdate, decode) {
    this.bucket = bucket;
    this.key = key;
    this.rawKey = key;
    this._raw = value;
    this._decode = decode;
    this.revision = revision;
    this.created = created;
    this.operation = operation;
    this.delta = delta;
    if (isUpdate !== undefined) this.isUpdate = isUpdate;
  }
  get value() {
    if (this._decode) {
      this._raw = this._decode(this._raw);
      this._decode = null;
    }
    return this._raw;
  }
  /** The value's size: a headers-only entry's Nats-Msg-Size, as nats.js reads it. */
  get length() { return this._size ?? this.value.length; }
  string() { return decoder.decode(this.value); }
  json() { return JSON.parse(this.string()); }
}

// What a watch leaves out (the engine's kv::Ignore): nats.js's ignoreDeletes
// skips DEL entries; keys() and nats.py's ignore_deletes skip PURGEs too.
function ignoreOf(opts) {
  if (!opts.ignoreDeletes) return 0;
  return opts._ignorePurges ? 2 : 1;
}

// The stream info of a bucket as nats.js's KvStatus.
function statusOf(bucket, si) {
  const c = si.config;
  return {
    bucket, values: si.state.messages, history: c.max_msgs_per_subject, ttl: Math.round((c.max_age ?? 0) / 1e6),
    max_bytes: c.max_bytes, maxValueSize: c.max_msg_size, storage: c.storage, replicas: c.num_replicas,
    description: c.description ?? '', size: si.state.bytes, streamInfo: si, markerTTL: 0,
    backingStore: c.storage, allow_direct: !!c.allow_direct, maxBucketSize: c.max_bytes,
    // nats.js's defaults when the stream has none.
    placement: c.placement ?? { cluster: '', tags: [] }, placementCluster: c.placement?.cluster ?? '',
    republish: c.republish ?? { src: '', dest: '' },
    metadata: c.metadata ?? {}, compression: !!c.compression && c.compression !== 'none',
  };
}

/** A key-value bucket (nats.js KV). */
export class Bucket {
  /** @param {import('../jetstream/context.mjs').JsContext} ctx */
  constructor(ctx, bucket, info, codec) {
    this._ctx = ctx;
    this._codec = new BucketCodec(codec);
    this.bucket = bucket;
    this.stream = info?.config?.name ?? '';
    this.direct = !!info?.config?.allow_direct;
  }

  // One write through the context's publish window; resolves with the revision.
  _write(key, data, op, expected, timeout) {
    const ctx = this._ctx;
    const payload = op === 0 ? this._codec.encodeValue(data) : toBytes(data);
    key = this._codec.encodeKey(key);
    return new Promise((resolve, reject) => {
      ctx.enqueue({
        send: (t) => {
          const engine = ctx.nc._engine;
          const [pl] = engine.stage([], [payload]);
          const id = engine.c.kvWrite(ctx.id, this.bucket, String(key), op, expected ?? -1, pl, t);
          if (id < 0 && id !== -ERRC.window_full) engine.check(-id);
          return id;
        },
        resolve: (ack) => resolve(ack.seq),
        reject,
        timeout,
      });
    });
  }

  /** Stores a value; resolves with its revision. previousSeq: only if the key is at that revision. */
  put(key, data, opts = {}) { return this._write(key, data, 0, opts.previousSeq, opts.timeout); }
  /** Stores a value only if the key has none (never written, deleted or purged). */
  async create(key, data) {
    const ack = await this._ctx.start('kv_create', { bucket: this.bucket, key: this._codec.encodeKey(key), direct: this.direct },
      0, false, this._codec.encodeValue(data)).promise;
    return ack.seq;
  }
  /** Stores a value only if the key's last revision is `version`. */
  update(key, data, version) {
    if (!(version > 0)) return Promise.reject(new InvalidArgumentError('version must be greater than 0', { code: 'invalid_argument' }));
    return this._write(key, data, 0, version);
  }
  /** A soft delete (a DEL entry); previousSeq as put. */
  async delete(key, opts = {}) { await this._write(key, undefined, 1, opts.previousSeq); }
  /** Deletes the key's whole history (a PURGE entry). */
  async purge(key, opts = {}) { await this._write(key, undefined, 2, opts.previousSeq); }

  /**
   * The entry of a key (latest, or at opts.revision), or null when it has
   * none. A deleted or purged key gives its DEL/PURGE entry, as nats.js.
   */
  async get(key, opts = {}) {
    try {
      const raw = this._codec.encodeKey(key);
      const m = await this._ctx.call('kv_get', {
        bucket: this.bucket, key: raw, direct: this.direct, revision: opts.revision,
      });
      const e = new KvEntryImpl(this.bucket, String(key), m.data, m.seq, m.time,
        OPERATIONS[m._kvOperation] ?? 'PUT', 0, undefined, this._codec.valueDecoder());
      e.rawKey = raw;
      return e;
    } catch (err) {
      if (err.errc === 'key_not_found') return null;
      throw err;
    }
  }

  /**
   * Entries as they come (nats.js watch): opts.key (wildcards allowed),
   * include (KvWatchInclude), ignoreDeletes, headers_only,
   * resumeFromRevision, initializedFn (called once the initial entries are out),
   * signal (an AbortSignal that ends the watch; not in nats.js).
   */
  async watch(opts = {}) {
    return this._watch(opts, false);
  }

  async _watch(opts, endWhenCaughtUp) {
    const ctx = this._ctx;
    const nc = ctx.nc;
    nc._throwIfClosed();
    const keys = Array.isArray(opts.key) ? opts.key : [opts.key ?? '>'];
    if (keys.length > 1) {
      throw new InvalidArgumentError('one key filter per watch (nats-server 2.9)', { code: 'invalid_argument' });
    }
    const id = nc._engine.id(nc._engine.c.kvWatch(ctx.id, this.bucket, this._codec.encodeKey(keys[0]), INCLUDE[opts.include ?? ''],
      !!opts.headers_only, ignoreOf(opts), opts.resumeFromRevision ?? 0, now()));
    const read = await orderedRead(nc, id);
    return orderedItems(nc, read, {
      map: (m, isUpdate) => {
        const e = new KvEntryImpl(this.bucket, this._codec.decodeKey(m.subject), m.data,
          m.seq, m.time, OPERATIONS[m._num2] ?? 'PUT', m.info.pending, isUpdate, this._codec.valueDecoder());
        e.rawKey = m.subject;
        const size = opts.headers_only ? m.headers?.get(JsHeaders.MessageSizeHdr) : '';
        if (size) e._size = Number(size);
        return e;
      },
      marker: !!opts.marker, endWhenCaughtUp, onCaughtUp: opts.initializedFn, signal: opts.signal,
    });
  }

  /** The keys (optionally matching a filter), each once; deleted ones left out. */
  async keys(filter) {
    const it = await this._watch({ key: filter, headers_only: true, ignoreDeletes: true, _ignorePurges: true }, true);
    const seen = new Set();
    const out = new AsyncQueue();
    (async () => {
      try {
        for await (const e of it) {
          if (!seen.has(e.key)) {
            seen.add(e.key);
            out.push(e.key);
          }
        }
        out.end(null);
      } catch (err) {
        out.end(err);  // e.g. a key codec that throws: the caller's iteration fails
      }
    })();
    const keys = iterableOf(out, () => it.stop());
    keys.stop = () => it.stop();
    return keys;
  }

  /** Every entry kept of a key (or of all keys), then the iterator ends. */
  async history(opts = {}) {
    return this._watch({ key: opts.key, include: KvWatchInclude.AllHistory }, true);
  }

  /**
   * Clears delete and purge markers (nats.js purgeDeletes, nats.py
   * purge_deletes): for every key whose latest entry is one, its history
   * goes, and the marker too once older than olderMillis (default 30 min).
   * Resolves {success, purged}. Which entries and what to keep are the
   * core's rule (kv::purge_deletes_args); keys whose latest entry is a
   * value are never touched.
   */
  async purgeDeletes(olderMillis = 30 * 60 * 1000) {
    const M = this._ctx.nc._engine.M;
    const markers = [];
    for await (const e of await this._watch({ headers_only: true }, true)) {
      if (e.operation !== 'PUT') markers.push(e);
    }
    const at = Date.now();
    let purged = 0;
    for (const e of markers) {
      const args = M.kvPurgeDeletesArgs(this.bucket, e.rawKey, OPERATIONS.indexOf(e.operation),
        e.created.getTime(), at, olderMillis);
      throwIfFailure(args);
      if (args === null) continue;
      purged += (await this._ctx.call('stream_purge', JSON.parse(args))).purged ?? 0;
    }
    return { success: true, purged };
  }

  /** The bucket's settings and size (nats.js KvStatus). */
  async status() {
    return statusOf(this.bucket, await this._ctx.call('kv_bucket_info', { bucket: this.bucket }));
  }

  /** Deletes the bucket and everything in it. */
  async destroy() {
    return (await this._ctx.call('kv_bucket_delete', { bucket: this.bucket })).success === true;
  }
}

/** Creates, opens and lists buckets (nats.js Kvm). */
export class Kvm {
  /** @param {NatsConnection | import('../jetstream/client.mjs').JetStreamClientImpl} ncOrJs */
  constructor(ncOrJs) {
    this.js = ncOrJs instanceof NatsConnection ? jetstream(ncOrJs) : ncOrJs;
    this._ctx = this.js._ctx;
  }

  /**
   * The context a bucket's calls go through: the client's, or with
   * opts.timeout (ms) one of its own with that timeout.
   */
  _bucketCtx(opts) {
    if (!(opts.timeout > 0)) return this._ctx;
    // One engine context per timeout (contexts live as long as the connection).
    const cache = (this._ctx._byTimeout ??= new Map());
    let ctx = cache.get(opts.timeout);
    if (!ctx) {
      ctx = new JsContext(this._ctx.nc, { ...this._ctx.opts, timeout: opts.timeout });
      cache.set(opts.timeout, ctx);
    }
    return ctx;
  }

  /** A bucket taken on trust (nats.js bindOnly): no round trip; a missing one fails at first use. */
  _bind(name, opts) {
    const nc = this._ctx.nc;
    nc._throwIfClosed();
    const stream = nc._engine.M.kvStreamName(String(name));
    throwIfFailure(stream);
    return new Bucket(this._bucketCtx(opts), String(name), { config: { name: stream, allow_direct: !!opts.allow_direct } }, opts.codec);
  }

  /**
   * Creates a bucket, or opens it when it exists (its settings stay, as
   * nats.js). opts.bindOnly: only binds (nothing is created or checked);
   * opts.timeout: the bucket's calls' timeout in ms.
   */
  async create(name, opts = {}) {
    if (opts.bindOnly) return this._bind(name, opts);
    try {
      const info = await this._ctx.call('kv_bucket_create', {
        config: {
          bucket: name, history: opts.history, ttl: opts.ttl, max_value_size: opts.maxValueSize,
          max_bytes: opts.max_bytes, storage: opts.storage, replicas: opts.replicas,
          description: opts.description, allow_direct: opts.allow_direct,
          placement: opts.placement, republish: opts.republish,
          // Not supported: the core refuses them rather than dropping them.
          mirror: opts.mirror, sources: opts.sources, compression: opts.compression,
          metadata: opts.metadata, markerTTL: opts.markerTTL,
        },
      });
      return new Bucket(this._bucketCtx(opts), name, info, opts.codec);
    } catch (err) {
      if (err.code !== 10058) throw err; // 10058: the stream exists with other settings
      return this.open(name, opts);
    }
  }

  /**
   * Opens an existing bucket (StreamNotFoundError when there is none; with
   * opts.bindOnly nothing is checked). opts.timeout as for create().
   */
  async open(name, opts = {}) {
    if (opts.bindOnly) return this._bind(name, opts);
    const info = await this._ctx.call('kv_bucket_info', { bucket: name });
    return new Bucket(this._bucketCtx(opts), name, info, opts.codec);
  }

  /** Every bucket's status. */
  list() {
    return new ListerImpl(async () => {
      const { buckets } = await this._ctx.call('kv_bucket_list', {});
      return buckets.map((b) => statusOf(b.bucket, b.info));
    });
  }
}
