// Helpers for the Pyodide wrapper (py/nats_wasm). Every FFI crossing costs
// Python about a microsecond, so messages cross in packed batches: one string
// array per field and all payloads in one Uint8Array.
import { headers } from './headers.mjs';

const utf8 = new TextDecoder();

/**
 * Packs messages: {n, subjects, replies, sids, headers (raw text or null), data, ends}.
 * Message i's payload is data[ends[i-1] .. ends[i]).
 * @param {import('./msg.mjs').Msg[]} msgs
 */
export function packMsgs(msgs) {
  const n = msgs.length;
  let total = 0;
  for (const m of msgs) total += m.data.length;
  const data = new Uint8Array(total);
  const ends = new Uint32Array(n);
  const subjects = new Array(n);
  const replies = new Array(n);
  const headers = new Array(n);
  const sids = new Array(n);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const m = msgs[i];
    data.set(m.data, at);
    at += m.data.length;
    ends[i] = at;
    subjects[i] = m.subject;
    replies[i] = m.reply;
    sids[i] = m.sid;
    headers[i] = m._rawHeaders ? utf8.decode(m._rawHeaders) : null;
  }
  return { n, subjects, replies, sids, headers, data, ends };
}

/**
 * Waits for at least one message and packs every message already queued
 * (up to max). n is 0 when the subscription ended cleanly.
 * @param {import('./subscription.mjs').Subscription} sub
 */
export async function nextPacked(sub, max = 4096) {
  return packMsgs(await sub.nextBatch(max));
}

/** One message as {subject, reply, sid, headers (raw text or null), data}. */
export function packMsg(m) {
  return {
    subject: m.subject, reply: m.reply, sid: m.sid, data: m.data,
    headers: m._rawHeaders ? utf8.decode(m._rawHeaders) : null,
  };
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

/** The async iterator of an async iterable (Python cannot spell Symbol.asyncIterator). */
export function iteratorOf(iterable) {
  return iterable[Symbol.asyncIterator]();
}
