// Runs protocol vectors (format: README.md beside this file) through the WASM
// parser (`M.ParserProbe` from loadCore()). Shared by node:test
// (tests/js/vectors.test.mjs) and the browser page
// (tests/browser/pages/vectors.html), so it uses no Node or DOM APIs. The
// splits match tests/unit/vectors.cpp: whole, one byte at a time, and the
// same seeded random cuts (std::mt19937, seeds 1, 7, 42, 2024).

export const DEFAULT_MAX_PAYLOAD = 1024 * 1024;
export const DEFAULT_MAX_LINE = 64 * 1024;
export const OPS = ['INFO', 'MSG', 'HMSG', 'PING', 'PONG', 'OK', 'ERR'];

// --- loading (same rules as tests/unit/vectors.cpp) ----------------------------

function checkKeys(obj, allowed, where) {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) throw new Error(`${where}: unknown key '${key}'`);
  }
}

function requireKey(obj, key, where) {
  if (!(key in obj)) throw new Error(`${where}: missing '${key}'`);
  return obj[key];
}

/** A JSON string whose code points are bytes, checked (one char per byte). */
function bytesOf(value, where) {
  if (typeof value !== 'string') throw new Error(`${where} must be a string`);
  for (let i = 0; i < value.length; i++) {
    if (value.charCodeAt(i) > 255) throw new Error(`${where}: character ${i} is not a byte`);
  }
  return value;
}

function unsignedOf(value, where) {
  if (!Number.isInteger(value) || value < 0) throw new Error(`${where} must be a non-negative integer`);
  return value;
}

function parseExpected(obj, where) {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new Error(`${where} must be an object`);
  const op = requireKey(obj, 'op', where);
  if (!OPS.includes(op)) throw new Error(`${where}: unknown op '${op}'`);
  const out = { op, sid: 0, subject: '', reply: '', headers: '', payload: '', text: '', payloadSize: null };
  if (op === 'PING' || op === 'PONG' || op === 'OK') {
    checkKeys(obj, ['op'], where);
  } else if (op === 'INFO' || op === 'ERR') {
    checkKeys(obj, ['op', 'text'], where);
    out.text = bytesOf(requireKey(obj, 'text', where), `${where}.text`);
  } else {
    checkKeys(obj, ['op', 'subject', 'sid', 'reply', 'headers', 'payload', 'payload_size'], where);
    out.subject = bytesOf(requireKey(obj, 'subject', where), `${where}.subject`);
    out.sid = unsignedOf(requireKey(obj, 'sid', where), `${where}.sid`);
    if ('reply' in obj) out.reply = bytesOf(obj.reply, `${where}.reply`);
    if (op === 'HMSG' || 'headers' in obj) out.headers = bytesOf(requireKey(obj, 'headers', where), `${where}.headers`);
    const hasPayload = 'payload' in obj;
    if (hasPayload === ('payload_size' in obj)) throw new Error(`${where}: give exactly one of payload and payload_size`);
    if (hasPayload) out.payload = bytesOf(obj.payload, `${where}.payload`);
    else out.payloadSize = unsignedOf(obj.payload_size, `${where}.payload_size`);
  }
  return out;
}

/** A byte string (one char per byte) as bytes. */
export function latin1Bytes(s) {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Bytes as a byte string (one char per byte), for exact comparison. */
export function latin1(u8) {
  let s = '';
  for (let i = 0; i < u8.length; i += 8192) s += String.fromCharCode.apply(null, u8.subarray(i, i + 8192));
  return s;
}

/**
 * Parses and checks one vector file's text; throws on any format error.
 * @returns {{name, description, maxPayload, maxLine, input: Uint8Array, expect: object[], error: string}}
 */
export function parseVector(text, name) {
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`${name}: name must be [A-Za-z0-9_]+`);
  const doc = JSON.parse(text);
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new Error('a vector must be a JSON object');
  checkKeys(doc, ['description', 'max_payload', 'max_line', 'input', 'input_repeat', 'expect', 'error'], 'vector');
  const description = requireKey(doc, 'description', 'vector');
  if (typeof description !== 'string' || description === '') throw new Error('description must be a non-empty string');
  let input = bytesOf(requireKey(doc, 'input', 'vector'), 'input');
  if ('input_repeat' in doc) {
    const rep = doc.input_repeat;
    checkKeys(rep, ['text', 'count'], 'input_repeat');
    const t = bytesOf(requireKey(rep, 'text', 'input_repeat'), 'input_repeat.text');
    const count = unsignedOf(requireKey(rep, 'count', 'input_repeat'), 'input_repeat.count');
    if (t === '' || count === 0) throw new Error('input_repeat needs a non-empty text and count > 0');
    input += t.repeat(count);
  }
  const expect = requireKey(doc, 'expect', 'vector');
  if (!Array.isArray(expect)) throw new Error('expect must be an array');
  let error = '';
  if ('error' in doc) {
    if (typeof doc.error !== 'string' || doc.error === '') throw new Error('error must be a non-empty string');
    error = doc.error;
  }
  return {
    name,
    description,
    maxPayload: 'max_payload' in doc ? unsignedOf(doc.max_payload, 'max_payload') : DEFAULT_MAX_PAYLOAD,
    maxLine: 'max_line' in doc ? unsignedOf(doc.max_line, 'max_line') : DEFAULT_MAX_LINE,
    input: latin1Bytes(input),
    expect: expect.map((e, i) => parseExpected(e, `expect[${i}]`)),
    error,
  };
}

