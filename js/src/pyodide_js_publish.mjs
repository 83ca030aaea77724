// Python's publish_async for js/src/pyodide.mjs: a batch of JetStream
// publishes crosses from Python in one call, and their acks go back as
// arrays, a batch at a time (py/nats_wasm/js/client.py).

const utf8 = new TextDecoder();

function newPyAcks() {
  return { tokens: [], seqs: [], dups: [], streams: [], errors: [], waiter: null };
}

function sameBytes(bytes, a, b, n) {
  for (let i = 0; i < n; i++) if (bytes[a + i] !== bytes[b + i]) return false;
  return true;
}

/** One publish of a Python batch: a JetStream context entry whose settling lands in the ack arrays. */
class PyPublish {
  constructor(subject, payload, token, acks) {
    this.subject = subject;
    this.payload = payload;
    this.hdr = null;
    this.staged = null;
    this.token = token;
    this.acks = acks;
  }
  resolve(ack) { this._settle(ack, undefined); }
  reject(err) { this._settle(null, err); }
  _settle(ack, err) {
    const acks = this.acks;
    acks.tokens.push(this.token);
    acks.seqs.push(ack ? ack.seq : 0);
    acks.dups.push(ack?.duplicate ? 1 : 0);
    acks.streams.push(ack ? ack.stream : '');
    acks.errors.push(err);
    if (acks.waiter) {
      const w = acks.waiter;
      acks.waiter = null;
      w();
    }
  }
}

/**
 * Python's publish_async batch: packed like publishPacked (u32 subject
 * length, u32 payload length, subject, payload per message), tokens
 * firstToken, firstToken+1, ... Acks are collected for jsTakeAcks().
 */
export function jsPublishBatch(ctx, packed, firstToken) {
  const acks = (ctx.pyAcks ??= newPyAcks());
  const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  let at = 0;
  let token = firstToken;
  // A batch usually repeats one subject: the same string object each time
  // keeps the engine's staged subject (no decode and re-encode per publish).
  let subject = '';
  let subjectAt = -1;
  let subjectLen = -1;
  while (at + 8 <= packed.length) {
    const sl = view.getUint32(at, true);
    const pl = view.getUint32(at + 4, true);
    if (sl !== subjectLen || !sameBytes(packed, subjectAt, at + 8, sl)) {
      subject = utf8.decode(packed.subarray(at + 8, at + 8 + sl));
      subjectAt = at + 8;
      subjectLen = sl;
    }
    const payload = packed.subarray(at + 8 + sl, at + 8 + sl + pl);
    at += 8 + sl + pl;
    ctx.enqueue(new PyPublish(subject, payload, token++, acks));
  }
  ctx.nc._writeOutput();
}

/**
 * The acks collected so far, or undefined: [tokens, seqs, dups, streams,
 * streamOf, errors]. tokens and seqs are Float64Arrays, dups a Uint8Array,
 * streams the distinct stream names and streamOf each ack's index into
 * them, errors [index, Error] pairs or undefined when none failed. Typed
 * arrays because Pyodide converts a JS array value by value (about a
 * microsecond each: five values per ack were most of an ack's cost).
 */
export function jsTakeAcks(ctx) {
  const acks = ctx.pyAcks;
  if (!acks || acks.tokens.length === 0) return undefined;
  const n = acks.tokens.length;
  const names = [];
  const streamOf = new Uint32Array(n);
  let errors;
  let last = null;
  let lastIndex = -1;
  for (let i = 0; i < n; i++) {
    const name = acks.streams[i];
    if (name !== last) {
      lastIndex = names.indexOf(name);
      if (lastIndex < 0) lastIndex = names.push(name) - 1;
      last = name;
    }
    streamOf[i] = lastIndex;
    if (acks.errors[i] !== undefined) (errors ??= []).push(i, acks.errors[i]);
  }
  const out = [Float64Array.from(acks.tokens), Float64Array.from(acks.seqs), Uint8Array.from(acks.dups),
    names, streamOf, errors];
  acks.tokens = [];
  acks.seqs = [];
  acks.dups = [];
  acks.streams = [];
  acks.errors = [];
  return out;
}

/** Resolves once an ack is waiting for jsTakeAcks(). */
export function jsAcksReady(ctx) {
  const acks = (ctx.pyAcks ??= newPyAcks());
  if (acks.tokens.length > 0) return Promise.resolve();
  return new Promise((resolve) => {
    const prev = acks.waiter;
    acks.waiter = () => { prev?.(); resolve(); };
  });
}
