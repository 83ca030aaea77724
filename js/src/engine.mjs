// The WebAssembly engine as the JS host drives it: the embind Connection,
// the staging area arguments are written into, and the batches of event
// records that come back (layout: REC in the generated js/dist/abi.mjs).
import { EV, FLAGS, REC } from '../dist/abi.mjs';
import { ERRC, errorFromCode } from './errors.mjs';

const encoder = new TextEncoder();
const utf8 = new TextDecoder();
const EMPTY = new Uint8Array(0);
const W = REC.words;
/** Record words a batch may copy into the reused buffer (1 MiB); larger batches get their own. */
const RECS_REUSE_MAX = 256 * 1024;

/**
 * Headers in the staged format the engine decodes (wasm/boundary.hpp):
 * u32 status, u32 description length, description, then per value u32 key
 * length, key, u32 value length, value. Validation is the engine's.
 * @param {{code: number, description: string, entries(): Iterable<[string, string[]]>}} h
 */
export function stageHeaders(h) {
  const parts = [encoder.encode(h.description ?? '')];
  for (const [k, vs] of h.entries()) {
    const key = encoder.encode(k);
    for (const v of vs) parts.push(key, encoder.encode(v));
  }
  let size = 4;
  for (const p of parts) size += 4 + p.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, h.code ?? 0, true);
  let at = 4;
  for (const p of parts) {
    view.setUint32(at, p.length, true);
    out.set(p, at + 4);
    at += 4 + p.length;
  }
  return out;
}

/** One connection's engine. */
export class CoreEngine {
  /** @param {any} M the Emscripten module @param {object} opts Connection options */
  constructor(M, opts) {
    this.M = M;
    this.c = new M.Connection(opts);
    this.h = this.c.handle(); // for the raw exports (M._nw_*)
    // The staging area as last seen, and the subject already encoded at its
    // start (publish fast path): reset by every other use of the area.
    this.stagePtr = 0;
    this.stageCap = 0;
    this.stagedSubject = null;
    this.stagedSubjectLen = 0;
    this.lastSubject = '';
    this.lastText = '';
    // readBatch's reusable record buffer, and whether a batch holds it.
    this.recsBuf = new Uint32Array(64 * W);
    this.recsInUse = false;
  }

  /** Throws the options error, if any (and frees the engine). */
  checkConfig() {
    const code = this.c.configError();
    if (code === 0) return;
    const err = errorFromCode(code, this.c.errorMessage());
    this.delete();
    throw err;
  }

  delete() {
    if (this.c) this.c.delete();
    this.c = null;
  }

  /** Throws the typed error for a non-zero engine code. */
  check(code) {
    if (code !== 0) throw errorFromCode(code, this.c.errorMessage());
  }

  /** A result that is an id, or -code: the id, or throws. */
  id(result) {
    if (result < 0) this.check(-result);
    return result;
  }

  // --- staging -------------------------------------------------------------
  /** Room for n bytes; keeps the subject staged by the publish fast path. */
  stageRoom(n) {
    if (n > this.stageCap) {
      const cap = Math.max(n, 2 * this.stageCap, 1024);
      this.stagePtr = this.c.stagePtr(cap);
      this.stageCap = cap;
      this.stagedSubject = null;
    }
    return this.stagePtr;
  }

  /** The staging area for any use but the publish fast path. */
  stageArea(n) {
    const ptr = this.stageRoom(n);
    this.stagedSubject = null;
    return ptr;
  }

  /** Writes strings (UTF-8) then byte blobs; returns their byte lengths. */
  stage(strings, blobs) {
    let max = 0;
    for (const s of strings) max += s.length * 3;
    for (const b of blobs) max += b.length;
    const ptr = this.stageArea(max);
    const heap = this.M.HEAPU8; // after stagePtr: it may have grown memory
    const lens = [];
    let at = ptr;
    for (const s of strings) {
      const n = s.length === 0 ? 0 : encoder.encodeInto(s, heap.subarray(at, at + s.length * 3)).written;
      lens.push(n);
      at += n;
    }
    for (const b of blobs) {
      heap.set(b, at);
      lens.push(b.length);
      at += b.length;
    }
    return lens;
  }

