// The bridge the Python package (py/nats_wasm) calls: every FFI crossing
// costs Python microseconds (an attribute read ~2 us, a call ~2-6 us,
// measured in Pyodide under Node), so messages cross in batches of four
// values (packMsgs): subjects and replies in one UTF-8 Uint8Array, header
// blocks and payloads in another, and their offsets.
// Python uses only what this module exports.
import { coreIfLoaded } from './core.mjs';
import { openConnection } from './connection.mjs';
import { ACK_KIND, API_ERRORS, ERRORS } from '../dist/abi.mjs';
import { throwIfFailure } from './failure.mjs';
import { headers } from './headers.mjs';
import { JsContext } from './jetstream/context.mjs';
import { ConsumersImpl } from './jetstream/consumer.mjs';
import { Bucket } from './kv/kv.mjs';
import { INCLUDE as OBJ_INCLUDE, ObjectStore } from './obj/obj.mjs';
import { AsyncQueue, iterableOf } from './queue.mjs';

/**
 * connect(), also telling `onAttemptFailed(error)` why each failed attempt
 * failed before the connection is up (nats.py calls error_cb for each, before
 * Python has a client whose status it could read): the engine reports every
 * attempt after a failed one as a 'reconnecting' status carrying that error;
 * the last attempt's error is in the rejection.
 */
export function connectReporting(opts, onAttemptFailed) {
  return openConnection(opts, (s) => {
    if (s.type === 'reconnecting' && s.error) onAttemptFailed(s.error);
  });
}

export * as micro from './pyodide_micro.mjs';
export * as push from './pyodide_push.mjs';
export { jsAcksReady, jsPublishBatch, jsTakeAcks } from './pyodide_js_publish.mjs';

/** The error table (code, name, js, py class path), for Python's mapping. */
export const errorTable = ERRORS;
/** Specific JetStream API error classes ({errCode, status, js, py}). */
export const apiErrorTable = API_ERRORS;

/** A message's raw header block (Msg or JsMsg), or undefined. */
const rawHeadersOf = (m) => m.rawHeaders ?? m._rawHeaders ?? undefined;
const utf8 = new TextEncoder();

/**
 * Packs messages into four values, so that Python converts a whole batch
 * with four conversions (Pyodide converts each value on its own, about a
 * microsecond apiece, and a value per field was most of a received
 * message's cost; a JS string converts at about 50 MB/s, UTF-8 bytes at
 * memory speed):
 *   [ended, text, bytes, meta]
 * - text: every message's subject then reply, UTF-8, concatenated;
 * - bytes: every message's raw header block then payload;
 * - meta: five u32 per message: where its subject and its reply end in
 *   text, where its headers and its payload end in bytes, and its sid.
 * Python's reader: py/nats_wasm/msg.py unpack_msgs.
 * @param {Array<{subject: string, reply: string, sid: number, data: Uint8Array}>} msgs
 * @param {boolean} [ended]
 */
export function packMsgs(msgs, ended = false) {
  const n = msgs.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += msgs[i].data.length + (rawHeadersOf(msgs[i])?.length ?? 0);
  const bytes = new Uint8Array(total);
  const meta = new Uint32Array(5 * n);
  const texts = new Array(2 * n);
  let at = 0;
  let chars = 0;
  for (let i = 0, k = 0; i < n; i++, k += 5) {
    const m = msgs[i];
    texts[2 * i] = m.subject;
    texts[2 * i + 1] = m.reply;
    chars += m.subject.length;
    meta[k] = chars;
    chars += m.reply.length;
    meta[k + 1] = chars;
    const raw = rawHeadersOf(m);
    if (raw) {
      bytes.set(raw, at);
      at += raw.length;
    }
    meta[k + 2] = at;
    bytes.set(m.data, at);
    at += m.data.length;
    meta[k + 3] = at;
    meta[k + 4] = m.sid;
  }
  const text = utf8.encode(texts.join(''));
  // Offsets in characters are offsets in bytes only for ASCII: otherwise
  // they are counted again, in bytes.
  if (text.length !== chars) {
    let b = 0;
    for (let i = 0, k = 0; i < n; i++, k += 5) {
      b += utf8.encode(texts[2 * i]).length;
      meta[k] = b;
      b += utf8.encode(texts[2 * i + 1]).length;
      meta[k + 1] = b;
    }
  }
  return [ended, text, bytes, meta];
}

