// The bridge the Python package (py/nats_wasm) calls: every FFI crossing
// costs Python microseconds (an attribute read ~2 us, a call ~2-6 us,
// measured in Pyodide under Node), so messages cross as one flat array that
// Python converts with a single to_py(), all payloads in one Uint8Array.
// Python uses only what this module exports.
import { coreIfLoaded } from './core.mjs';
import { ERRORS } from '../dist/abi.mjs';
import { headers } from './headers.mjs';

/** The error table (code, name, js, py class path), for Python's mapping. */
export const errorTable = ERRORS;

/**
 * Packs messages into one flat array:
 *   [ended, data, ends, subject0, reply0, sid0, headers0, subject1, ...]
 * where message i's payload is data[ends[i-1] .. ends[i]) and headers is the
 * raw header block (Uint8Array) or undefined (None in Python).
 * @param {import('./msg.mjs').Msg[]} msgs
 * @param {boolean} [ended]
 */
export function packMsgs(msgs, ended = false) {
  const n = msgs.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += msgs[i].data.length;
  const data = new Uint8Array(total);
  const ends = new Uint32Array(n);
  const out = new Array(3 + 4 * n);
  out[0] = ended;
  out[1] = data;
  out[2] = ends;
  let at = 0;
  for (let i = 0, k = 3; i < n; i++, k += 4) {
    const m = msgs[i];
    data.set(m.data, at);
    at += m.data.length;
    ends[i] = at;
    out[k] = m.subject;
    out[k + 1] = m.reply;
    out[k + 2] = m.sid;
    out[k + 3] = m.rawHeaders ?? undefined;
  }
  return out;
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