  /**
   * Publishes; returns the pending output length. `headers` is staged
   * (stageHeaders) or null. The fast path (no reply, no headers) is one raw
   * wasm call, and a repeated subject is not re-encoded.
   */
  publish(subject, payload, reply, headers) {
    const M = this.M;
    let rc;
    if (!reply && !headers) {
      const pl = payload.length;
      let sl = this.stagedSubjectLen;
      let ptr = this.stagePtr;
      if (subject !== this.stagedSubject || sl + pl > this.stageCap) {
        const s = String(subject);
        ptr = this.stageRoom(s.length * 3 + pl);
        sl = s.length === 0 ? 0 : encoder.encodeInto(s, M.HEAPU8.subarray(ptr, ptr + s.length * 3)).written;
        this.stagedSubject = subject;
        this.stagedSubjectLen = sl;
      }
      M.HEAPU8.set(payload, ptr + sl);
      rc = M._nw_publish(this.h, sl, 0, 0, pl);
    } else {
      const [sl, rl, hl, pl] = this.stage([String(subject), reply ?? ''], [headers ?? EMPTY, payload]);
      rc = M._nw_publish(this.h, sl, rl, hl, pl);
    }
    if (rc < 0) this.check(-rc);
    return rc;
  }

  /**
   * A JetStream publish; returns its id, or -code for window_full (the one
   * refusal the caller handles: it waits for room). Other errors throw.
   * Without headers and options the subject stays staged, as in publish().
   */
  jsPublish(context, subject, payload, headers, options, now) {
    const M = this.M;
    let id;
    if (!headers && !options) {
      const pl = payload.length;
      let sl = this.stagedSubjectLen;
      let ptr = this.stagePtr;
      if (subject !== this.stagedSubject || sl + pl > this.stageCap) {
        const s = String(subject);
        ptr = this.stageRoom(s.length * 3 + pl);
        sl = s.length === 0 ? 0 : encoder.encodeInto(s, M.HEAPU8.subarray(ptr, ptr + s.length * 3)).written;
        this.stagedSubject = subject;
        this.stagedSubjectLen = sl;
      }
      M.HEAPU8.set(payload, ptr + sl);
      id = M._nw_js_publish(this.h, context, sl, 0, pl, 0, now);
    } else {
      const [sl, hl, pl, ol] = this.stage([String(subject)], [headers ?? EMPTY, payload, options ?? EMPTY]);
      id = M._nw_js_publish(this.h, context, sl, hl, pl, ol, now);
    }
    if (id < 0 && id !== -ERRC.window_full) this.check(-id);
    return id;
  }

  /** Publishes a packed buffer (js/src/pyodide.mjs); returns the output length. */
  publishPacked(packed) {
    // The area first: growing memory detaches any HEAPU8 view read before.
    const ptr = this.stageArea(packed.length);
    this.M.HEAPU8.set(packed, ptr);
    const rc = this.M._nw_publish_packed(this.h, packed.length);
    if (rc < 0) this.check(-rc);
    return rc;
  }

  // --- received bytes and output --------------------------------------------
  /** Feeds received bytes; returns the record count. */
  feed(bytes, now) {
    const M = this.M;
    const ptr = M._nw_receive_ptr(this.h, bytes.length);
    M.HEAPU8.set(bytes, ptr); // re-read HEAPU8: receivePtr may grow memory
    // Kept for readBatch: messages wholly inside these bytes are handed out
    // as views of them (a socket's chunk is never reused), not copied again.
    this.fedBytes = bytes;
    this.fedPtr = ptr;
    return M._nw_feed(this.h, bytes.length, now);
  }

  /** The pending output as a heap view (valid until the next engine call), or null. */
  output() {
    const len = this.c.outputLen();
    if (len === 0) return null;
    const ptr = this.c.outputPtr();
    return this.M.HEAPU8.subarray(ptr, ptr + len);
  }