/**
 * The messages queued now, packed (packMsgs), without waiting; undefined
 * when none are queued and more may come (then wait with sub.ready()).
 * Throws the error that ended the subscription.
 * @param {import('./subscription.mjs').Subscription} sub
 */
export function takePacked(sub, max = 4096) {
  const { msgs, ended } = sub.takeQueued(max);
  if (msgs.length === 0 && !ended) return undefined;
  return packMsgs(msgs, ended);
}

/** One message as [subject, reply, sid, raw headers or undefined, data]. */
export function packMsg(m) {
  return [m.subject, m.reply, m.sid, m.rawHeaders ?? undefined, m.data];
}

/**
 * The engine's decoding of a raw header block: [errc, status, description,
 * key1, value1, ...], or [errc, message] when it is not a NATS/1.0 block.
 * @param {Uint8Array} raw
 */
export function decodeHeaders(raw) {
  return coreIfLoaded().decodeHeaders(raw);
}

/**
 * Builds headers from a flat [k1, v1, k2, v2, ...] list in one crossing.
 * @param {string[]} flat
 */
export function headersFromPairs(flat) {
  const h = headers();
  for (let i = 0; i + 1 < flat.length; i += 2) h.append(flat[i], flat[i + 1]);
  return h;
}

/**
 * Publishes a packed buffer of messages from Python: per message a
 * little-endian u32 subject length and u32 payload length, the subject, the
 * payload. Throws the first error; the other messages are still published.
 * @param {import('./connection.mjs').NatsConnection} nc
 * @param {Uint8Array} packed
 */
export function publishPacked(nc, packed) {
  nc._publishPacked(packed);
}

// Calls from Python write their output at once. Left to the usual microtask,
// it went out only after Pyodide finished the Python step: ~0.25 ms later
// per operation, measured (docs/benchmarks.md).

/**
 * publish() for Python, sent at once.
 * @param {import('./connection.mjs').NatsConnection} nc
 */
export function publish(nc, subject, data, opts) {
  nc.publish(subject, data, opts ?? undefined);
  nc._writeOutput();
}

/**
 * flush() for Python with the engine's timeout (ms, 0 = none): the PING is
 * sent at once.
 */
export function flush(nc, timeout = 0) {
  const p = nc._flush(timeout);
  nc._writeOutput(); // a no-op once closed
  return p;
}

/** queueMicrotask for Python (runs right after the current Python step). */
export function queueMicrotask(fn) {
  globalThis.queueMicrotask(fn);
}

/**
 * request() for Python: {reply: Promise of packMsg(reply), cancel()}, where
 * cancel() aborts the request in the engine. (Not a Promise with a method:
 * Pyodide turns a returned Promise into a Future and drops its properties.)
 */
export function request(nc, subject, data, timeout, hdrs) {
  const ctl = new AbortController();
  const reply = nc.request(subject, data, { timeout, headers: hdrs ?? undefined, signal: ctl.signal }).then(packMsg);
  reply.catch(() => {}); // Python awaits it; a rejection after cancel() is expected
  nc._writeOutput();
  return { reply, cancel: () => ctl.abort() };
}

/** The async iterator of an async iterable (Python cannot spell Symbol.asyncIterator). */
export function iteratorOf(iterable) {
  return iterable[Symbol.asyncIterator]();
}

// --- JetStream ------------------------------------------------------------------

/** A JetStream context for Python: {prefix, domain, timeout (ms), maxPending}. */
export function jsContext(nc, prefix, domain, timeout, maxPending) {
  return new JsContext(nc, { apiPrefix: prefix ?? undefined, domain: domain ?? undefined, timeout, maxPending });
}

/**
 * An API call for Python: {promise, cancel}. The promise resolves with the
 * JSON text (Python parses it), or for message reads with
 * [subject, seq, raw headers or undefined, data, time, stream].
 */
export function jsCall(ctx, op, argsJson, timeout) {
  const { promise, cancel } = ctx.start(op, JSON.parse(argsJson), timeout, true);
  const packed = promise.then((r) => (typeof r === 'string' ? r
    : [r.subject, r.seq, r._raw && r._raw.length ? r._raw : undefined, r.data, r.timestamp, r.stream ?? '']));
  packed.catch(() => {});
  ctx.nc._writeOutput();
  return { promise: packed, cancel };
}

/**
 * One JetStream publish for Python: {promise of [stream, seq, duplicate,
 * domain], cancel()}. timeout in ms (0: the context's).
 */
