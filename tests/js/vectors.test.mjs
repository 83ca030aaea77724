// Runs every protocol vector (tests/vectors/*.json, format in its README)
// through the WASM build's ParserProbe, the way tests/unit/vector_test.cpp
// runs them through the native parser: whole, one byte at a time, and at the
// same seeded random cuts (mt19937, seeds 1, 7, 42, 2024).
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { loadCore } from '../../js/src/index.mjs';

const VECTORS_DIR = fileURLToPath(new URL('../vectors/', import.meta.url));
const DEFAULT_MAX_PAYLOAD = 1024 * 1024;
const DEFAULT_MAX_LINE = 64 * 1024;
const OPS = ['INFO', 'MSG', 'HMSG', 'PING', 'PONG', 'OK', 'ERR'];

// --- loading (same rules as tests/unit/vectors.cpp) -------------------------

function checkKeys(obj, allowed, where) {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) throw new Error(`${where}: unknown key '${key}'`);
  }
}

function requireKey(obj, key, where) {
  if (!(key in obj)) throw new Error(`${where}: missing '${key}'`);
  return obj[key];
}

/** A JSON string whose code points are bytes, as a byte string (one char per byte). */
function bytesOf(value, where) {
  if (typeof value !== 'string') throw new Error(`${where} must be a string`);
  for (let i = 0; i < value.length; i++) {
    if (value.charCodeAt(i) > 255) throw new Error(`${where}: character ${i} is not a byte (code points must be below 256)`);
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

function latin1Bytes(s) {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function parseVector(text, name) {
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

const files = readdirSync(VECTORS_DIR).filter((f) => f.endsWith('.json')).sort();
const vectors = [];
const loadErrors = [];
for (const file of files) {
  const name = path.basename(file, '.json');
  try {
    if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error('name must be [A-Za-z0-9_]+');
    vectors.push(parseVector(readFileSync(path.join(VECTORS_DIR, file), 'utf8'), name));
  } catch (err) {
    loadErrors.push(`${file}: ${err.message}`);
  }
}

// --- splits -----------------------------------------------------------------

/** std::mt19937: the standard fixes its output, so the cuts match the C++ runner's. */
function mt19937(seed) {
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

const SPLITS = [
  { name: 'whole', kind: 'whole' },
  { name: 'bytewise', kind: 'bytewise' },
  ...[1, 7, 42, 2024].map((seed) => ({ name: `random_${seed}`, kind: 'random', seed })),
];

function chunkSizes(n, split) {
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

// --- running ----------------------------------------------------------------

function latin1(u8) {
  let s = '';
  for (let i = 0; i < u8.length; i += 8192) s += String.fromCharCode.apply(null, u8.subarray(i, i + 8192));
  return s;
}

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
    assert.equal(r.status, 'op');
    result.ops.push({
      op: r.op, sid: r.sid, subject: latin1(r.subject), reply: latin1(r.reply), headers: latin1(r.headers),
      payload: latin1(r.payload), text: latin1(r.text), payloadSize: null,
    });
  }
}

function runVector(M, v, split) {
  const probe = new M.ParserProbe(v.maxLine, v.maxPayload);
  try {
    const result = { ops: [], error: '', sticky: true };
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

/** One comparable description per op, as describe() in tests/unit/vectors.cpp. */
function describeOp(op, sizeOnly) {
  const d = { op: op.op };
  if (op.op === 'INFO' || op.op === 'ERR') d.text = op.text;
  if (op.op === 'MSG' || op.op === 'HMSG') {
    Object.assign(d, { subject: op.subject, sid: op.sid, reply: op.reply, headers: op.headers });
    d.payloadSize = op.payloadSize ?? op.payload.length;
    if (!sizeOnly) d.payload = op.payload;
  } else if (op.subject || op.reply || op.headers || op.payload || op.sid !== 0) {
    d.unexpectedMsgFields = true; // fields an op type does not use must be empty
  }
  if (op.op !== 'INFO' && op.op !== 'ERR' && op.text) d.text = op.text;
  return d;
}

function checkResult(v, split, got) {
  const where = `${v.name} (${split.name})`;
  const want = v.expect.map((e) => describeOp(e, e.payloadSize !== null));
  const have = got.ops.map((o, i) => describeOp(o, v.expect[i]?.payloadSize != null));
  assert.deepEqual(have, want, `${where}: ops`);
  assert.equal(got.error, v.error, `${where}: error`);
  if (v.error) {
    assert.ok(got.sticky, `${where}: next() stopped repeating the error`);
  } else {
    assert.equal(got.tail, 'need_more', `${where}: must end in need_more`);
  }
}

// --- tests ------------------------------------------------------------------

let M;
before(async () => {
  M = await loadCore();
});

describe('vector files', () => {
  test('all load', () => {
    assert.deepEqual(loadErrors, []);
  });

  test('at least thirty', () => {
    assert.ok(vectors.length >= 30, `${vectors.length} vectors`);
  });

  test('cover every op type and error kind', () => {
    const seen = new Set(vectors.flatMap((v) => v.expect.map((e) => e.op)));
    for (const op of OPS) assert.ok(seen.has(op), `no vector expects ${op}`);
    const errs = new Set(vectors.map((v) => v.error));
    for (const e of ['control_line_too_long', 'payload_too_large', 'protocol_error']) assert.ok(errs.has(e), e);
  });

  test('mt19937 matches the standard (10000th output for the default seed)', () => {
    const rng = mt19937(5489);
    let x = 0;
    for (let i = 0; i < 10000; i++) x = rng();
    assert.equal(x, 4123659995); // [rand.predef] requires this value
  });

  test('ParserProbe splits a payload across feeds', () => {
    const probe = new M.ParserProbe(DEFAULT_MAX_LINE, DEFAULT_MAX_PAYLOAD);
    try {
      const feed = (s) => {
        const bytes = latin1Bytes(s);
        const ptr = probe.receivePtr(bytes.length);
        M.HEAPU8.set(bytes, ptr);
        probe.commit(bytes.length);
      };
      feed('MSG a.b 7 rep 5\r\nhel');
      assert.equal(probe.next().status, 'need_more');
      feed('lo\r\n');
      const r = probe.next();
      assert.equal(r.status, 'op');
      assert.equal(r.op, 'MSG');
      assert.equal(r.sid, 7);
      assert.equal(latin1(r.subject), 'a.b');
      assert.equal(latin1(r.reply), 'rep');
      assert.ok(r.payload instanceof Uint8Array);
      assert.equal(latin1(r.payload), 'hello');
      assert.equal(probe.next().status, 'need_more');
    } finally {
      probe.delete();
    }
  });
});

describe('vectors through WASM', () => {
  for (const v of vectors) {
    test(`${v.name}: ${v.description}`, () => {
      for (const split of SPLITS) checkResult(v, split, runVector(M, v, split));
    });
  }
});