  // --- event records ----------------------------------------------------------
  /**
   * Snapshots a batch of n records with their texts, headers and payloads.
   * Handlers run while dispatching may re-enter the engine, whose poll()
   * reuses the batch, text and receive buffers: everything is copied first.
   */
  readBatch(n) {
    const M = this.M;
    // The engine summarizes the batch as it builds it (wasm/records.hpp
    // BatchSummary): no pass over the records here.
    const p = M._nw_batch_summary(this.h) >>> 2;
    const H = M.HEAPU32;
    const base = H[p] >>> 2;
    const textPtr = H[p + 2];
    const textLen = H[p + 3];
    const lo = H[p + 4];
    const hi = H[p + 5];
    const bodies = H[p + 6];
    const freshPtr = H[p + 7];
    const freshLen = H[p + 8];
    // Records are copied into a buffer reused from batch to batch (a fresh
    // 100 KB array per batch cost its allocation and the GC more than the
    // copy); a batch read while another is still dispatched gets its own.
    const words = n * W;
    let recs;
    if (this.recsInUse || words > RECS_REUSE_MAX) {
      recs = H.slice(base, base + words);
    } else {
      if (this.recsBuf.length < words) this.recsBuf = new Uint32Array(Math.max(words, 2 * this.recsBuf.length));
      recs = this.recsBuf;
      recs.set(H.subarray(base, base + words));
      this.recsInUse = true;
    }
    // The batch of a feed: its bytes are still here (engine.feed()).
    const fresh = freshLen > 0 && freshPtr === this.fedPtr && freshLen === this.fedBytes?.length
      ? this.fedBytes : null;
    this.fedBytes = null;
    const text = textLen > 0 ? M.HEAPU8.slice(textPtr, textPtr + textLen) : EMPTY;
    // Headers and payloads that are not in the fed bytes (a message that
    // began in an earlier chunk) are copied out of the heap at once; each
    // message gets a view (an ArrayBuffer per message was the largest
    // receive cost). They sit together in the receive buffer; if they ever
    // did not, they are copied per message instead.
    let copy = null;
    if (bodies > 0 && hi - lo <= 2 * bodies + 65536) copy = M.HEAPU8.slice(lo, hi);
    return new Batch(this, recs, n, text, copy, lo, fresh, freshPtr);
  }

  /** A string from `bytes` at off/len; the previous one is reused when equal (stream names). */
  cachedText(bytes, off, len) {
    const last = this.lastText;
    if (last.length === len) {
      let i = 0;
      while (i < len && last.charCodeAt(i) === bytes[off + i]) i++;
      if (i === len) return last;
    }
    const s = decodeString(bytes, off, len);
    if (s.length === len) this.lastText = s;
    return s;
  }

  /**
   * The subject at ptr/len in the heap; the last one is reused when the
   * bytes match (a subscription usually sees the same subject over and over).
   */
  subject(ptr, len) {
    const heap = this.M.HEAPU8;
    const last = this.lastSubject;
    if (last.length === len) {
      let i = 0;
      while (i < len && last.charCodeAt(i) === heap[ptr + i]) i++;
      if (i === len) return last;
    }
    const s = decodeString(heap, ptr, len);
    // Only a string with one char per byte can be compared byte-wise (ASCII;
    // a U+FFFD from an invalid byte never matches one).
    if (s.length === len) this.lastSubject = s;
    return s;
  }
}

/** Short ASCII strings (subjects) decode faster by hand than through TextDecoder. */
export function decodeString(heap, ptr, len) {
  if (len === 0) return '';
  if (len <= 64) {
    let ascii = true;
    for (let i = 0; i < len; i++) if (heap[ptr + i] > 127) { ascii = false; break; }
    if (ascii) return String.fromCharCode.apply(null, heap.subarray(ptr, ptr + len));
  }
  return utf8.decode(heap.subarray(ptr, ptr + len));
}