export function jsPublish(ctx, subject, data, hdrs, msgId, expectedStream, timeout) {
  const ctl = new AbortController();
  const opts = { timeout: timeout || 0, signal: ctl.signal };
  if (hdrs) opts.headers = hdrs;
  if (msgId) opts.msgID = msgId;
  if (expectedStream) opts.expect = { streamName: expectedStream };
  const promise = ctx.publish(subject, data, opts).then((a) => [a.stream, a.seq, a.duplicate, a.domain ?? '']);
  promise.catch(() => {}); // Python awaits it; a rejection after cancel() is expected
  ctx.nc._writeOutput();
  return { promise, cancel: () => ctl.abort() };
}

// --- partitions (the engine's hash and subjects) ------------------------------------
/** The partition of a key among n. */
export function partitionFor(key, n) { return coreIfLoaded().partitionFor(key, n); }
/** ["<topic>.0", ...] or [errc, message]. */
export function topicSubjects(topic, n) { return coreIfLoaded().topicSubjects(topic, n); }
/** The partition count the subjects describe (0: not a topic). */
export function partitionCount(topic, subjects) { return coreIfLoaded().partitionCount(topic, subjects); }

// --- consumers ------------------------------------------------------------------------

/**
 * A consumer for Python: by name (a pull consumer) or, with name undefined,
 * a new ordered consumer from nats.js options. {promise of [consumer, info
 * JSON], cancel}.
 */
export function consumerGet(ctx, stream, name, orderedOpts) {
  const consumers = (ctx._consumers ??= new ConsumersImpl(ctx));
  let cancelled = false;
  const promise = consumers.get(stream, name ?? orderedOpts ?? undefined).then((c) => {
    // A cancelled caller never sees an ordered consumer made meanwhile: delete it.
    if (cancelled && name == null) c.delete().catch(() => {});
    return [c, JSON.stringify(c._info)];
  });
  promise.catch(() => {});
  ctx.nc._writeOutput();
  return { promise, cancel: () => { cancelled = true; } };
}

/** A consumer's info from the server, as JSON text: {promise, cancel}. */
export function consumerInfo(consumer) {
  const promise = consumer.info().then((i) => JSON.stringify(i));
  promise.catch(() => {});
  consumer._ctx.nc._writeOutput();
  return { promise, cancel: () => {} };
}

/**
 * A pull session for Python, started now: mode "fetch", "fetch_prompt" or
 * "consume". Returns the ConsumerMessages (no Promise: a cancelled Python
 * task cannot leave a session it never saw).
 */
export function consumerStart(consumer, mode, opts) {
  return consumer._open(mode, opts ?? {});
}

/**
 * JetStream messages queued now, packed as packMsgs packs them (Python
 * reads sequence and delivery count from the reply subject, nats.py's
 * metadata), or undefined when none are queued and more may come.
 */
export function takeJsPacked(messages, max = 4096) {
  const { msgs, ended } = messages.takeQueued(max);
  if (msgs.length === 0 && !ended) return undefined;
  return packMsgs(msgs, ended);
}

/**
 * Acknowledges by reply subject (kind: an ACK_KIND name). Written with the
 * other writes of this event-loop turn (a consume loop's acks share a
 * frame), before any later operation's (the engine's output is in order).
 */
export function jsAck(nc, reply, kind, delayMs) {
  nc._throwIfClosed();
  const engine = nc._engine;
  const [rl] = engine.stage([reply], []);
  const rc = engine.c.jsAck(rl, ACK_KIND[kind], delayMs || 0);
  engine.check(rc);
  nc._scheduleFlush();
}

/**
 * Acknowledges and waits for the server: {promise, cancel}; the promise
 * gives the server's reply as packMsg() does (nats.py's ack_sync returns it).
 */
export function jsAckSync(nc, reply, timeoutMs) {
  nc._throwIfClosed();
  const engine = nc._engine;
  const [rl] = engine.stage([reply], []);
  const id = engine.id(engine.c.jsAckSync(rl, performance.now(), timeoutMs || 5000));
  const promise = new Promise((resolve, reject) => nc._requests.set(id, { resolve: (m) => resolve(packMsg(m)), reject }));
  promise.catch(() => {});
  nc._writeOutput();
  nc._armTimer();
  return { promise, cancel: () => nc._cancelRequest(id) };
}

/**
 * nats.py's js.pull_subscribe: the config JSON of the consumer it creates
 * (the engine's rule, js::pull_subscribe_config); throws the engine's error.
 */