// --- splits ---------------------------------------------------------------------

/** std::mt19937: the standard fixes its output, so the cuts match the C++ runner's. */
export function mt19937(seed) {
  const mt = new Uint32Array(624);
  mt[0] = seed >>> 0;
  for (let i = 1; i < 624; i++) {
    const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
    mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
  }
  let index = 624;
  return () => {
    if (index >= 624) {
      for (let i = 0; i < 624; i++) {
        const y = (mt[i] & 0x80000000) | (mt[(i + 1) % 624] & 0x7fffffff);
        mt[i] = mt[(i + 397) % 624] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      index = 0;
    }
    let y = mt[index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  };
}

export const SPLITS = [
  { name: 'whole', kind: 'whole' },
  { name: 'bytewise', kind: 'bytewise' },
  ...[1, 7, 42, 2024].map((seed) => ({ name: `random_${seed}`, kind: 'random', seed })),
];

/** Chunk lengths (all > 0, summing to n), as chunk_sizes() in vectors.cpp. */
export function chunkSizes(n, split) {
  if (n === 0) return [];
  if (split.kind === 'whole') return [n];
  if (split.kind === 'bytewise') return new Array(n).fill(1);
  const rng = mt19937(split.seed);
  const out = [];
  let left = n;
  while (left > 0) {
    // Evaluation order as in C++: the condition draws first, then the branch.
    const len = Math.min(rng() % 4 === 0 ? 1 + (rng() % 4096) : 1 + (rng() % 16), left);
    out.push(len);
    left -= len;
  }
  return out;
}

// --- running --------------------------------------------------------------------

/** Calls next() until need_more or an error, recording ops (as C++ drain()). */
function drainProbe(probe, result) {
  for (;;) {
    const r = probe.next();
    if (result.error) {
      // Already failed: every later call must repeat the same error.
      if (r.status !== 'error' || r.error !== result.error) result.sticky = false;
      return;
    }
    if (r.status === 'need_more') return;
    if (r.status === 'error') {
      result.error = r.error;
      return;
    }
    if (r.status !== 'op') throw new Error(`unknown status ${r.status}`);
    result.ops.push({
      op: r.op, sid: r.sid, subject: latin1(r.subject), reply: latin1(r.reply), headers: latin1(r.headers),
      payload: latin1(r.payload), text: latin1(r.text), payloadSize: null,
    });
  }
}

/** Feeds the vector in the split's chunks; returns {ops, error, sticky, tail}. */
export function runVector(M, v, split) {
  const probe = new M.ParserProbe(v.maxLine, v.maxPayload);
  try {
    const result = { ops: [], error: '', sticky: true, tail: '' };
    let pos = 0;
    for (const len of chunkSizes(v.input.length, split)) {
      const ptr = probe.receivePtr(len);
      M.HEAPU8.set(v.input.subarray(pos, pos + len), ptr); // HEAPU8 re-read: receivePtr may grow memory
      probe.commit(len);
      pos += len;
      drainProbe(probe, result);
    }
    if (v.input.length === 0) drainProbe(probe, result);
    // One more call after the end: a sticky error must still be there.
    if (result.error) drainProbe(probe, result);
    else result.tail = probe.next().status;
    return result;
  } finally {
    probe.delete();
  }
}

function show(s, limit = 120) {
  return JSON.stringify(s.length > limit ? `${s.slice(0, limit)}...(${s.length} bytes)` : s);
}

/** One comparable line per op, as describe() in tests/unit/vectors.cpp. */
function describeOp(op, sizeOnly) {
  let d = `${op.op}`;
  if (op.op === 'INFO' || op.op === 'ERR') d += ` text=${show(op.text)}`;
  if (op.op === 'MSG' || op.op === 'HMSG') {
    d += ` subject=${show(op.subject)} sid=${op.sid} reply=${show(op.reply)} headers=${show(op.headers)}`;
    d += ` payload[${op.payloadSize ?? op.payload.length}]`;
    if (!sizeOnly) d += `=${show(op.payload)}`;
  } else if (op.subject || op.reply || op.headers || op.payload || op.sid !== 0) {
    d += ' (fields its type does not use are set)';
  }
  if (op.op !== 'INFO' && op.op !== 'ERR' && op.text) d += ` text=${show(op.text)}`;
  return d;
}

/** Differences between a run and the vector's expectations (empty when it passes). */
export function checkRun(v, split, got) {
  const where = `${v.name} (${split.name})`;
  const failures = [];
  const n = Math.max(got.ops.length, v.expect.length);
  for (let i = 0; i < n; i++) {
    const want = v.expect[i];
    const sizeOnly = want ? want.payloadSize !== null : false;
    const have = got.ops[i] ? describeOp(got.ops[i], sizeOnly) : 'nothing';
    const expected = want ? describeOp(want, sizeOnly) : 'nothing';
    if (have !== expected) failures.push(`${where}: op #${i}: got ${have}, want ${expected}`);
  }
  if (got.error !== v.error) failures.push(`${where}: error '${got.error}', want '${v.error}'`);
  if (v.error && !got.sticky) failures.push(`${where}: next() stopped repeating the error`);
  if (!v.error && got.tail !== 'need_more') failures.push(`${where}: ended in '${got.tail}', want need_more`);
  return failures;
}

/** Runs every split of one vector; returns all differences. */
export function checkVector(M, v) {
  return SPLITS.flatMap((split) => checkRun(v, split, runVector(M, v, split)));
}