/** A snapshot of one batch of event records (CoreEngine.readBatch). */
export class Batch {
  constructor(engine, recs, count, text, bodies, bodiesAt, fresh = null, freshPtr = 0) {
    this.engine = engine;
    this.M = engine.M;
    this.recs = recs;
    this.text = text;
    this.bodies = bodies;
    this.bodiesAt = bodiesAt;
    this.fresh = fresh;
    this.freshPtr = freshPtr;
    this.freshEnd = fresh === null ? 0 : freshPtr + fresh.length;
    this.count = count;
  }
  /** Ends the batch's use of the engine's reusable record buffer. */
  release() {
    if (this.recs === this.engine.recsBuf) this.engine.recsInUse = false;
    this.recs = null;
  }
  /** Word `w` of record starting at r. */
  word(r, w) { return this.recs[r + w]; }
  /** A 64-bit number from two words (exact up to 2^53). */
  u64(r, lo) { return this.recs[r + lo] + this.recs[r + lo + 1] * 4294967296; }
  /** A text field (textOff/text2Off/text3Off) as a string. */
  textAt(r, off) {
    const len = this.recs[r + off + 1];
    if (len === 0) return '';
    const at = this.recs[r + off];
    return utf8.decode(this.text.subarray(at, at + len));
  }
  /** {stream, seq, duplicate, domain?} of a js_pub_ack record. */
  pubAck(r) {
    const ack = {
      stream: this.engine.cachedText(this.text, this.recs[r + REC.textOff], this.recs[r + REC.textLen]),
      seq: this.u64(r, REC.numLo),
      duplicate: (this.recs[r + REC.flags] & FLAGS.duplicate) !== 0,
    };
    if (this.recs[r + REC.text2Len] > 0) ack.domain = this.textAt(r, REC.text2Off);
    return ack;
  }
  /** The error a record carries, or null. */
  error(r) {
    const code = this.recs[r + REC.errc];
    if (code === 0) return null;
    const op = this.recs[r + REC.operation];
    return errorFromCode(code, this.textAt(r, REC.textOff), {
      subject: this.textAt(r, REC.text2Off),
      queue: this.textAt(r, REC.text3Off),
      operation: op === 1 ? 'publish' : op === 2 ? 'subscription' : '',
      status: this.recs[r + REC.status],
      errCode: this.recs[r + REC.errCode],
    });
  }
  /** The subject of message record r (read from the heap: valid during dispatch only). */
  subject(r) { return this.engine.subject(this.recs[r + REC.subjectPtr], this.recs[r + REC.subjectLen]); }
  /** The reply subject of message record r (heap: during dispatch only). */
  reply(r) { return decodeString(this.M.HEAPU8, this.recs[r + REC.replyPtr], this.recs[r + REC.replyLen]); }
  /**
   * The reply subject of message record r as bytes: a view of the fed chunk
   * when it lies in it, else a copy (the heap is reused after dispatch).
   */
  replyBytes(r) {
    const len = this.recs[r + REC.replyLen];
    if (len === 0) return EMPTY;
    const ptr = this.recs[r + REC.replyPtr];
    return this._freshView(ptr, len) ?? this.M.HEAPU8.slice(ptr, ptr + len);
  }
  /** The payload of record r (a view into the batch copy). */
  payload(r) { return this._bytes(r, REC.payloadPtr, REC.payloadLen); }
  /** The raw header block of record r, or null. */
  headers(r) {
    return this.recs[r + REC.headersLen] > 0 ? this._bytes(r, REC.headersPtr, REC.headersLen) : null;
  }
  _bytes(r, ptrWord, lenWord) {
    const len = this.recs[r + lenWord];
    if (len === 0) return EMPTY;
    const ptr = this.recs[r + ptrWord];
    if ((this.recs[r + REC.flags] & FLAGS.arenaBody) !== 0) return this.text.subarray(ptr, ptr + len);
    const fresh = this._freshView(ptr, len);
    if (fresh !== null) return fresh;
    if (this.bodies !== null) return new Uint8Array(this.bodies.buffer, ptr - this.bodiesAt, len);
    // HEAPU8 is re-read: user code run before may have grown memory.
    return this.M.HEAPU8.slice(ptr, ptr + len);
  }
  /**
   * A view of the fed chunk for heap bytes ptr/len that lie in it, or null.
   * Made with the constructor: subarray() measured about twice as slow per
   * message.
   */
  _freshView(ptr, len) {
    if (ptr < this.freshPtr || ptr + len > this.freshEnd) return null;
    return new Uint8Array(this.fresh.buffer, this.fresh.byteOffset + ptr - this.freshPtr, len);
  }
}