export function pullSubscribeConfig(configJson, subject, durable, freshName) {
  const out = coreIfLoaded().pullSubscribeConfig(configJson ?? '', subject, durable, freshName);
  throwIfFailure(out);
  return out;
}

/** The delivery info of an ack subject (or null): the engine's parser. */
export function parseAckReply(reply) {
  return coreIfLoaded().parseAckReply(reply);
}

// --- key-value --------------------------------------------------------------------

/** A bucket for Python: created (config JSON) or opened. {promise of [bucket, stream info JSON], cancel}. */
export function kvBucket(ctx, bucket, configJson) {
  const op = configJson ? ctx.start('kv_bucket_create', { config: JSON.parse(configJson) }, 0, false)
    : ctx.start('kv_bucket_info', { bucket }, 0, false);
  const promise = op.promise.then((info) => [new Bucket(ctx, bucket, info), JSON.stringify(info)]);
  promise.catch(() => {});
  ctx.nc._writeOutput();
  return { promise, cancel: op.cancel };
}

/** An entry (or null) for Python: [key, value, revision, created ms, operation, delta]. */
export function kvEntryPacked(e) {
  if (e === null || e === undefined) return undefined; // None in Python
  return [e.key, e.value, e.revision, e.created instanceof Date ? e.created.getTime() : 0, e.operation,
    e.delta ?? -1];
}

/** A watch for Python: entries, and a null after the initial ones (nats.py's marker). */
export function kvWatch(bucket, key, include, ignoreDeletes, metaOnly, resumeFromRevision) {
  // nats.py's ignore_deletes leaves PURGE entries out too.
  return bucket._watch({ key: key ?? '>', include: include ?? '', ignoreDeletes: !!ignoreDeletes, _ignorePurges: true,
    headers_only: !!metaOnly, marker: true, resumeFromRevision: resumeFromRevision || 0 }, false);
}

// --- object stores -----------------------------------------------------------------

/** A store for Python: created (config JSON) or opened (checked). {promise of the store, cancel}. */
export function objStore(ctx, bucket, configJson) {
  const op = configJson ? ctx.start('obj_store_create', { config: JSON.parse(configJson) }, 0, false)
    : ctx.start('obj_store_info', { bucket }, 0, false);
  const promise = op.promise.then(() => new ObjectStore(ctx, bucket));
  promise.catch(() => {});
  ctx.nc._writeOutput();
  return { promise, cancel: op.cancel };
}

/** An object info (or a watch's null marker) as JSON text for Python (or undefined: None). */
export function objInfoJson(info) {
  return info ? JSON.stringify(info._raw) : undefined;
}

/**
 * A put fed from Python piece by piece: write(bytes) resolves once the put
 * has taken the piece (so Python never runs ahead of the chunk publishes),
 * close() resolves with the info JSON, abort(message) gives up (no chunks
 * are left behind).
 */
export function objWriter(store, metaJson, timeoutMs) {
  const pieces = new AsyncQueue();
  async function* source() {
    for await (const p of iterableOf(pieces, () => {})) {
      yield p.bytes;
      p.taken();
    }
  }
  const result = store.put(JSON.parse(metaJson), source(), { timeout: timeoutMs || undefined })
    .then((info) => objInfoJson(info));
  result.catch(() => {});
  return {
    write: (bytes) => new Promise((resolve, reject) => {
      pieces.push({ bytes, taken: resolve });
      result.then(resolve, reject); // a put that failed fails the write too
    }),
    close: () => {
      pieces.end(null);
      return result;
    },
    abort: (message) => {
      pieces.end(new Error(message));
      return result.then(() => {}, () => {});
    },
  };
}

/** An object read for Python: undefined (None), or {info (JSON), next() (a chunk, or undefined at the end), cancel()}. */
export async function objReader(store, name) {
  const r = await store.get(name);
  if (r === null) return undefined; // None in Python (null would be pyodide.ffi.jsnull)
  const reader = r.data.getReader();
  return {
    info: objInfoJson(r.info),
    next: async () => {
      const { done, value } = await reader.read();
      return done ? undefined : value;
    },
    cancel: () => { reader.cancel().catch(() => {}); },
  };
}

/** A watch for Python: infos, and a null after the initial ones (not for updates only). */
export function objWatch(store, include, ignoreDeletes) {
  return store._watch(OBJ_INCLUDE[include], !!ignoreDeletes, false, true);
}
